// The feedback pool: tabs (all / my queue / department queue), filters (status, priority,
// category, channel, department, assignee, SLA stage, date range), and the items as a table
// (#/feedback) or a kanban board by status (#/feedback/kanban). "New feedback" opens the intake.
import { h, replaceChildren, options } from '../../dom.js';
import { t, formatDateTime, errorText, locale } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { button, loading, loadFailed } from '../../components/form.js';
import { icon } from '../../components/icons.js';
import { pageHead } from '../page-head.js';
import { toast } from '../../components/toast.js';
import { exportButton } from '../../components/export-button.js';
import { loadRefs, statusBadge, priorityBadge, slaBadgeEl, canWork, canAssign } from './common.js';
import { STATUSES, PRIORITIES, CHANNELS, STAGES, stageKey, selectionState } from './sla.js';
import { intakeDialog } from './intake.js';
import { board } from './kanban.js';

/** Items per page of the list and the board. */
const PAGE = 200;

// Kept across visits within a session, so coming back from an item keeps the filters.
const state = { queue: 'all', status: '', priority: '', category: '', channel: '', department: '', assignee: '', stage: '', from: '', to: '' };

/** Replace the kept filters (a dashboard drill-down opens the list with them applied). */
export function presetFeedbackFilter(filters) {
  Object.assign(state, { queue: 'all', status: '', priority: '', category: '', channel: '', department: '', assignee: '', stage: '', from: '', to: '' }, filters);
}

/** The filter as feedback_list takes it. */
export function toFilter(s) {
  const num = (v) => (v === '' ? null : Number(v));
  const dayStart = (d) => (d ? new Date(`${d}T00:00:00`).toISOString() : null);
  const dayAfter = (d) => {
    if (!d) return null;
    const x = new Date(`${d}T00:00:00`);
    x.setDate(x.getDate() + 1);
    return x.toISOString();
  };
  return {
    statuses: s.status === 'open' ? ['new', 'in_progress', 'awaiting_customer'] : s.status ? [s.status] : [],
    priority: s.priority || null,
    category_id: num(s.category),
    channel: s.channel || null,
    department_id: num(s.department),
    assignee_user_id: num(s.assignee),
    stage: s.stage || null,
    created_from: dayStart(s.from),
    created_to: dayAfter(s.to),
    queue: s.queue === 'all' ? null : s.queue,
  };
}

