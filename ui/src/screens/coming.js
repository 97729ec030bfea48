// Placeholder pages (Customers, Interactions, Feedback, Plans, Reports): the page's real title and
// a clear "coming in a later release" note saying what it will hold. No sample data.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';
import { pageHead } from './page-head.js';

export function mountComing(page) {
  const el = h(
    'div',
    { class: 'page-inner' },
    pageHead(t(`page.${page}`)),
    h(
      'section',
      { class: 'empty-state card', 'data-testid': 'coming-soon', dataset: { page } },
      icon(page, { size: 40 }),
      h('h2', {}, t('coming.title', { page: t(`page.${page}`) })),
      h('p', {}, t(`coming.${page}`)),
      h('p', { class: 'muted' }, t('coming.note')),
    ),
  );
  return { el };
}
