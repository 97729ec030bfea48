// The Interactions page: #/interactions (every interaction in the person's scope, newest first,
// filtered by date range, channel, owner, customer and open to-dos; a row opens it in full) and
// #/interactions/tasks (the task list). "Log interaction" opens the log dialog.
import { h, replaceChildren, options } from '../../dom.js';
import { t, locale } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { loading, loadFailed, button } from '../../components/form.js';
import { openDialog } from '../../components/dialog.js';
import { icon } from '../../components/icons.js';
import { pageHead } from '../page-head.js';
import { exportButton } from '../../components/export-button.js';
import { loadRefs, rowChannel, channelBadge, when, canLog, customerPicker } from './common.js';
import { logInteractionDialog } from './log-dialog.js';
import { interactionBody } from './entry.js';
import { mountTasks } from '../tasks/index.js';

// Kept across visits within a session.
const state = { from: '', to: '', channel: '', owner: '', customer: null, todos: '' };
const PAGE = 50;

/** The filter as interactions_list takes it. */
export function toFilter(s, limit = PAGE) {
  const dayStart = (d) => (d ? new Date(`${d}T00:00:00`).toISOString() : null);
  const dayAfter = (d) => {
    if (!d) return null;
    const x = new Date(`${d}T00:00:00`);
    x.setDate(x.getDate() + 1);
    return x.toISOString();
  };
  return {
    from: dayStart(s.from),
    to: dayAfter(s.to),
    channels: s.channel ? [s.channel] : [],
    owner_user_id: s.owner ? Number(s.owner) : null,
    customer_id: s.customer?.id ?? null,
    has_open_todos: s.todos === 'yes' ? true : s.todos === 'no' ? false : null,
    page: { offset: 0, limit },
  };
}

function tabs(current) {
  const tab = (id, label, route) =>
    h('a', { class: 'tab', role: 'tab', href: buildHash(route), 'data-testid': `interactions-tab-${id}`, 'aria-selected': current === id ? 'true' : 'false' }, label);
  return h('div', { class: 'tabs ix-tabs', role: 'tablist' },
    tab('list', t('interactions.tab.list'), { page: 'interactions' }),
    tab('tasks', t('interactions.tab.tasks'), { page: 'interactions', tab: 'tasks' }));
}

