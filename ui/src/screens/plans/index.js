// Plans: a month or week calendar of call-backs, onboarding steps, care dates, task and feedback
// deadlines within the user's scope (the core decides what each person sees), filterable by
// owner and kind. Clicking an entry opens a side panel to act on it: complete or snooze a task
// or call-back, open the customer or the feedback item. Keys: PageUp/PageDown or Alt+←/→ move
// a month or week, T today, M/W switch views, arrows move between days, Enter opens a day's week.
import './plans.css';
import { h, replaceChildren } from '../../dom.js';
import { t, locale, formatDate, formatDateTime, formatWeekday } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { loading, loadFailed, select } from '../../components/form.js';
import { icon } from '../../components/icons.js';
import { pageHead } from '../page-head.js';
import { taskRow } from '../tasks/task-row.js';
import {
  VIEWS, monthGrid, weekDays, rangeFor, shift, groupByDate, ownersOf, keyAction, arrowTarget, parseIso,
} from '../../logic/plan-grid.js';

/** The kinds of entry, in the order of the filter chips. */
const KINDS = ['callback', 'task', 'onboarding', 'care', 'feedback_deadline'];
/** Entries a month cell lists before "+N more". */
const CELL_MAX = 3;

/** The hour and minute of an instant, in the machine's time zone (as every time in the app). */
function timeOf(instant) {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(instant));
}

