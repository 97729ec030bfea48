// Today: a greeting, then what needs the person now — my overdue tasks, due today, due this week
// (complete or snooze in place), care dates coming up, and my feedback near or past its
// deadline, and (heads and admins) customer change requests waiting for my decision — each with
// a next step when empty; "Log interaction" is one click away.
import './interactions/interactions.css';
import { h, replaceChildren } from '../dom.js';
import { t, tOr, formatDate, locale } from '../i18n.js';
import * as api from '../api.js';
import { buildHash } from '../router.js';
import { greetingKey } from '../logic/greeting.js';
import { loading, loadFailed } from '../components/form.js';
import { icon } from '../components/icons.js';
import { pageHead } from './page-head.js';
import { taskRow } from './tasks/task-row.js';
import { logInteractionDialog } from './interactions/log-dialog.js';
import { canLog } from './interactions/common.js';
import { slaBadgeEl } from './feedback/common.js';

const CARE_DAYS = 7;
const OPEN_FEEDBACK = ['new', 'in_progress', 'awaiting_customer'];
const URGENT_STAGES = new Set(['due_soon', 'breached', 'escalated_level_1', 'escalated_level_2']);

function section({ testid, title, count, tone, children, emptyText, emptyAction }) {
  return h(
    'section',
    { class: ['card', 'today-section', tone ? `today-${tone}` : null], 'data-testid': testid, dataset: { count } },
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, title, h('span', { class: 'today-count' }, String(count)))),
    count ? children : h('div', { class: 'today-empty-line muted' }, h('p', {}, emptyText), emptyAction ?? null),
  );
}

