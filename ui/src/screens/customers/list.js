// The customer list (#/customers): filters (stage, tier, industry, tag, owner, department,
// archived, no contact for N days, open feedback, text), sorting by clicking a column header,
// the count, saved views and the column chooser, and a virtualised table: only the rows in view
// are in the DOM and pages of rows are fetched as they scroll into view, so 100k customers scroll
// smoothly. Rows can be ticked (shift-click for a range, or "all matching") for bulk actions.
import { h, replaceChildren, options } from '../../dom.js';
import { t, formatDate, formatMoney, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { button, loading, loadFailed } from '../../components/form.js';
import { icon } from '../../components/icons.js';
import { toast, toastError } from '../../components/toast.js';
import { pageHead } from '../page-head.js';
import { visibleRange, spacerHeights, scrollToReveal, PageCache } from '../../logic/virtual-list.js';
import { RowSelection } from '../../logic/selection.js';
import { loadRefs, stageBadge, tierBadge, tagChip, canEdit, canBulk, agoText } from './common.js';
import { STAGES, TIERS, NO_CONTACT_DAYS, SORT_KEYS, DEFAULT_COLUMNS, toQuery, daysSince } from './model.js';
import { customerDialog } from './edit.js';
import { importDialog } from './import.js';
import { exportDialog } from './export.js';
import { viewsBar, columnChooser } from './list-views.js';
import { bulkBar } from './list-bulk.js';

const EMPTY = { stage: '', tier: '', industry: '', tag: '', owner: '', department: '', archived: false, noContact: '', openFeedback: false, q: '' };
// Kept across visits within a session, so coming back from a customer keeps the filters, the
// columns and the applied view.
const state = { ...EMPTY, sort: 'number', desc: true, columns: [...DEFAULT_COLUMNS], viewId: null };

/** Replace the kept filters (a dashboard drill-down opens the list with them applied). */
export function presetCustomerFilter(filters) {
  Object.assign(state, EMPTY, filters);
  state.viewId = null;
}

/** Row height in px: fixed, so the scroll position maps to a row index (see customers.css). */
const ROW_HEIGHT = 40;
/** Rows per fetched page. */
const PAGE = 100;

export function mountCustomerList(ctx) {
  const { actor, navigate } = ctx;
  let refs = null;
  let alive = true;
  let total = 0;
  let seq = 0;
  let frame = 0;
  let fetchTimer = null;
  const cache = new PageCache({ pageSize: PAGE, maxPages: 60 });
  const selection = new RowSelection();
  const selectable = canEdit(actor);
  const content = h('div', { class: 'cu-content' }, loading());
  const filterBar = h('div', { class: 'cu-filters', role: 'search', 'aria-label': t('customer.filters') });
  const toolBar = h('div', { class: 'cu-tools' });
  const count = h('p', { class: 'muted cu-count', 'data-testid': 'customer-count', 'aria-live': 'polite' });
  const bulkSlot = h('div', { class: 'cu-bulk-slot' });
  const open = (c) => navigate({ page: 'customers', tab: String(c.id) });

  // The scrolling box with the table; its body holds a top spacer, the rows in view and a
  // bottom spacer.
  const scroller = h('div', { class: 'cu-scroll card', 'data-testid': 'customer-scroll', onscroll: () => schedule() });
  const tbody = h('tbody', {});
  const thead = h('thead', {});
  const tableEl = h('table', { class: 'table cu-table', 'data-testid': 'customer-table', role: 'grid', 'aria-rowcount': '0' }, thead, tbody);
  scroller.appendChild(tableEl);

  const query = (offset = 0, limit = PAGE) => toQuery(state, offset, limit);

  async function reload() {
    const mine = ++seq;
    cache.reset();
    selection.clear();
    try {
      if (!refs) {
        refs = await loadRefs();
        if (!alive) return;
        renderFilters();
        renderTools();
      }
      const page = await api.customersList(query(0));
      if (!alive || mine !== seq) return;
      total = page.total;
      cache.put(0, page.items);
      renderHead();
      scroller.scrollTop = 0;
      paint();
    } catch (err) {
      if (alive && mine === seq) replaceChildren(content, loadFailed(err, reload, 'customer-retry'));
    }
  }

  // Fetch the pages the view needs, a moment after scrolling settles (a fling through 100k rows
  // does not fetch every page it passes).
  function fetchMissing(range) {
    clearTimeout(fetchTimer);
    fetchTimer = setTimeout(() => {
      const gen = cache.generation;
      for (const p of cache.missing(range)) {
        cache.begin(p);
        api.customersList(query(p * PAGE)).then(
          (page) => {
            if (!alive || !cache.put(p, page.items, gen)) return;
            if (page.total !== total) total = page.total;
            schedule();
          },
          (err) => {
            cache.fail(p, gen);
            if (alive) toastError(err);
          },
        );
      }
    }, 60);
  }

  function schedule() {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      if (alive) paint();
    });
  }

  function updateCount() {
    const n = selection.count(total);
    count.textContent = n ? t('customer.count_selected', { total: formatNumber(total), n: formatNumber(n) }) : t('customer.count_total', { total: formatNumber(total) });
    replaceChildren(bulkSlot, selectable && n ? bulkBar({ actor, refs, selection, total, query: () => query(0), onDone: reload, onChange: () => { paint(); } }) : null);
  }

  function paint() {
    updateCount();
    if (!total) {
      replaceChildren(content, empty());
      return;
    }
    if (scroller.parentNode !== content) replaceChildren(content, scroller);
    tableEl.setAttribute('aria-rowcount', String(total + 1));
    const headerHeight = thead.getBoundingClientRect().height || ROW_HEIGHT;
    const range = visibleRange({ scrollTop: Math.max(0, scroller.scrollTop - headerHeight), viewportHeight: scroller.clientHeight || 600, rowHeight: ROW_HEIGHT, total, overscan: 12 });
    const { top, bottom } = spacerHeights({ ...range, total, rowHeight: ROW_HEIGHT });
    // Re-rendering replaces the rows: keep the keyboard focus on the same row (or its box).
    const active = document.activeElement;
    const focusedIndex = active?.closest?.('.cu-row')?.dataset.index;
    const focusedCheck = active?.dataset?.testid === 'customer-row-check';
    const rows = [];
    for (let i = range.start; i < range.end; i += 1) {
      const c = cache.row(i);
      rows.push(c ? row(c, i) : placeholder(i));
    }
    replaceChildren(tbody, spacer(top), rows, spacer(bottom));
    if (focusedIndex !== undefined) {
      const r = tbody.querySelector(`.cu-row[data-index="${focusedIndex}"]`);
      (focusedCheck ? r?.querySelector('[data-testid="customer-row-check"]') : r)?.focus({ preventScroll: true });
    }
    if (cache.missing(range).length) fetchMissing(range);
    syncHeadCheck();
  }

  function spacer(height) {
    const td = h('td', { colspan: String(state.columns.length + (selectable ? 1 : 0)) });
    const tr = h('tr', { class: 'cu-spacer', 'aria-hidden': 'true' }, td);
    td.style.height = `${height}px`; // CSSOM, not a style attribute (CSP)
    return tr;
  }

  function placeholder(i) {
    return h('tr', { class: 'cu-row is-loading', 'aria-rowindex': String(i + 2) }, h('td', { colspan: String(state.columns.length + (selectable ? 1 : 0)) }, h('span', { class: 'cu-skeleton' }, t('common.loading'))));
  }

  // Cells by column id: each returns the cell's content.
  function lastContact(c) {
    if (c.last_contact_at == null) return h('span', { class: 'muted' }, t('customer.never_contacted'));
    return h('span', { title: formatDate(c.last_contact_at) }, agoText(daysSince(c.last_contact_at)));
  }
  const dash = () => h('span', { class: 'muted' }, '—');
  const CELLS = {
    number: (c) => h('a', { href: buildHash({ page: 'customers', tab: String(c.id) }), class: 'link mono', 'data-testid': 'customer-row-link', tabindex: '-1', onclick: (e) => e.stopPropagation() }, c.number),
    name: (c) => c.name,
    stage: (c) => stageBadge(c.stage),
    tier: (c) => tierBadge(c.tier),
    industry: (c) => c.industry || dash(),
    owner: (c) => refs.userName(c.owner_user_id) || dash(),
    department: (c) => refs.deptName(c.department_id) || dash(),
    last_contact: lastContact,
    amount: (c) => (c.annual_amount ? formatMoney(c.annual_amount) : dash()),
    tags: (c) => (c.tags ?? []).map(tagChip),
    coop_start: (c) => (c.coop_start ? formatDate(c.coop_start) : dash()),
    contract_end: (c) => (c.contract_end ? formatDate(c.contract_end) : dash()),
    next_followup: (c) => (c.next_followup_on ? formatDate(c.next_followup_on) : dash()),
    source: (c) => c.source || dash(),
    created_at: (c) => formatDate(c.created_at),
    updated_at: (c) => formatDate(c.updated_at),
  };
  const cellClass = (col) => (col === 'amount' ? 'cu-num' : col === 'name' ? 'cu-name' : col === 'tags' ? 'cu-tags' : null);

  function row(c, i) {
    const check = selectable
      ? h('td', { class: 'cu-check', onclick: (e) => e.stopPropagation() }, h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'customer-row-check', 'aria-label': t('customer.bulk.select_row', { name: c.name }), checked: selection.has(c.id), onclick: (e) => {
        e.stopPropagation();
        if (e.shiftKey) selection.range(i, e.target.checked, (k) => cache.row(k)?.id);
        else selection.set(c.id, e.target.checked, i);
        paint();
      } }))
      : null;
    return h(
      'tr',
      { class: ['cu-row', i % 2 ? 'is-odd' : null, c.archived ? 'is-archived' : null, selection.has(c.id) ? 'is-selected' : null], 'data-testid': 'customer-row', 'aria-rowindex': String(i + 2), 'aria-selected': selectable ? String(selection.has(c.id)) : null, dataset: { number: c.number, id: c.id, index: i }, tabindex: '0', onclick: () => open(c), onkeydown: (e) => onRowKey(e, c, i) },
      check,
      state.columns.map((col) => h('td', { class: cellClass(col), title: col === 'name' ? c.name : null }, CELLS[col](c))),
    );
  }

  // Keyboard: Enter opens, Space ticks, arrows / Page keys / Home / End move through all rows
  // (scrolling the virtual list so the target row exists).
  function onRowKey(e, c, i) {
    if (e.key === 'Enter') open(c);
    else if (e.key === ' ' && selectable) {
      e.preventDefault();
      selection.toggle(c.id, i);
      paint();
    } else {
      const page = Math.max(1, Math.floor(scroller.clientHeight / ROW_HEIGHT) - 1);
      const to = { ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + page, PageUp: i - page, Home: 0, End: total - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      moveTo(Math.max(0, Math.min(total - 1, to)));
    }
  }

  function moveTo(index) {
    const headerHeight = thead.getBoundingClientRect().height || ROW_HEIGHT;
    const target = scrollToReveal({ index, scrollTop: Math.max(0, scroller.scrollTop), viewportHeight: scroller.clientHeight, rowHeight: ROW_HEIGHT, headerHeight });
    if (target !== null) scroller.scrollTop = target;
    paint();
    tbody.querySelector(`.cu-row[data-index="${index}"]`)?.focus({ preventScroll: true });
  }

  let headCheck = null;
  function syncHeadCheck() {
    if (!headCheck) return;
    const n = selection.count(total);
    headCheck.checked = n > 0 && n === total;
    headCheck.indeterminate = n > 0 && n < total;
  }

  function renderHead() {
    headCheck = selectable
      ? h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'customer-select-all', 'aria-label': t('customer.bulk.select_all', { n: formatNumber(total) }), onclick: (e) => {
        if (e.target.checked) selection.selectAll();
        else selection.clear();
        paint();
      } })
      : null;
    replaceChildren(thead, h('tr', {}, selectable ? h('th', { scope: 'col', class: 'cu-check' }, headCheck) : null, state.columns.map(sortHeader)));
  }

  function sortHeader(col) {
    const label = t(`customer.col.${col}`);
    if (!(col in SORT_KEYS)) return h('th', { scope: 'col', class: cellClass(col) }, label);
    const active = state.sort === col;
    const ariaSort = active ? (state.desc ? 'descending' : 'ascending') : 'none';
    return h(
      'th',
      { scope: 'col', 'aria-sort': ariaSort, class: cellClass(col) },
      h('button', { type: 'button', class: ['cu-sort', active ? 'is-active' : null], 'data-testid': `customer-sort-${col}`, onclick: () => {
        if (state.sort === col) state.desc = !state.desc;
        else {
          state.sort = col;
          state.desc = ['amount', 'last_contact', 'number', 'created_at', 'updated_at'].includes(col);
        }
        reload();
      } }, label, h('span', { class: 'cu-sort-mark', 'aria-hidden': 'true' }, active ? (state.desc ? ' ↓' : ' ↑') : '')),
    );
  }

  function filtered() {
    return Object.entries(EMPTY).some(([k, v]) => state[k] !== v);
  }

  function empty() {
    const f = filtered();
    return h(
      'section',
      { class: 'empty-state card', 'data-testid': 'customer-empty' },
      icon('customers', { size: 40 }),
      h('h2', {}, t(f ? 'customer.empty_filtered_title' : 'customer.empty_title')),
      h('p', {}, t(f ? 'customer.empty_filtered_body' : 'customer.empty_body')),
      f ? button({ testid: 'customer-empty-reset', label: t('customer.filter.reset'), onclick: resetFilters }) : null,
      !f && actor.role === 'admin' ? demoOffer() : null,
    );
  }

  // On an empty install an admin may fill the app with the small demo set to try it out.
  function demoOffer() {
    const status = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'demo-load-status' });
    const btn = button({ testid: 'demo-load', label: t('demo.load'), onclick: async () => {
      btn.disabled = true;
      status.textContent = t('demo.loading');
      try {
        const r = await api.demoLoad();
        toast(t('demo.loaded', { customers: formatNumber(r.customers), feedback: formatNumber(r.feedback) }), { kind: 'success' });
        reload();
      } catch (err) {
        btn.disabled = false;
        status.textContent = '';
        toastError(err);
      }
    } });
    return h('div', { class: 'demo-offer', 'data-testid': 'demo-offer' }, h('p', {}, t('demo.offer')), btn, status);
  }

  function resetFilters() {
    Object.assign(state, EMPTY);
    state.viewId = null;
    renderFilters();
    renderTools();
    reload();
  }

  function filterSelect(key, testid, label, choices) {
    const el = h('select', { class: 'input select', 'data-testid': testid, 'aria-label': label, title: label, onchange: () => { state[key] = el.value; reload(); } }, options([['', label], ...choices], state[key]));
    return el;
  }

  function renderFilters() {
    let timer = null;
    const text = h('input', { class: 'input cu-q', type: 'search', 'data-testid': 'customer-filter-q', placeholder: t('customer.filter.q'), 'aria-label': t('customer.filter.q'), value: state.q, autocomplete: 'off', spellcheck: 'false', oninput: () => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.q = text.value; reload(); }, 200);
    } });
    const checkFilter = (key, testid, label) => {
      const box = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': testid, checked: state[key], onchange: () => { state[key] = box.checked; reload(); } });
      return h('label', { class: 'check-label cu-archived' }, box, h('span', {}, label));
    };
    const industries = [...new Set([...refs.industries, state.industry].filter(Boolean))];
    replaceChildren(
      filterBar,
      text,
      filterSelect('stage', 'customer-filter-stage', t('customer.filter.stage'), STAGES.map((s) => [s, t(`customer.stage.${s}`)])),
      filterSelect('tier', 'customer-filter-tier', t('customer.filter.tier'), TIERS.map((x) => [x, t('customer.tier_n', { tier: x })])),
      filterSelect('industry', 'customer-filter-industry', t('customer.filter.industry'), industries.map((i) => [i, i])),
      filterSelect('tag', 'customer-filter-tag', t('customer.filter.tag'), refs.tags.map((x) => [x.id, x.name])),
      filterSelect('owner', 'customer-filter-owner', t('customer.filter.owner'), refs.users.filter((u) => u.role !== 'viewer').map((u) => [u.id, u.display_name])),
      filterSelect('department', 'customer-filter-department', t('customer.filter.department'), refs.departments.filter((d) => !d.archived).map((d) => [d.id, d.name])),
      filterSelect('noContact', 'customer-filter-no-contact', t('customer.filter.no_contact'), NO_CONTACT_DAYS.map((n) => [n, t('customer.filter.no_contact_n', { n })])),
      checkFilter('openFeedback', 'customer-filter-open-feedback', t('customer.filter.open_feedback')),
      checkFilter('archived', 'customer-filter-archived', t('customer.filter.archived')),
      button({ testid: 'customer-filter-reset', kind: 'ghost', label: t('customer.filter.reset'), onclick: resetFilters }),
    );
  }

  // Saved views and the column chooser, above the table.
  function renderTools() {
    replaceChildren(
      toolBar,
      viewsBar({
        state,
        apply: () => {
          renderFilters();
          renderTools();
          reload();
        },
      }),
      columnChooser({
        state,
        onChange: () => {
          renderHead();
          paint();
        },
      }),
    );
  }

  const actions = [
    canBulk(actor) ? button({ testid: 'customer-import', onclick: async () => {
      const done = await importDialog();
      if (done) {
        refs = null;
        reload();
      }
    } }, icon('upload', { size: 16 }), t('customer.import')) : null,
    canBulk(actor) ? button({ testid: 'customer-export', onclick: () => exportDialog(toQuery(state, 0)) }, t('customer.export')) : null,
    canEdit(actor) ? button({ testid: 'customer-new', kind: 'primary', 'aria-keyshortcuts': 'N', onclick: async () => {
      if (!refs) return;
      const made = await customerDialog({ refs, actor });
      if (made) navigate({ page: 'customers', tab: String(made.customer.id) });
    } }, icon('plus', { size: 16 }), t('customer.new')) : null,
  ];
  const newBtn = actions[2];

  const el = h(
    'div',
    { class: 'page-inner cu-page', 'data-testid': 'customer-list' },
    pageHead(t('page.customers'), { actions }),
    filterBar,
    h('div', { class: 'cu-toolbar' }, count, toolBar),
    bulkSlot,
    content,
  );

  // "N" opens the new-customer form (not while typing).
  const onKey = (e) => {
    if (e.key.toLowerCase() !== 'n' || e.ctrlKey || e.metaKey || e.altKey || !newBtn) return;
    const a = document.activeElement;
    if ((a && (['INPUT', 'TEXTAREA', 'SELECT'].includes(a.tagName) || a.isContentEditable)) || document.querySelector('dialog[open]')) return;
    e.preventDefault();
    newBtn.click();
  };
  const onResize = () => schedule();
  document.addEventListener('keydown', onKey);
  window.addEventListener('resize', onResize);
  reload();
  return {
    el,
    destroy() {
      alive = false;
      clearTimeout(fetchTimer);
      if (frame) cancelAnimationFrame(frame);
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('resize', onResize);
    },
  };
}