export function mountPlans({ actor, navigate }) {
  let alive = true;
  let view = 'month';
  let anchor = null; // set from the team's today on the first load
  let today = null;
  let owner = '';
  let kinds = new Set(KINDS);
  let focusDate = null;
  let entries = [];
  let seq = 0;
  const owners = new Map([[actor.user_id, actor.display_name]]);

  const period = h('h2', { class: 'plans-period', 'data-testid': 'plans-period', 'aria-live': 'polite' });
  const viewBtns = VIEWS.map((v) =>
    h('button', { type: 'button', class: 'btn btn-sm plans-view', 'data-testid': `plans-view-${v}`, 'aria-pressed': 'false', onclick: () => setView(v) }, t(`plans.view.${v}`)));
  const prev = h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'plans-prev', 'aria-label': t('plans.prev'), title: t('plans.prev_hint'), onclick: () => move(-1) }, '‹');
  const next = h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'plans-next', 'aria-label': t('plans.next'), title: t('plans.next_hint'), onclick: () => move(1) }, '›');
  const todayBtn = h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'plans-today', title: t('plans.today_hint'), onclick: goToday }, t('plans.today'));
  const ownerSlot = h('span', { class: 'plans-owner-slot' });
  const chips = KINDS.map((k) =>
    h('button', { type: 'button', class: ['plans-chip', `plans-kind-${k}`], 'data-testid': `plans-kind-${k}`, 'aria-pressed': 'true', onclick: () => toggleKind(k) }, t(`plans.kind.${k}`)));
  const body = h('div', { class: 'plans-body' }, loading());
  const detail = h('aside', { class: 'plans-detail card', 'data-testid': 'plans-detail', hidden: true, 'aria-label': t('plans.detail') });

  function renderOwnerSelect() {
    const choices = [['', t('plans.owner_all')], ...[...owners].sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => [String(id), id === actor.user_id ? t('plans.owner_me', { name }) : name])];
    const sel = select({ testid: 'plans-owner', choices, value: owner, 'aria-label': t('plans.owner') });
    sel.addEventListener('change', () => {
      owner = sel.value;
      reload();
    });
    replaceChildren(ownerSlot, sel);
  }

  function setView(v) {
    if (v === view) return;
    view = v;
    if (focusDate) anchor = focusDate;
    reload();
  }
  function move(delta) {
    anchor = shift(view, anchor, delta);
    focusDate = null;
    reload();
  }
  function goToday() {
    anchor = today;
    focusDate = today;
    reload();
  }
  function toggleKind(k) {
    if (kinds.has(k) && kinds.size === 1) return; // at least one kind stays on
    if (kinds.has(k)) kinds.delete(k);
    else kinds.add(k);
    reload();
  }

  async function reload() {
    const mine = ++seq;
    try {
      if (!anchor) {
        // First load: learn the team's today, then show its month.
        const first = await api.plansCalendar(rangeFor('week', new Date().toISOString().slice(0, 10)), {});
        today = first.today;
        anchor = today;
      }
      const range = rangeFor(view, anchor);
      const filter = { owner: owner ? Number(owner) : null, kinds: kinds.size === KINDS.length ? [] : [...kinds] };
      const res = await api.plansCalendar(range, filter);
      if (!alive || mine !== seq) return;
      today = res.today;
      entries = res.entries;
      for (const o of ownersOf(entries)) owners.set(o.id, o.name);
      render();
    } catch (err) {
      if (alive && mine === seq) replaceChildren(body, loadFailed(err, reload, 'plans-retry'));
    }
  }

  function periodText() {
    if (view === 'month') {
      const d = parseIso(anchor);
      return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
    }
    const days = weekDays(anchor);
    return t('plans.week_of', { from: formatDate(days[0]), to: formatDate(days[6]) });
  }

  function entryTitle(e) {
    if (e.kind === 'feedback_deadline' && locale() === 'en') return t('plans.feedback_due', { number: e.title.split(' ')[0] });
    return e.title;
  }

  function entryButton(e, { long = false } = {}) {
    return h('button', {
      type: 'button', class: ['plans-entry', `plans-kind-${e.kind}`], 'data-testid': 'plans-entry',
      dataset: { kind: e.kind, itemKind: e.item_kind, itemId: e.item_id, date: e.date },
      title: [entryTitle(e), e.customer_name, e.owner_name].filter(Boolean).join(' · '),
      onclick: (ev) => { ev.stopPropagation(); openDetail(e); },
    },
    long && e.due_at ? h('span', { class: 'plans-time mono' }, timeOf(e.due_at)) : null,
    h('span', { class: 'plans-entry-title' }, entryTitle(e)),
    long && e.customer_name ? h('span', { class: 'plans-entry-sub muted small' }, e.customer_name) : null,
    long && e.owner_name ? h('span', { class: 'plans-entry-sub muted small' }, e.owner_name) : null);
  }

  function dayCell(date, list, { inMonth = true, long = false } = {}) {
    const shown = long ? list : list.slice(0, CELL_MAX);
    const more = list.length - shown.length;
    const d = parseIso(date);
    return h('div', {
      class: ['plans-day', inMonth ? null : 'plans-outside', date === today ? 'plans-is-today' : null],
      role: 'gridcell', 'data-testid': 'plans-day', tabindex: date === (focusDate ?? today) || (!focusDate && !inView(today) && date === anchor) ? '0' : '-1',
      dataset: { date, count: list.length, today: date === today ? 'true' : null, inMonth: inMonth ? 'true' : 'false' },
      'aria-label': `${formatDate(date, { long: true })} · ${t('plans.count', { n: list.length })}`,
      onkeydown: (e) => dayKey(e, date),
      onfocus: () => { focusDate = date; },
    },
    h('div', { class: 'plans-day-head' },
      long ? h('span', { class: 'plans-weekday' }, formatWeekday((d.getUTCDay() + 6) % 7 + 1, 'short')) : null,
      h('span', { class: 'plans-day-num' }, String(d.getUTCDate()))),
    h('div', { class: 'plans-day-entries' }, shown.map((e) => entryButton(e, { long })),
      more > 0 ? h('button', { type: 'button', class: 'plans-more link', 'data-testid': 'plans-more', onclick: () => { anchor = date; focusDate = date; view = 'week'; reload(); } }, t('plans.more', { n: more })) : null,
      long && !list.length ? h('p', { class: 'muted small plans-day-empty' }, t('plans.day_empty')) : null));
  }

  function inView(date) {
    const r = rangeFor(view, anchor);
    return date >= r.from && date <= r.to;
  }

  function dayKey(e, date) {
    if (e.target !== e.currentTarget) return;
    if (e.key === 'Enter' && view === 'month') {
      e.preventDefault();
      anchor = date;
      focusDate = date;
      view = 'week';
      reload();
      return;
    }
    if (e.altKey) return;
    const to = arrowTarget(date, e.key);
    if (!to) return;
    e.preventDefault();
    focusDate = to;
    if (!inView(to) || (view === 'month' && to.slice(0, 7) !== anchor.slice(0, 7) && !body.querySelector(`[data-date="${to}"]`))) {
      anchor = to;
      reload();
    } else {
      body.querySelectorAll('.plans-day').forEach((c) => c.setAttribute('tabindex', c.dataset.date === to ? '0' : '-1'));
      body.querySelector(`.plans-day[data-date="${to}"]`)?.focus();
    }
  }

  function render() {
    period.textContent = periodText();
    viewBtns.forEach((b, i) => b.setAttribute('aria-pressed', VIEWS[i] === view ? 'true' : 'false'));
    chips.forEach((c, i) => c.setAttribute('aria-pressed', kinds.has(KINDS[i]) ? 'true' : 'false'));
    renderOwnerSelect();
    const byDate = groupByDate(entries);
    const heads = [1, 2, 3, 4, 5, 6, 7].map((wd) => h('div', { class: 'plans-head', role: 'columnheader' }, formatWeekday(wd, 'short')));
    let grid;
    if (view === 'month') {
      grid = h('div', { class: 'plans-grid plans-month', role: 'grid', 'data-testid': 'plans-grid', dataset: { view, from: rangeFor(view, anchor).from } },
        h('div', { class: 'plans-row', role: 'row' }, heads),
        monthGrid(anchor).map((row) => h('div', { class: 'plans-row', role: 'row' }, row.map((c) => dayCell(c.date, byDate.get(c.date) ?? [], { inMonth: c.inMonth })))));
    } else {
      grid = h('div', { class: 'plans-grid plans-week', role: 'grid', 'data-testid': 'plans-grid', dataset: { view, from: rangeFor(view, anchor).from } },
        h('div', { class: 'plans-row', role: 'row' }, weekDays(anchor).map((date) => dayCell(date, byDate.get(date) ?? [], { long: true }))));
    }
    const empty = entries.length
      ? null
      : h('div', { class: 'empty-state plans-empty', 'data-testid': 'plans-empty' },
        icon('plans', { size: 32 }),
        h('p', {}, t(`plans.empty_${view}`)),
        h('p', { class: 'muted small' }, t('plans.empty_hint')));
    const hadFocus = body.contains(document.activeElement) && document.activeElement.classList.contains('plans-day');
    replaceChildren(body, empty, grid);
    if (hadFocus || focusDate) {
      const cell = body.querySelector(`.plans-day[data-date="${focusDate}"]`);
      if (cell && hadFocus) cell.focus();
    }
  }

  function closeDetail() {
    detail.hidden = true;
    replaceChildren(detail);
  }

  function openDetail(e) {
    const go = (route) => { closeDetail(); navigate(route); };
    const link = (route, label) => h('a', { class: 'btn btn-sm', href: buildHash(route), 'data-testid': 'plans-detail-open', onclick: (ev) => { ev.preventDefault(); go(route); } }, label);
    const action = h('div', { class: 'plans-detail-body' });
    replaceChildren(detail,
      h('div', { class: 'card-head' },
        h('h2', { class: 'card-title' }, h('span', { class: ['plans-chip', `plans-kind-${e.kind}`] }, t(`plans.kind.${e.kind}`))),
        h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'plans-detail-close', 'aria-label': t('common.close'), onclick: closeDetail }, '×')),
      h('p', { class: 'plans-detail-title', 'data-testid': 'plans-detail-title' }, entryTitle(e)),
      h('dl', { class: 'plans-detail-facts' },
        h('dt', {}, t('plans.date')), h('dd', {}, e.due_at ? formatDateTime(e.due_at) : formatDate(e.date, { long: true })),
        e.customer_name ? [h('dt', {}, t('plans.customer')), h('dd', {}, e.customer_name)] : null,
        e.owner_name ? [h('dt', {}, t('plans.owner')), h('dd', {}, e.owner_name)] : null),
      action);
    detail.hidden = false;
    if (e.item_kind === 'task') {
      replaceChildren(action, loading());
      api.taskGet(e.item_id).then((task) => {
        replaceChildren(action,
          h('ul', { class: 'ix-tasks' }, taskRow(task, { onChange: () => { closeDetail(); reload(); }, showSource: false })),
          e.customer_id != null ? link({ page: 'customers', tab: String(e.customer_id) }, t('plans.open_customer')) : null,
          link({ page: 'interactions', tab: 'tasks' }, t('plans.open_tasks')));
      }).catch((err) => replaceChildren(action, loadFailed(err, () => openDetail(e), 'plans-detail-retry')));
    } else if (e.item_kind === 'feedback') {
      replaceChildren(action, link({ page: 'feedback', tab: String(e.item_id) }, t('plans.open_feedback')));
    } else if (e.customer_id != null) {
      replaceChildren(action, link({ page: 'customers', tab: String(e.customer_id) }, t('plans.open_customer')));
    } else {
      replaceChildren(action, h('p', { class: 'muted small' }, t('plans.holiday_hint')));
    }
    requestAnimationFrame(() => detail.querySelector('button, a')?.focus());
  }

  function pageKey(e) {
    const tag = e.target?.tagName;
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || e.target?.isContentEditable) return;
    if (e.key === 'Escape' && !detail.hidden) {
      closeDetail();
      return;
    }
    if (!anchor) return;
    const a = keyAction(e);
    if (!a) return;
    e.preventDefault();
    if (a.move) move(a.move);
    else if (a.today) goToday();
    else if (a.view) setView(a.view);
  }

  const el = h('div', { class: 'page-inner plans', 'data-testid': 'plans-page', onkeydown: pageKey },
    pageHead(t('page.plans'), { subtitle: t('plans.subtitle') }),
    h('div', { class: 'plans-toolbar' },
      h('div', { class: 'plans-nav' }, prev, todayBtn, next, period),
      h('div', { class: 'plans-views', role: 'group', 'aria-label': t('plans.view_label') }, viewBtns)),
    h('div', { class: 'plans-filters' }, ownerSlot, h('div', { class: 'plans-chips', role: 'group', 'aria-label': t('plans.kinds') }, chips)),
    h('div', { class: 'plans-main' }, body, detail),
    h('p', { class: 'muted small plans-keys' }, t('plans.keys')));
  renderOwnerSelect();
  reload();
  // A new unread count means the scheduler planned or announced something: fetch again.
  let unread = null;
  const off = api.onRemindersChanged((n) => {
    if (alive && anchor && unread !== null && n !== unread) reload();
    unread = n;
  });
  return {
    el,
    destroy() {
      alive = false;
      off.then((fn) => fn());
    },
  };
}