export function mountFeedbackList(ctx, view) {
  const { actor, navigate } = ctx;
  let refs = null;
  let alive = true;
  const content = h('div', { class: 'fb-content' }, loading());
  const filterBar = h('div', { class: 'fb-filters', role: 'search', 'aria-label': t('feedback.filters') });

  const open = (item) => navigate({ page: 'feedback', tab: String(item.id) });
  // Bulk assign: the ids ticked in the table (kept across reloads while they are still listed).
  const bulk = canAssign(actor) && view !== 'kanban';
  const selected = new Set();
  let shown = [];
  const bulkBar = h('div', { class: 'fb-bulk card', 'data-testid': 'feedback-bulk-bar', role: 'region', 'aria-label': t('feedback.bulk.assign_to'), hidden: true });

  // The newest `limit` items are listed (each carries its live SLA state, computed per item);
  // "Show more" raises it, a new filter or queue starts again from one page.
  let limit = PAGE;
  const refilter = () => {
    limit = PAGE;
    reload();
  };

  async function reload() {
    try {
      if (!refs) {
        refs = await loadRefs();
        if (alive) renderFilters();
      }
      const fetched = await api.feedbackList({ ...toFilter(state), limit: limit + 1 });
      const items = fetched.slice(0, limit);
      await refs.loadCustomers(items);
      if (!alive) return;
      const footer = fetched.length > limit ? moreBar(items.length) : null;
      if (view === 'kanban') replaceChildren(content, board(items, refs, { actor, open, reload }), footer);
      else {
        shown = items;
        const listed = new Set(items.map((i) => i.id));
        for (const id of [...selected]) if (!listed.has(id)) selected.delete(id);
        replaceChildren(content, items.length ? table(items) : empty(), footer);
        renderBulk();
      }
    } catch (err) {
      if (alive) replaceChildren(content, loadFailed(err, reload, 'feedback-retry'));
    }
  }

  function filterSelect(key, testid, label, choices) {
    const el = h('select', { class: 'input select', 'data-testid': testid, 'aria-label': label, onchange: () => { state[key] = el.value; refilter(); } }, options([['', label], ...choices], state[key]));
    return el;
  }

  function renderFilters() {
    const tops = refs.categories.filter((c) => !c.parent_id);
    const catChoices = tops.flatMap((top) => [[top.id, refs.catName(top.id)], ...refs.categories.filter((c) => c.parent_id === top.id).map((c) => [c.id, `　${refs.catName(c.id)}`])]);
    const dateInput = (key, testid, label) => {
      const el = h('input', { class: 'input fb-date', type: 'date', 'data-testid': testid, 'aria-label': label, title: label, value: state[key], onchange: () => { state[key] = el.value; refilter(); } });
      return el;
    };
    replaceChildren(
      filterBar,
      filterSelect('status', 'feedback-filter-status', t('feedback.filter.status'), [['open', t('feedback.filter.open')], ...STATUSES.map((s) => [s, t(`feedback.status.${s}`)])]),
      filterSelect('priority', 'feedback-filter-priority', t('feedback.filter.priority'), PRIORITIES.map((p) => [p, t(`feedback.priority.${p}`)])),
      filterSelect('category', 'feedback-filter-category', t('feedback.filter.category'), catChoices),
      filterSelect('channel', 'feedback-filter-channel', t('feedback.filter.channel'), CHANNELS.map((c) => [c, t(`feedback.channel.${c}`)])),
      filterSelect('department', 'feedback-filter-department', t('feedback.filter.department'), refs.departments.map((d) => [d.id, d.name])),
      filterSelect('assignee', 'feedback-filter-assignee', t('feedback.filter.assignee'), refs.users.filter((u) => u.role !== 'viewer').map((u) => [u.id, u.display_name])),
      filterSelect('stage', 'feedback-filter-sla', t('feedback.filter.sla'), STAGES.map((s) => [s, t(stageKey(s))])),
      h('span', { class: 'fb-range' }, dateInput('from', 'feedback-filter-from', t('feedback.filter.from')), '–', dateInput('to', 'feedback-filter-to', t('feedback.filter.to'))),
      button({ testid: 'feedback-filter-reset', kind: 'ghost', label: t('feedback.filter.reset'), onclick: () => {
        Object.assign(state, { status: '', priority: '', category: '', channel: '', department: '', assignee: '', stage: '', from: '', to: '' });
        renderFilters();
        refilter();
      } }),
    );
  }

  // Tick boxes: a click or Space on a row's box toggles it; the header box selects the page.
  function rowBox(it) {
    const box = h('input', { type: 'checkbox', class: 'fb-check', 'data-testid': 'feedback-row-select', 'aria-label': t('feedback.select_row', { number: it.number }), checked: selected.has(it.id), onclick: (e) => e.stopPropagation(), onkeydown: (e) => e.stopPropagation(), onchange: () => {
      if (box.checked) selected.add(it.id);
      else selected.delete(it.id);
      box.closest('tr')?.classList.toggle('is-selected', box.checked);
      renderBulk();
    } });
    return h('td', { class: 'fb-check-cell', onclick: (e) => { if (e.target === e.currentTarget) { e.stopPropagation(); box.click(); } } }, box);
  }

  function syncAllBox() {
    const all = content.querySelector('[data-testid="feedback-select-all"]');
    if (!all) return;
    const st = selectionState(selected, shown.map((i) => i.id));
    all.checked = st === 'all';
    all.indeterminate = st === 'some';
  }

  function renderBulk() {
    if (!bulk) return;
    syncAllBox();
    bulkBar.hidden = selected.size === 0;
    if (!selected.size) return replaceChildren(bulkBar);
    const ids = [...selected];
    const depts = new Set(shown.filter((i) => selected.has(i.id)).flatMap((i) => [i.lead_department_id, ...i.collaborator_department_ids]));
    const people = refs.users.filter((u) => u.active && u.role !== 'viewer').sort((a, b) => Number(depts.has(b.department_id)) - Number(depts.has(a.department_id)));
    const who = h('select', { class: 'input select', 'data-testid': 'feedback-bulk-assignee', 'aria-label': t('feedback.bulk.assign_to') }, options([['', t('feedback.bulk.choose')], ['round_robin', t('feedback.assignment.round_robin')], ...people.map((u) => [u.id, u.department_id ? `${u.display_name} · ${refs.deptName(u.department_id)}` : u.display_name])], ''));
    const error = h('p', { class: 'form-error fb-bulk-error', 'data-testid': 'feedback-bulk-error', role: 'alert', hidden: true });
    const go = button({ testid: 'feedback-bulk-assign', kind: 'primary', label: t('feedback.bulk.assign'), onclick: async () => {
      if (!who.value) {
        error.hidden = false;
        error.textContent = t('feedback.bulk.choose');
        who.focus();
        return;
      }
      go.disabled = true;
      try {
        const done = await api.feedbackAssignMany(ids, who.value === 'round_robin' ? { mode: 'round_robin' } : { mode: 'user', user_id: Number(who.value) });
        selected.clear();
        toast(t('feedback.bulk.assigned', { n: done.length }), { kind: 'success' });
        reload();
      } catch (err) {
        go.disabled = false;
        error.hidden = false;
        error.textContent = err?.params?.item ? t('feedback.bulk.failed', { item: err.params.item, reason: errorText(err) }) : errorText(err);
      }
    } });
    replaceChildren(
      bulkBar,
      h('span', { class: 'fb-bulk-count', 'data-testid': 'feedback-bulk-count' }, t('feedback.bulk.count', { n: ids.length })),
      h('label', { class: 'fb-bulk-label' }, t('feedback.bulk.assign_to'), who),
      go,
      button({ testid: 'feedback-bulk-clear', kind: 'ghost', label: t('feedback.bulk.clear'), onclick: () => {
        selected.clear();
        content.querySelectorAll('[data-testid="feedback-row-select"]').forEach((b) => { b.checked = false; b.closest('tr')?.classList.remove('is-selected'); });
        renderBulk();
      } }),
      error,
    );
  }

  function table(items) {
    const allBox = bulk
      ? h('input', { type: 'checkbox', class: 'fb-check', 'data-testid': 'feedback-select-all', 'aria-label': t('feedback.select_all'), onchange: (e) => {
          const on = e.currentTarget.checked;
          for (const it of items) on ? selected.add(it.id) : selected.delete(it.id);
          content.querySelectorAll('[data-testid="feedback-row-select"]').forEach((b) => { b.checked = on; b.closest('tr')?.classList.toggle('is-selected', on); });
          renderBulk();
        } })
      : null;
    return h(
      'div',
      { class: 'table-wrap card fb-table-card' },
      h(
        'table',
        { class: 'table fb-table', 'data-testid': 'feedback-table' },
        h('thead', {}, h('tr', {}, bulk ? h('th', { class: 'fb-check-cell' }, allBox) : null, [
          t('feedback.col.number'), t('feedback.customer'), t('feedback.category'), t('feedback.priority_label'), t('common.status'),
          t('feedback.assignee'), t('feedback.col.sla'),
        ].map((x) => h('th', {}, x)))),
        h(
          'tbody',
          {},
          items.map((it) =>
            h(
              'tr',
              { class: ['fb-row', `fb-row-${it.priority}`, selected.has(it.id) ? 'is-selected' : null], 'data-testid': 'feedback-row', dataset: { number: it.number, id: it.id, status: it.status }, tabindex: '0', onclick: () => open(it), onkeydown: (e) => {
                if (e.key === 'Enter') open(it);
                // Space ticks the focused row (bulk assign), as on the box itself.
                if (e.key === ' ' && bulk && e.target === e.currentTarget) {
                  e.preventDefault();
                  e.currentTarget.querySelector('[data-testid="feedback-row-select"]')?.click();
                }
              } },
              bulk ? rowBox(it) : null,
              h('td', { class: 'fb-nowrap' }, h('a', { href: buildHash({ page: 'feedback', tab: String(it.id) }), class: 'link mono', 'data-testid': 'feedback-row-link' }, it.number), h('div', { class: 'muted fb-sub-line' }, formatDateTime(it.created_at))),
              h('td', { class: 'fb-cell-customer' }, refs.customerName(it), h('div', { class: 'muted fb-desc' }, it.description)),
              h('td', { title: refs.catPath(it.category_id) }, refs.catName(it.category_id)),
              h('td', {}, priorityBadge(it.priority)),
              h('td', {}, statusBadge(it.status)),
              h('td', {}, refs.userName(it.assignee_user_id) || h('span', { class: 'muted' }, t('feedback.unassigned')), h('div', { class: 'muted fb-sub-line' }, refs.deptName(it.lead_department_id))),
              h('td', {}, slaBadgeEl(it, 'feedback-sla-badge', { compact: true })),
            ),
          ),
        ),
      ),
    );
  }

  function moreBar(n) {
    return h(
      'div',
      { class: 'fb-more', 'data-testid': 'feedback-more-bar' },
      h('span', { class: 'muted', 'data-testid': 'feedback-more-count' }, t('feedback.more.shown', { n })),
      button({ testid: 'feedback-more', kind: 'ghost', label: t('feedback.more.show'), onclick: () => {
        limit += PAGE;
        reload();
      } }),
    );
  }

  function empty() {
    const filtered = Object.entries(state).some(([k, v]) => k !== 'queue' && v !== '');
    return h(
      'section',
      { class: 'empty-state card', 'data-testid': 'feedback-empty' },
      icon('feedback', { size: 40 }),
      h('h2', {}, t(filtered ? 'feedback.empty_filtered_title' : 'feedback.empty_title')),
      h('p', {}, t(filtered ? 'feedback.empty_filtered_body' : 'feedback.empty_body')),
    );
  }

  const newBtn = canWork(actor)
    ? button({ testid: 'feedback-new', kind: 'primary', 'aria-keyshortcuts': 'N', onclick: async () => {
        if (!refs) return;
        const made = await intakeDialog(refs);
        if (made) reload();
      } }, icon('plus', { size: 16 }), t('feedback.new'))
    : null;
  // Every matching item (not only the listed page) as XLSX in table 3's layout; reports and
  // list exports are not for staff (ReportExport).
  const exportBtn = actor.role !== 'staff'
    ? exportButton({ testid: 'feedback-export', label: t('feedback.export'), title: t('feedback.export_hint'), run: () => api.feedbackExport(toFilter(state), locale()) })
    : null;
  const viewLink = (v, label) =>
    h('a', { class: ['btn', 'btn-ghost', view === v ? 'is-active' : null], href: buildHash({ page: 'feedback', tab: v === 'kanban' ? 'kanban' : null }), 'data-testid': `feedback-view-${v}`, 'aria-current': view === v ? 'page' : null }, label);

  const queues = [['all', t('feedback.queue.all')], ['mine', t('feedback.queue.mine')], ...(actor.department_id ? [['department', t('feedback.queue.department')]] : [])];
  const tabs = h(
    'div',
    { class: 'tabs fb-tabs', role: 'tablist', 'aria-label': t('feedback.queues') },
    queues.map(([q, label]) =>
      h('button', { type: 'button', class: 'tab', role: 'tab', 'data-testid': `feedback-tab-${q}`, 'aria-selected': state.queue === q ? 'true' : 'false', onclick: (e) => {
        state.queue = q;
        tabs.querySelectorAll('.tab').forEach((b) => b.setAttribute('aria-selected', b === e.currentTarget ? 'true' : 'false'));
        refilter();
      } }, label),
    ),
  );

  const el = h(
    'div',
    { class: ['page-inner', 'fb-page', view === 'kanban' ? 'fb-page-wide' : null], 'data-testid': view === 'kanban' ? 'feedback-kanban-page' : 'feedback-list' },
    pageHead(t('page.feedback'), { actions: [h('div', { class: 'fb-views' }, viewLink('list', t('feedback.view.list')), viewLink('kanban', t('feedback.view.kanban'))), exportBtn, newBtn] }),
    tabs,
    filterBar,
    bulk ? bulkBar : null,
    content,
  );

  // "N" opens the intake from the pool (not while typing).
  const onKey = (e) => {
    if (e.key.toLowerCase() !== 'n' || e.ctrlKey || e.metaKey || e.altKey || !newBtn) return;
    const a = document.activeElement;
    if (a && (['INPUT', 'TEXTAREA', 'SELECT'].includes(a.tagName) || a.isContentEditable) || document.querySelector('dialog[open]')) return;
    e.preventDefault();
    newBtn.click();
  };
  document.addEventListener('keydown', onKey);
  reload();
  return {
    el,
    destroy() {
      alive = false;
      document.removeEventListener('keydown', onKey);
    },
  };
}
