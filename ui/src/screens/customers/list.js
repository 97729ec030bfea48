// The customer list (#/customers): filters (stage, tier, industry, tag, owner, department,
// archived, no contact for N days, text), sorting by clicking a column header, pages of 50
// fetched on demand ("load more" and infinite scroll), the count, and the buttons for new
// customer, import and export.
import { h, replaceChildren, options } from '../../dom.js';
import { t, formatDate, formatMoney, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { button, loading, loadFailed } from '../../components/form.js';
import { icon } from '../../components/icons.js';
import { pageHead } from '../page-head.js';
import { loadRefs, stageBadge, tierBadge, tagChip, canEdit, canBulk, agoText } from './common.js';
import { STAGES, TIERS, NO_CONTACT_DAYS, PAGE_SIZE, SORT_KEYS, toQuery, daysSince } from './model.js';
import { customerDialog } from './edit.js';
import { importDialog } from './import.js';
import { exportDialog } from './export.js';

const EMPTY = { stage: '', tier: '', industry: '', tag: '', owner: '', department: '', archived: false, noContact: '', q: '' };
// Kept across visits within a session, so coming back from a customer keeps the filters.
const state = { ...EMPTY, sort: 'number', desc: true };

const COLUMNS = [
  ['number', 'customer.col.number'], ['name', 'customer.col.name'], ['stage', 'customer.col.stage'], ['tier', 'customer.col.tier'],
  ['industry', 'customer.col.industry'], ['owner', 'customer.col.owner'], ['last_contact', 'customer.col.last_contact'],
  ['amount', 'customer.col.amount'], ['tags', 'customer.col.tags'],
];

export function mountCustomerList(ctx) {
  const { actor, navigate } = ctx;
  let refs = null;
  let alive = true;
  let items = [];
  let total = 0;
  let loadingMore = false;
  let seq = 0;
  const content = h('div', { class: 'cu-content' }, loading());
  const filterBar = h('div', { class: 'cu-filters', role: 'search', 'aria-label': t('customer.filters') });
  const count = h('p', { class: 'muted cu-count', 'data-testid': 'customer-count', 'aria-live': 'polite' });
  const open = (c) => navigate({ page: 'customers', tab: String(c.id) });

  async function reload() {
    const mine = ++seq;
    try {
      if (!refs) {
        refs = await loadRefs();
        if (alive) renderFilters();
      }
      const page = await api.customersList(toQuery(state, 0));
      if (!alive || mine !== seq) return;
      items = page.items;
      total = page.total;
      render();
    } catch (err) {
      if (alive && mine === seq) replaceChildren(content, loadFailed(err, reload, 'customer-retry'));
    }
  }

  async function loadMore() {
    if (loadingMore || items.length >= total) return;
    loadingMore = true;
    const mine = seq;
    try {
      const page = await api.customersList(toQuery(state, items.length));
      if (!alive || mine !== seq) return;
      items = items.concat(page.items);
      total = page.total;
      render();
    } catch (err) {
      if (alive) replaceChildren(content, loadFailed(err, reload, 'customer-retry'));
    } finally {
      loadingMore = false;
    }
  }

  function render() {
    count.textContent = t('customer.count', { shown: formatNumber(items.length), total: formatNumber(total) });
    if (!items.length) {
      replaceChildren(content, empty());
      return;
    }
    const more = items.length < total
      ? h('div', { class: 'cu-more' }, button({ testid: 'customer-load-more', label: t('customer.load_more', { n: formatNumber(Math.min(PAGE_SIZE, total - items.length)) }), onclick: loadMore }))
      : null;
    replaceChildren(content, table(), more);
    if (more) observe(more);
  }

  // Infinite scroll: fetch the next page when the "load more" row comes into view.
  let observer = null;
  function observe(target) {
    observer?.disconnect();
    if (typeof IntersectionObserver !== 'function') return;
    observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMore();
    }, { rootMargin: '200px' });
    observer.observe(target);
  }

  function sortHeader([col, key]) {
    const sortable = col in SORT_KEYS;
    if (!sortable) return h('th', { scope: 'col' }, t(key));
    const active = state.sort === col;
    const ariaSort = active ? (state.desc ? 'descending' : 'ascending') : 'none';
    return h(
      'th',
      { scope: 'col', 'aria-sort': ariaSort, class: col === 'amount' ? 'cu-num' : null },
      h('button', { type: 'button', class: ['cu-sort', active ? 'is-active' : null], 'data-testid': `customer-sort-${col}`, onclick: () => {
        if (state.sort === col) state.desc = !state.desc;
        else {
          state.sort = col;
          state.desc = col === 'amount' || col === 'last_contact' || col === 'number';
        }
        reload();
      } }, t(key), h('span', { class: 'cu-sort-mark', 'aria-hidden': 'true' }, active ? (state.desc ? ' ↓' : ' ↑') : '')),
    );
  }

  function lastContact(c) {
    if (c.last_contact_at == null) return h('span', { class: 'muted' }, t('customer.never_contacted'));
    const days = daysSince(c.last_contact_at);
    return h('span', { title: formatDate(c.last_contact_at) }, agoText(days));
  }

  function table() {
    return h(
      'div',
      { class: 'table-wrap card cu-table-card' },
      h(
        'table',
        { class: 'table cu-table', 'data-testid': 'customer-table' },
        h('thead', {}, h('tr', {}, COLUMNS.map(sortHeader))),
        h(
          'tbody',
          {},
          items.map((c) =>
            h(
              'tr',
              { class: ['cu-row', c.archived ? 'is-archived' : null], 'data-testid': 'customer-row', dataset: { number: c.number, id: c.id }, tabindex: '0', onclick: () => open(c), onkeydown: (e) => { if (e.key === 'Enter') open(c); } },
              h('td', { class: 'nowrap' }, h('a', { href: buildHash({ page: 'customers', tab: String(c.id) }), class: 'link mono', 'data-testid': 'customer-row-link', onclick: (e) => e.stopPropagation() }, c.number)),
              h('td', { class: 'cu-name' }, c.name),
              h('td', {}, stageBadge(c.stage)),
              h('td', {}, tierBadge(c.tier)),
              h('td', {}, c.industry || h('span', { class: 'muted' }, '—')),
              h('td', {}, refs.userName(c.owner_user_id) || h('span', { class: 'muted' }, '—'), c.department_id ? h('div', { class: 'muted small' }, refs.deptName(c.department_id)) : null),
              h('td', { class: 'nowrap' }, lastContact(c)),
              h('td', { class: 'cu-num nowrap' }, c.annual_amount ? formatMoney(c.annual_amount) : h('span', { class: 'muted' }, '—')),
              h('td', { class: 'cu-tags' }, (c.tags ?? []).map(tagChip)),
            ),
          ),
        ),
      ),
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
    );
  }

  function resetFilters() {
    Object.assign(state, EMPTY);
    renderFilters();
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
    const archived = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'customer-filter-archived', checked: state.archived, onchange: () => { state.archived = archived.checked; reload(); } });
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
      h('label', { class: 'check-label cu-archived' }, archived, h('span', {}, t('customer.filter.archived'))),
      button({ testid: 'customer-filter-reset', kind: 'ghost', label: t('customer.filter.reset'), onclick: resetFilters }),
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
    count,
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
  document.addEventListener('keydown', onKey);
  reload();
  return {
    el,
    destroy() {
      alive = false;
      observer?.disconnect();
      document.removeEventListener('keydown', onKey);
    },
  };
}
