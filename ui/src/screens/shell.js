// The logged-in frame: sidebar with the seven pages, header (search, language, theme, user menu),
// the page outlet, keyboard shortcuts (Alt+1..7, /, Ctrl/Cmd+K) and the command palette.
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { PAGES, SETTINGS_TABS, currentRoute, navigate, onRouteChange, pageForDigit, buildHash } from '../router.js';
import { icon } from '../components/icons.js';
import { openPalette, paletteOpen } from '../components/palette.js';
import { changePasswordDialog } from '../components/password-dialog.js';
import { themeMode, setThemeMode, onThemeChange } from '../theme.js';
import { nextThemeMode, THEME_MODES } from '../logic/catalog.js';
import { langPicker } from './lang-picker.js';
import { userMenu } from './user-menu.js';
import { notificationBell } from '../components/notifications.js';
import { mountPage } from './pages.js';
import { logInteractionDialog } from './interactions/log-dialog.js';
import { attachGlobalSearch } from './customers/search.js';

const THEME_ICONS = { system: 'system', light: 'sun', dark: 'moon' };

function isEditable(el) {
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function mountShell(app) {
  const actor = app.actor;
  const navLinks = new Map();
  const nav = h(
    'nav',
    { class: 'nav', 'aria-label': t('nav.label') },
    h(
      'ul',
      { class: 'nav-list' },
      PAGES.map((page, i) => {
        const link = h(
          'a',
          { class: 'nav-link', href: buildHash({ page }), 'data-testid': `nav-${page}`, 'aria-keyshortcuts': `Alt+${i + 1}`, title: `${t(`page.${page}`)} (Alt+${i + 1})` },
          icon(page),
          h('span', { class: 'nav-text' }, t(`page.${page}`)),
          h('kbd', { class: 'nav-key', 'aria-hidden': 'true' }, String(i + 1)),
        );
        navLinks.set(page, link);
        return h('li', {}, link);
      }),
    ),
  );

  const search = h('input', {
    class: 'input search-input', type: 'search', 'data-testid': 'global-search', placeholder: t('search.placeholder'),
    'aria-label': t('search.label'), 'aria-keyshortcuts': '/', autocomplete: 'off', spellcheck: 'false',
  });
  const searchBox = attachGlobalSearch(search, { navigate });

  const themeBtn = h('button', { type: 'button', class: 'btn btn-ghost theme-toggle', 'data-testid': 'theme-toggle', onclick: () => setThemeMode(nextThemeMode(themeMode())) });
  const renderTheme = (mode) => {
    clear(themeBtn);
    themeBtn.append(icon(THEME_ICONS[mode]), h('span', { class: 'theme-label' }, t(`theme.${mode}`)));
    themeBtn.dataset.mode = mode;
    themeBtn.title = t('theme.toggle_hint', { mode: t(`theme.${mode}`) });
    themeBtn.setAttribute('aria-label', themeBtn.title);
  };
  renderTheme(themeMode());
  const offTheme = onThemeChange(renderTheme);

  const openPasswordDialog = () => changePasswordDialog({ onLogout: () => app.logout() });
  const menu = userMenu({ actor, onChangePassword: openPasswordDialog, onSwitchUser: () => app.logout({ switchUser: true }), onLogout: () => app.logout() });
  const bell = notificationBell();

  const outlet = h('main', { class: 'page', id: 'page', tabindex: '-1' });
  let pageHandle = null;
  let shown = null;
  const showPage = (route) => {
    if (shown && shown.page === route.page && shown.tab === route.tab) return;
    shown = route;
    pageHandle?.destroy?.();
    clear(outlet);
    pageHandle = mountPage(route, { app, actor, route, navigate });
    outlet.appendChild(pageHandle.el);
    for (const [page, link] of navLinks) {
      if (page === route.page) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    document.title = `${t(`page.${route.page}`)} · Rapport`;
  };

  const el = h(
    'div',
    { class: 'shell', 'data-testid': 'shell' },
    h(
      'aside',
      { class: 'sidebar', 'data-testid': 'sidebar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark' }, 'Rapport'), h('span', { class: 'brand-team' }, app.teamName ?? '')),
      nav,
      h(
        'button',
        { type: 'button', class: 'palette-open', 'data-testid': 'palette-open', onclick: () => showPalette(), 'aria-keyshortcuts': 'Control+K Meta+K' },
        icon('command', { size: 16 }),
        h('span', {}, t('palette.open')),
        h('kbd', {}, 'Ctrl K'),
      ),
    ),
    h(
      'div',
      { class: 'main' },
      h(
        'header',
        { class: 'topbar' },
        h('div', { class: 'search' }, icon('search', { size: 16 }), search, h('kbd', { class: 'search-key', 'aria-hidden': 'true' }, '/')),
        h('div', { class: 'topbar-spacer' }),
        langPicker({ testid: 'lang-select', onchange: (loc) => app.changeLocale(loc) }),
        bell.el,
        themeBtn,
        menu.el,
      ),
      outlet,
    ),
  );

  function commands() {
    const pages = PAGES.map((page, i) => ({
      id: `go-${page}`, icon: page, label: t('palette.go', { page: t(`page.${page}`) }), hint: `Alt+${i + 1}`,
      keywords: [page, t(`page.${page}`)], run: () => navigate({ page }),
    }));
    const tabs = SETTINGS_TABS.map((tab) => ({
      id: `go-settings-${tab}`, icon: 'settings', label: `${t('page.settings')} › ${t(`settings.tab.${tab}`)}`,
      keywords: ['settings', tab], run: () => navigate({ page: 'settings', tab }),
    }));
    const other = app.otherLocale();
    const actions = [
      ...(actor.role !== 'viewer' ? [{ id: 'log-interaction', icon: 'interactions', label: t('palette.log_interaction'), keywords: ['log', 'interaction', '记录', '互动', 'jlhd'], run: () => logInteractionDialog({ actor }) }] : []),
      { id: 'quarter-review', icon: 'customers', label: t('palette.quarter_review'), keywords: ['review', 'quarter', '清查', '季度', 'qc', 'jdqc'], run: () => navigate({ page: 'customers', tab: 'review' }) },
      { id: 'switch-language', icon: 'system', label: t('palette.switch_language', { lang: t(`lang.${other}`) }), keywords: ['language', 'lang', '语言', 'english', '中文'], run: () => app.changeLocale(other) },
      ...THEME_MODES.map((mode) => ({ id: `theme-${mode}`, icon: THEME_ICONS[mode], label: t('palette.theme', { mode: t(`theme.${mode}`) }), keywords: ['theme', '主题', mode], run: () => setThemeMode(mode) })),
      { id: 'change-password', icon: 'user', label: t('menu.change_password'), keywords: ['password', '密码'], run: openPasswordDialog },
      { id: 'switch-user', icon: 'user', label: t('menu.switch_user'), keywords: ['switch', 'user', '切换'], run: () => app.logout({ switchUser: true }) },
      { id: 'logout', icon: 'user', label: t('menu.logout'), keywords: ['logout', 'sign out', '退出'], run: () => app.logout() },
    ];
    return [...pages, ...tabs, ...actions];
  }
  function showPalette() {
    if (!paletteOpen()) openPalette(commands());
  }

  const onKey = (e) => {
    if (document.querySelector('dialog[open]')) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      showPalette();
    } else if (e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(e.code)) {
      const page = pageForDigit(e.code.slice(5));
      if (page) {
        e.preventDefault();
        navigate({ page });
        navLinks.get(page)?.focus();
      }
    } else if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(document.activeElement)) {
      e.preventDefault();
      search.focus();
    }
  };
  document.addEventListener('keydown', onKey);
  const offRoute = onRouteChange(showPage);
  showPage(currentRoute());

  return {
    el,
    destroy() {
      document.removeEventListener('keydown', onKey);
      offRoute();
      offTheme();
      searchBox.destroy();
      menu.destroy();
      bell.dispose();
      pageHandle?.destroy?.();
    },
    afterMount() {
      if (actor.must_change_password) changePasswordDialog({ forced: true, onLogout: () => app.logout() }).then((ok) => {
        if (ok) actor.must_change_password = false;
      });
    },
  };
}