export function mountInteractions(ctx) {
  const { actor } = ctx;
  if (ctx.route.tab === 'tasks') {
    const inner = mountTasks(ctx);
    const el = h('div', { class: 'page-inner ix-page', 'data-testid': 'tasks-page' }, pageHead(t('page.interactions')), tabs('tasks'), inner.el);
    return { el, destroy: inner.destroy };
  }
  let alive = true;
  let refs = null;
  let limit = PAGE;
  const filterBar = h('div', { class: 'ix-filters', role: 'search', 'aria-label': t('interactions.filters') });
  const content = h('div', { class: 'ix-content' }, loading());

  async function reload() {
    try {
      if (!refs) {
        refs = await loadRefs();
        if (alive) renderFilters();
      }
      const page = await api.interactionsList(toFilter(state, limit));
      if (alive) replaceChildren(content, page.items.length ? table(page) : empty());
    } catch (err) {
      if (alive) replaceChildren(content, loadFailed(err, reload, 'interactions-retry'));
    }
  }

  function renderFilters() {
    const sel = (key, testid, label, choices) => {
      const el = h('select', { class: 'input select', 'data-testid': testid, 'aria-label': label, onchange: () => { state[key] = el.value; limit = PAGE; reload(); } }, options([['', label], ...choices], state[key]));
      return el;
    };
    const date = (key, testid, label) => {
      const el = h('input', { class: 'input ix-date', type: 'date', 'data-testid': testid, 'aria-label': label, title: label, value: state[key], onchange: () => { state[key] = el.value; limit = PAGE; reload(); } });
      return el;
    };
    const picker = customerPicker({ testid: 'interactions-filter-customer', optionTestid: 'interactions-filter-customer-option', id: 'ix-filter-customer', picked: state.customer, placeholder: t('interactions.filter.customer'), onPick: (c) => { state.customer = c; limit = PAGE; reload(); } });
    replaceChildren(
      filterBar,
      h('span', { class: 'ix-range' }, date('from', 'interactions-filter-from', t('interactions.filter.from')), '–', date('to', 'interactions-filter-to', t('interactions.filter.to'))),
      sel('channel', 'interactions-filter-channel', t('interactions.filter.all_channels'), refs.channels.map((c) => [c.code, refs.channelName(c.code)])),
      sel('owner', 'interactions-filter-owner', t('interactions.filter.owner'), refs.users.map((u) => [u.id, u.display_name])),
      picker.el,
      sel('todos', 'interactions-filter-todos', t('interactions.filter.todos'), [['yes', t('interactions.filter.todos_yes')], ['no', t('interactions.filter.todos_no')]]),
      button({ testid: 'interactions-filter-reset', kind: 'ghost', label: t('interactions.filter.reset'), onclick: () => {
        Object.assign(state, { from: '', to: '', channel: '', owner: '', customer: null, todos: '' });
        limit = PAGE;
        renderFilters();
        reload();
      } }),
    );
  }

  async function openRow(it) {
    let handle = null;
    const body = h('div', {}, loading());
    const dlg = openDialog({
      title: it.subject,
      testid: 'interaction-view',
      className: 'ix-dialog',
      body: [h('p', { class: 'muted' }, it.customer_name, ' · ', rowChannel(it), ' · ', when(it.occurred_at)), body],
      actions: [
        h('a', { class: 'btn btn-ghost', href: buildHash({ page: 'customers', tab: String(it.customer_id) }), 'data-testid': 'interaction-open-customer', onclick: () => dlg.close(null) }, t('interactions.open_customer')),
        button({ testid: 'interaction-view-close', label: t('common.close'), onclick: () => dlg.close(null) }),
      ],
    });
    try {
      const detail = await api.interactionGet(it.id);
      handle = interactionBody(detail, { actor, onChange: () => reload(), onDeleted: () => { dlg.close(null); reload(); }, onEdited: (saved) => { dlg.close(null); reload(); openRow(saved); } });
      replaceChildren(body, handle.el);
    } catch (err) {
      replaceChildren(body, loadFailed(err, () => { dlg.close(null); openRow(it); }));
    }
    await dlg.result;
    handle?.destroy?.();
  }

  function table(page) {
    return h('div', {},
      h('div', { class: 'table-wrap card' },
        h('table', { class: 'table ix-table', 'data-testid': 'interactions-table' },
          h('thead', {}, h('tr', {}, [t('interactions.occurred_at'), t('interactions.customer'), t('interactions.channel'), t('interactions.subject'), t('interactions.todos'), t('interactions.logged_by_col')].map((x) => h('th', {}, x)))),
          h('tbody', {}, page.items.map((it) =>
            h('tr', { class: 'ix-row', 'data-testid': 'interaction-row', dataset: { id: it.id, subject: it.subject }, tabindex: '0', onclick: () => openRow(it), onkeydown: (e) => { if (e.key === 'Enter') openRow(it); } },
              h('td', { class: 'nowrap' }, when(it.occurred_at)),
              h('td', {}, h('a', { class: 'link', href: buildHash({ page: 'customers', tab: String(it.customer_id) }), onclick: (e) => e.stopPropagation() }, it.customer_name)),
              h('td', {}, channelBadge(it.channel, rowChannel(it))),
              h('td', {}, h('div', { class: 'cell-main' }, it.subject), it.commitments ? h('div', { class: 'muted small ix-desc' }, it.commitments) : null),
              h('td', {}, it.open_todos ? h('span', { class: 'badge ix-badge-todo' }, t('interactions.open_todos_n', { n: it.open_todos })) : h('span', { class: 'muted' }, '—'), it.attachments ? h('span', { class: 'muted small' }, ' ', t('attachments.count', { n: it.attachments })) : null),
              h('td', { class: 'muted' }, it.created_by_name ?? ''),
            ))),
        )),
      page.total > page.items.length
        ? h('div', { class: 'ix-more' }, button({ testid: 'interactions-more', kind: 'ghost', label: t('interactions.more', { shown: page.items.length, total: page.total }), onclick: () => { limit += PAGE; reload(); } }))
        : null,
    );
  }

  function empty() {
    const filtered = state.from || state.to || state.channel || state.owner || state.customer || state.todos;
    return h('section', { class: 'empty-state card', 'data-testid': 'interactions-empty' },
      icon('interactions', { size: 40 }),
      h('h2', {}, t(filtered ? 'interactions.empty_filtered_title' : 'interactions.empty_title')),
      h('p', {}, t(filtered ? 'interactions.empty_filtered_body' : 'interactions.empty_body')));
  }

  const newBtn = canLog(actor)
    ? button({ testid: 'interaction-new', kind: 'primary', onclick: async () => {
        if (await logInteractionDialog({ actor })) reload();
      } }, icon('plus', { size: 16 }), t('interactions.new'))
    : null;
  // Every matching interaction as XLSX in table 2's layout (filter by the call-back channel for
  // the call-back record sheet); not for staff (ReportExport).
  const exportBtn = actor.role !== 'staff'
    ? exportButton({ testid: 'interactions-export', label: t('interactions.export'), title: t('interactions.export_hint'), run: () => api.interactionsExport(toFilter(state), locale()) })
    : null;
  const el = h('div', { class: 'page-inner ix-page', 'data-testid': 'interactions-page' }, pageHead(t('page.interactions'), { actions: [exportBtn, newBtn] }), tabs('list'), filterBar, content);
  reload();
  return { el, destroy() { alive = false; } };
}