export function mountToday({ actor, navigate }) {
  let alive = true;
  const now = new Date();
  const body = h('div', { class: 'today-body' }, loading());
  const dateLine = h('p', { class: 'today-date', 'data-testid': 'today-date' }, formatDate(now, { long: true }));
  const logBtn = canLog(actor)
    ? h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'interaction-new', onclick: async () => {
        if (await logInteractionDialog({ actor })) reload();
      } }, icon('plus', { size: 16 }), t('interactions.new'))
    : null;
  const linkTo = (route, label, testid) =>
    h('a', { href: buildHash(route), class: 'link', 'data-testid': testid, onclick: (e) => { e.preventDefault(); navigate(route); } }, label);

  async function reload() {
    try {
      const [today, care, feedback, changes] = await Promise.all([
        api.today(),
        api.todayCare(CARE_DAYS).catch(() => []),
        api.feedbackList({ statuses: OPEN_FEEDBACK, queue: 'mine' }).catch(() => []),
        // Only heads and admins decide change requests; for others the section is left out.
        api.customerChangesPending().catch(() => null),
      ]);
      if (!alive) return;
      const urgent = feedback.filter((f) => f.sla && URGENT_STAGES.has(f.sla.stage));
      const names = new Map();
      const ids = [...new Set(urgent.map((f) => f.customer_id).filter((x) => x != null))];
      if (ids.length) {
        try {
          for (const c of await api.customerNames(ids)) names.set(c.id, c.name);
        } catch {
          /* names are a nicety */
        }
      }
      render(today, care, urgent, names, changes);
    } catch (err) {
      if (alive) replaceChildren(body, loadFailed(err, reload, 'today-retry'));
    }
  }

  const tasks = (list) => h('ul', { class: 'ix-tasks' }, list.map((task) => taskRow(task, { canAct: canLog(actor), onChange: reload })));
  const allClear = () => linkTo({ page: 'interactions', tab: 'tasks' }, t('today.open_tasks'), 'today-open-tasks');

  function render(today, care, urgent, names, changes) {
    // The date by the app's clock in the team's time zone (what the sections are counted by).
    if (today.date) dateLine.textContent = formatDate(today.date, { long: true });
    const changeRow = (p) =>
      h('li', { class: 'today-row', 'data-testid': 'today-change-row', dataset: { id: p.request.id, customerId: p.request.customer_id } },
        h('span', { class: 'mono muted small' }, p.customer_number),
        h('span', { class: 'today-row-main' }, p.customer_name, h('span', { class: 'muted small today-desc' }, tOr(`customer.field.${p.request.field}`, p.request.field))),
        p.overdue ? h('span', { class: 'badge ix-badge-todo' }, t('today.change_overdue')) : null,
        linkTo({ page: 'customers', tab: String(p.request.customer_id) }, t('today.change_decide'), 'today-change-open'));
    const careRow = (c) => {
      // The core's ready-made title is Chinese; in English build it from the parts.
      const en = locale() === 'en';
      const name = !en ? c.title
        : c.kind === 'holiday' ? (c.holiday_name_en || c.title)
        : c.kind === 'anniversary' ? t('today.care_years', { n: c.years ?? 0 })
        : (c.contact_name ?? c.title);
      const who = c.kind === 'holiday' ? t('today.care_customers', { n: c.customer_count ?? 0 }) : (c.customer_name ?? '');
      return h('li', { class: 'today-row', 'data-testid': 'care-row', dataset: { kind: c.kind, date: c.date } },
        h('span', { class: 'today-date-chip' }, formatDate(c.date)),
        h('span', { class: 'badge badge-holiday' }, t(`today.care_kind.${c.kind}`)),
        h('span', { class: 'today-row-main' }, name),
        h('span', { class: 'muted small' }, who),
        c.customer_id != null ? linkTo({ page: 'customers', tab: String(c.customer_id) }, t('today.open_customer'), 'care-open-customer') : null);
    };
    const feedbackRow = (f) =>
      h('li', { class: 'today-row', 'data-testid': 'today-feedback-row', dataset: { id: f.id, number: f.number } },
        h('a', { class: 'link mono', href: buildHash({ page: 'feedback', tab: String(f.id) }), 'data-testid': 'today-feedback-link' }, f.number),
        h('span', { class: 'today-row-main' }, f.customer_id != null ? (names.get(f.customer_id) ?? `#${f.customer_id}`) : (f.unknown_name || '—'), h('span', { class: 'muted small today-desc' }, f.description)),
        h('span', { class: 'badge' }, tOr(`feedback.status.${f.status}`, f.status)),
        slaBadgeEl(f, 'today-feedback-sla', { compact: true }));
    const nothing = !today.overdue_tasks.length && !today.due_today.length && !today.due_this_week.length;
    replaceChildren(
      body,
      nothing ? h('p', { class: 'notice today-clear', 'data-testid': 'today-all-clear' }, t('today.all_clear')) : null,
      h('div', { class: 'today-grid' },
        section({ testid: 'today-overdue', title: t('today.overdue'), count: today.overdue_tasks.length, tone: today.overdue_tasks.length ? 'danger' : null, children: tasks(today.overdue_tasks), emptyText: t('today.overdue_empty') }),
        section({ testid: 'today-due-today', title: t('today.due_today'), count: today.due_today.length, children: tasks(today.due_today), emptyText: t('today.due_today_empty'), emptyAction: allClear() }),
        section({ testid: 'today-week', title: t('today.week'), count: today.due_this_week.length, children: tasks(today.due_this_week), emptyText: t('today.week_empty'), emptyAction: logBtn ? h('button', { type: 'button', class: 'link link-button', 'data-testid': 'today-log-hint', onclick: () => logBtn.click() }, t('today.week_empty_action')) : null }),
        section({ testid: 'today-care', title: t('today.care', { days: CARE_DAYS }), count: care.length, children: h('ul', { class: 'today-list' }, care.map(careRow)), emptyText: t('today.care_empty') }),
        changes == null ? null : section({ testid: 'today-changes', title: t('today.changes'), count: changes.length, tone: changes.some((p) => p.overdue) ? 'warn' : null, children: h('ul', { class: 'today-list' }, changes.map(changeRow)), emptyText: t('today.changes_empty') }),
        section({ testid: 'today-feedback', title: t('today.feedback'), count: urgent.length, tone: urgent.length ? 'warn' : null, children: h('ul', { class: 'today-list' }, urgent.map(feedbackRow)), emptyText: t('today.feedback_empty'), emptyAction: linkTo({ page: 'feedback' }, t('today.open_feedback'), 'today-open-feedback') }),
      ),
    );
  }

  const el = h(
    'div',
    { class: 'page-inner today' },
    pageHead(t('page.today'), { actions: logBtn }),
    h('section', { class: 'today-hello' },
      h('p', { class: 'greeting', 'data-testid': 'today-greeting' }, t(greetingKey(now.getHours()), { name: actor.display_name })),
      dateLine),
    body,
  );
  reload();
  // The scheduler emits reminders-changed (the unread count) after every tick; a new count means
  // something came due, so the lists are fetched again (not on every tick, to keep menus open).
  let unread = null;
  const off = api.onRemindersChanged((n) => {
    if (alive && unread !== null && n !== unread) reload();
    unread = n;
  });
  return { el, destroy() { alive = false; off.then((fn) => fn()); } };
}
