// Pure route logic: the pages of the app, hash ⇄ route parsing. src/router.js wires it to the window.

/** The seven pages in sidebar order (Alt+1..7 follows this order). */
export const PAGES = ['today', 'customers', 'interactions', 'feedback', 'plans', 'reports', 'settings'];
/** The tabs of the settings page. */
export const SETTINGS_TABS = ['team', 'departments', 'users', 'calendar', 'feedback', 'interactions', 'notifications'];
export const DEFAULT_PAGE = 'today';

/** Feedback sub-routes: the kanban board ('kanban') or one item by id ('42'). */
export function isFeedbackView(sub) {
  return sub === 'kanban' || (typeof sub === 'string' && /^[1-9][0-9]{0,15}$/.test(sub));
}

/** Customers sub-routes: one customer by id ('42') or the quarter-end review ('review'). */
export function isCustomerView(sub) {
  return sub === 'review' || (typeof sub === 'string' && /^[1-9][0-9]{0,15}$/.test(sub));
}

/** Interactions sub-routes: the task list ('tasks'). */
export function isInteractionsView(sub) {
  return sub === 'tasks';
}

/** '#/settings/users' → {page: 'settings', tab: 'users'}; anything unknown → Today. */
export function parseHash(hash) {
  const path = String(hash ?? '').replace(/^#/, '').replace(/^\/+/, '').split('?')[0];
  const [page, sub] = path.split('/').filter(Boolean);
  if (!PAGES.includes(page)) return { page: DEFAULT_PAGE, tab: null };
  if (page === 'settings') return { page, tab: SETTINGS_TABS.includes(sub) ? sub : SETTINGS_TABS[0] };
  if (page === 'feedback' && isFeedbackView(sub)) return { page, tab: sub };
  if (page === 'customers' && isCustomerView(sub)) return { page, tab: sub };
  if (page === 'interactions' && isInteractionsView(sub)) return { page, tab: sub };
  return { page, tab: null };
}

/** {page, tab} → '#/page[/tab]'. */
export function buildHash({ page, tab = null }) {
  const p = PAGES.includes(page) ? page : DEFAULT_PAGE;
  if (p === 'settings') return `#/settings/${SETTINGS_TABS.includes(tab) ? tab : SETTINGS_TABS[0]}`;
  if (p === 'feedback' && isFeedbackView(tab)) return `#/feedback/${tab}`;
  if (p === 'customers' && isCustomerView(tab)) return `#/customers/${tab}`;
  if (p === 'interactions' && isInteractionsView(tab)) return `#/interactions/${tab}`;
  return `#/${p}`;
}

/** The page Alt+<digit> jumps to, or null. */
export function pageForDigit(digit) {
  const n = Number(digit);
  return Number.isInteger(n) && n >= 1 && n <= PAGES.length ? PAGES[n - 1] : null;
}
