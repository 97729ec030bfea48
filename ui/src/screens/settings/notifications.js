// Settings › Notifications: my desktop notifications (quiet hours, which kinds go to the desktop,
// a pause set from the tray) and this computer (keep running in the tray when the window
// closes — a team setting admins change — and launch at login, a setting of this machine).
// Muted kinds and reminders held by quiet hours still appear in the notification centre.
import { h } from '../../dom.js';
import { t, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { can } from '../../logic/catalog.js';
import { field, input, checkbox, formErrors, onSubmit, button } from '../../components/form.js';
import { toast, toastError } from '../../components/toast.js';
import { card, asyncPanel } from './common.js';

/** Reminder kinds a person can keep off the desktop, in the order shown. */
export const NOTIFY_KINDS = ['task', 'callback', 'onboarding', 'care', 'feedback_response', 'feedback_resolution', 'change_request', 'review'];

const toClock = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const fromClock = (text) => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  return m && Number(m[1]) < 24 && Number(m[2]) < 60 ? Number(m[1]) * 60 + Number(m[2]) : null;
};

export function mountNotificationsTab({ actor }) {
  const prefsPanel = asyncPanel(() => api.notificationPrefsGet(), (prefs) => prefsForm(prefs), { retryTestid: 'notify-retry' });
  const desktop = asyncPanel(
    async () => {
      const [tray, autostart] = await Promise.all([
        api.desktopCloseToTrayGet(),
        api.desktopAutostartGet().then((on) => ({ on }), (err) => ({ err })),
      ]);
      return { tray, autostart };
    },
    (d) => desktopCard(d, can(actor.role, 'team_edit')),
    { retryTestid: 'desktop-retry' },
  );
  return {
    el: h('div', { class: 'tab-body', 'data-testid': 'settings-notifications' }, prefsPanel.el, desktop.el),
    destroy() {
      prefsPanel.destroy();
      desktop.destroy();
    },
  };
}

function prefsForm(prefs) {
  const quietOn = checkbox({ testid: 'notify-quiet-on', name: 'quiet_on', label: t('settings.notify.quiet_on'), checked: prefs.quiet_start != null, hint: t('settings.notify.quiet_hint') });
  const start = input({ testid: 'notify-quiet-start', type: 'time', value: toClock(prefs.quiet_start ?? 22 * 60) });
  const end = input({ testid: 'notify-quiet-end', type: 'time', value: toClock(prefs.quiet_end ?? 8 * 60) });
  const quietBox = quietOn.querySelector('input');
  const syncQuiet = () => {
    start.disabled = !quietBox.checked;
    end.disabled = !quietBox.checked;
  };
  quietBox.addEventListener('change', syncQuiet);
  syncQuiet();
  const muted = new Set(prefs.muted_kinds ?? []);
  const kindBoxes = NOTIFY_KINDS.map((k) => checkbox({ testid: `notify-kind-${k}`, name: `kind_${k}`, label: t(`settings.notify.kind.${k}`), checked: !muted.has(k) }));
  const pausedUntil = prefs.paused_until && new Date(prefs.paused_until) > new Date() ? prefs.paused_until : null;
  const pauseLine = h('div', { class: 'notice', 'data-testid': 'notify-paused', hidden: !pausedUntil },
    t('settings.notify.paused', { until: pausedUntil ? formatDateTime(pausedUntil) : '' }), ' ',
    button({ testid: 'notify-resume', kind: 'ghost', label: t('settings.notify.resume'), onclick: () => save({ paused_until: null }).then(() => { pauseLine.hidden = true; }) }));

  const form = h('form', { class: 'form narrow', 'data-testid': 'notify-form', novalidate: true },
    h('div', { class: 'form-error-slot' }),
    pauseLine,
    quietOn,
    h('div', { class: 'form-row' },
      field({ name: 'quiet_start', label: t('settings.notify.quiet_start'), control: start }),
      field({ name: 'quiet_end', label: t('settings.notify.quiet_end'), control: end })),
    h('fieldset', { class: 'fieldset' }, h('legend', {}, t('settings.notify.kinds')), h('p', { class: 'field-hint' }, t('settings.notify.kinds_hint')), kindBoxes),
    h('div', { class: 'form-actions' }, button({ testid: 'notify-save', kind: 'primary', type: 'submit', label: t('common.save') })));

  const current = () => {
    const on = quietBox.checked;
    return {
      quiet_start: on ? fromClock(start.value) : null,
      quiet_end: on ? fromClock(end.value) : null,
      muted_kinds: NOTIFY_KINDS.filter((k, i) => !kindBoxes[i].querySelector('input').checked),
      paused_until: pausedUntil,
    };
  };
  async function save(patch) {
    const next = { ...current(), ...patch };
    if (quietBox.checked && (next.quiet_start == null || next.quiet_end == null)) {
      throw { code: 'reminder.quiet_hours_invalid', field: 'quiet_end' };
    }
    await api.notificationPrefsSave(next);
    toast(t('common.saved'), { kind: 'success' });
  }
  onSubmit(form, formErrors(form), () => save({}));
  return card(t('settings.notify.title'), { testid: 'notify-card' }, form);
}

function desktopCard({ tray, autostart }, admin) {
  const trayBox = checkbox({ testid: 'desktop-close-to-tray', name: 'close_to_tray', label: t('settings.desktop.close_to_tray'), checked: tray, disabled: !admin, hint: t(admin ? 'settings.desktop.close_to_tray_hint' : 'settings.desktop.close_to_tray_admin') });
  trayBox.querySelector('input').addEventListener('change', async (e) => {
    try {
      await api.desktopCloseToTraySet(e.target.checked);
      toast(t('common.saved'), { kind: 'success' });
    } catch (err) {
      e.target.checked = !e.target.checked;
      toastError(err);
    }
  });
  const available = !autostart.err;
  const autoBox = checkbox({ testid: 'desktop-autostart', name: 'autostart', label: t('settings.desktop.autostart'), checked: available && autostart.on, disabled: !available, hint: t(available ? 'settings.desktop.autostart_hint' : 'settings.desktop.autostart_unavailable') });
  autoBox.querySelector('input').addEventListener('change', async (e) => {
    try {
      e.target.checked = await api.desktopAutostartSet(e.target.checked);
      toast(t('common.saved'), { kind: 'success' });
    } catch (err) {
      e.target.checked = !e.target.checked;
      toastError(err);
    }
  });
  return card(t('settings.desktop.title'), { testid: 'desktop-card' }, h('div', { class: 'form narrow' }, trayBox, autoBox));
}
