// Settings page: tabs for Team, Departments, Users, Calendar, Feedback, Interactions and
// Notifications (#/settings/<tab>).
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { SETTINGS_TABS, buildHash, navigate } from '../../router.js';
import { pageHead } from '../page-head.js';
import { mountTeamTab } from './team.js';
import { mountDepartmentsTab } from './departments.js';
import { mountUsersTab } from './users.js';
import { mountCalendarTab } from './calendar.js';
import { mountFeedbackSettingsTab } from '../feedback/settings.js';
import { mountInteractionSettingsTab } from '../interactions/script-settings.js';
import { mountNotificationsTab } from './notifications.js';

const TABS = { team: mountTeamTab, departments: mountDepartmentsTab, users: mountUsersTab, calendar: mountCalendarTab, feedback: mountFeedbackSettingsTab, interactions: mountInteractionSettingsTab, notifications: mountNotificationsTab };

export function mountSettings(ctx) {
  const active = ctx.route.tab;
  const links = SETTINGS_TABS.map((tab) =>
    h(
      'a',
      {
        href: buildHash({ page: 'settings', tab }), role: 'tab', id: `settings-tab-${tab}`, class: 'tab',
        'data-testid': `settings-tab-${tab}`, 'aria-selected': tab === active ? 'true' : 'false',
        'aria-controls': 'settings-panel', tabindex: tab === active ? '0' : '-1',
      },
      t(`settings.tab.${tab}`),
    ),
  );
  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('page.settings') }, links);
  tablist.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = SETTINGS_TABS.indexOf(active);
    const next = SETTINGS_TABS[(i + (e.key === 'ArrowRight' ? 1 : -1) + SETTINGS_TABS.length) % SETTINGS_TABS.length];
    navigate({ page: 'settings', tab: next });
    requestAnimationFrame(() => document.getElementById(`settings-tab-${next}`)?.focus());
  });
  const tabHandle = TABS[active](ctx);
  const el = h(
    'div',
    { class: 'page-inner settings' },
    pageHead(t('page.settings')),
    tablist,
    h('div', { class: 'tab-panel', role: 'tabpanel', id: 'settings-panel', 'aria-labelledby': `settings-tab-${active}` }, tabHandle.el),
  );
  return { el, destroy: () => tabHandle.destroy?.() };
}
