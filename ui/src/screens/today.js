// Today: a greeting with the user's name and the date, and an honest note of what will appear here.
import { h } from '../dom.js';
import { t, formatDate } from '../i18n.js';
import { greetingKey } from '../logic/greeting.js';
import { can } from '../logic/catalog.js';
import { icon } from '../components/icons.js';
import { pageHead } from './page-head.js';

export function mountToday({ actor, navigate }) {
  const now = new Date();
  const greeting = t(greetingKey(now.getHours()), { name: actor.display_name });
  const el = h(
    'div',
    { class: 'page-inner today' },
    pageHead(t('page.today')),
    h(
      'section',
      { class: 'today-hello' },
      h('p', { class: 'greeting', 'data-testid': 'today-greeting' }, greeting),
      h('p', { class: 'today-date', 'data-testid': 'today-date' }, formatDate(now, { long: true })),
    ),
    h(
      'section',
      { class: 'empty-state card', 'data-testid': 'today-empty' },
      icon('today', { size: 40 }),
      h('h2', {}, t('today.empty_title')),
      h('p', {}, t('today.empty_body')),
      h('ul', { class: 'empty-list' }, h('li', {}, t('today.will_tasks')), h('li', {}, t('today.will_callbacks')), h('li', {}, t('today.will_feedback'))),
      can(actor.role, 'hours_edit')
        ? h('p', {}, h('a', { href: '#/settings/calendar', class: 'link', 'data-testid': 'today-open-calendar', onclick: (e) => {
            e.preventDefault();
            navigate({ page: 'settings', tab: 'calendar' });
          } }, t('today.next_calendar')))
        : null,
    ),
  );
  return { el };
}
