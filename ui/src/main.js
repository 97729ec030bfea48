// Boot and screen switching: a damaged database shows the recovery screen; otherwise app_status
// decides setup → login → shell; a language switch
// re-renders the current screen in place (typed values are kept); the session's end returns to login.
import './styles.css';
import { h, replaceChildren } from './dom.js';
import { t, initLocale, setLocale, locale, onLocaleChange, errorText, LOCALES } from './i18n.js';
import * as api from './api.js';
import { applyTheme } from './theme.js';
import { closeAllDialogs } from './components/dialog.js';
import { toast, toastError, clearToasts } from './components/toast.js';
import { mountSetup } from './screens/setup.js';
import { mountLogin } from './screens/login.js';
import { mountShell } from './screens/shell.js';
import { mountRecovery } from './screens/recovery.js';
import { navigate } from './router.js';

const root = document.getElementById('app');
const SCREENS = { setup: mountSetup, login: mountLogin, shell: mountShell, recovery: mountRecovery };

const app = {
  screen: null,
  handle: null,
  actor: null,
  teamName: '',
  lastUsername: '',
  /** What the recovery screen shows when the database is damaged (null when healthy). */
  recovery: null,

  /** Show a screen ('setup' | 'login' | 'shell'). */
  show(name) {
    this.handle?.destroy?.();
    this.screen = name;
    this.handle = SCREENS[name](this);
    replaceChildren(root, this.handle.el);
    root.dataset.screen = name;
    if (name !== 'shell') document.title = 'Rapport';
    this.handle.focus?.focus();
    this.handle.afterMount?.();
  },

  /** Re-render the current screen (after a language switch), keeping typed values and focus. */
  rerender() {
    if (!this.screen) return;
    const kept = snapshot(root);
    const focused = document.activeElement?.dataset?.testid;
    this.handle?.destroy?.();
    this.handle = SCREENS[this.screen](this);
    replaceChildren(root, this.handle.el);
    restore(root, kept);
    const again = focused ? root.querySelector(`[data-testid="${focused}"]`) : null;
    (again ?? this.handle.focus)?.focus?.();
  },

  /** A backup replaced the damaged database: start as usual and say where the damaged file is. */
  async recovered(kept) {
    this.recovery = null;
    await boot();
    toast(t('recovery.kept', { file: kept }), { kind: 'success' });
  },

  setupDone(teamName) {
    this.teamName = teamName;
  },

  setTeamName(name) {
    this.teamName = name;
    const el = document.querySelector('.brand-team');
    if (el) el.textContent = name;
  },

  /** After setup or log-in: adopt the user's language and open the shell on Today. */
  loggedIn(actor) {
    this.actor = actor;
    this.lastUsername = actor.username;
    initLocale(actor.locale);
    navigate({ page: 'today' });
    this.show('shell');
  },

  /** The language other than the current one (for the palette's "switch language"). */
  otherLocale() {
    return LOCALES.find((l) => l !== locale()) ?? locale();
  },

  /** Switch language now and remember it for the user. */
  changeLocale(next) {
    setLocale(next);
    if (this.actor) {
      this.actor.locale = next;
      api.setLocale(next).catch(toastError);
    }
  },

  /** Log out; `switchUser` clears the user name on the login screen. */
  async logout({ switchUser = false } = {}) {
    try {
      await api.logout();
    } catch (err) {
      toastError(err);
    }
    this.endSession({ switchUser });
  },

  endSession({ switchUser = false, notice } = {}) {
    closeAllDialogs();
    clearToasts();
    if (switchUser) this.lastUsername = '';
    this.actor = null;
    initLocale(null);
    this.show('login');
    if (notice) toast(notice);
  },
};

/** Values of inputs that carry a test id, to survive a re-render. */
function snapshot(container) {
  const kept = new Map();
  container.querySelectorAll('input[data-testid], select[data-testid], textarea[data-testid]').forEach((el) => {
    if (el.type === 'file' || kept.has(el.dataset.testid)) return;
    kept.set(el.dataset.testid, el.type === 'checkbox' ? el.checked : el.value);
  });
  return kept;
}

function restore(container, kept) {
  for (const [id, value] of kept) {
    if (id === 'lang-select' || id.endsWith('-lang')) continue;
    const el = container.querySelector(`[data-testid="${id}"]`);
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = value;
    else el.value = value;
  }
}

function fatal(err) {
  replaceChildren(
    root,
    h(
      'div',
      { class: 'auth-screen' },
      h(
        'div',
        { class: 'auth-card', role: 'alert' },
        h('div', { class: 'brand-mark' }, 'Rapport'),
        h('h1', { class: 'auth-title' }, t('boot.failed')),
        h('p', { class: 'form-error', 'data-testid': 'form-error' }, errorText(err)),
        h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'boot-retry', onclick: boot }, t('common.retry')),
      ),
    ),
  );
}

async function boot() {
  try {
    const damaged = await api.recoveryStatus();
    if (damaged) {
      app.recovery = damaged;
      app.show('recovery');
      return;
    }
    const status = await api.appStatus();
    app.teamName = status.team_name ?? '';
    initLocale(status.session?.locale);
    if (!status.setup_done) app.show('setup');
    else if (!status.session) app.show('login');
    else {
      app.actor = status.session;
      app.lastUsername = status.session.username;
      app.show('shell');
    }
  } catch (err) {
    fatal(err);
  }
}

applyTheme();
initLocale(null);
onLocaleChange(() => app.rerender());
api.onUnauthenticated(() => {
  if (app.screen === 'shell') app.endSession({ notice: t('login.session_ended') });
});
// Damage found after start (the integrity check runs beside the app): boot again, which now
// finds the recovery screen's problem. Once, however many commands were refused meanwhile.
let rebooting = false;
api.onDamaged(() => {
  if (rebooting || app.screen === 'recovery') return;
  rebooting = true;
  closeAllDialogs();
  clearToasts();
  boot().finally(() => {
    rebooting = false;
  });
});
boot();
