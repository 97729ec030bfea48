// The quarter-end review (#/customers/review, 清查): the current review (or a past one, read
// only), progress per owner (heads: their department; admins and supervisors: everyone), and
// the customers to confirm. Keyboard: ↑/↓ move between rows, Enter or A confirms the focused
// customer as still active in one keystroke, O opens the other outcomes (renewed, churned,
// stage change with a note). Churn and stage changes by staff become change requests.
import { h, replaceChildren } from '../../dom.js';
import { t, formatDate, formatDateTime, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { button, loading, loadFailed, field, select } from '../../components/form.js';
import { toast, toastError } from '../../components/toast.js';
import { actionDialog, textarea } from '../feedback/common.js';
import { loadRefs, stageBadge, card } from './common.js';
import { STAGES } from './model.js';
import { OUTCOMES, reviewLabel, reviewStatus, percent, nextOpenRow, confirmationProblem } from '../../logic/review.js';
import './review.css';

export function mountReview(ctx) {
  const { actor, navigate } = ctx;
  let alive = true;
  let refs = null;
  let reviews = [];
  let selectedId = null;
  // Whose customers the list shows: the actor's own by default; heads may pick an owner or all.
  let owner = actor.user_id;
  const el = h('div', { class: 'page-inner cu-review', 'data-testid': 'review-page' }, loading());
  const canConfirm = actor.role !== 'viewer';

  async function reload(focusId = null) {
    try {
      refs ??= await loadRefs();
      reviews = await api.reviewList();
      if (!reviews.some((r) => r.id === selectedId)) selectedId = reviews[0]?.id ?? null;
      if (selectedId == null) {
        if (alive) render(null);
        return;
      }
      const detail = await api.reviewGet(selectedId, owner === 'all' ? null : owner);
      if (alive) render(detail, focusId);
    } catch (err) {
      if (alive) replaceChildren(el, back(), loadFailed(err, () => reload(), 'review-retry'));
    }
  }

  function back() {
    return h('a', { class: 'link cu-back', href: buildHash({ page: 'customers' }), 'data-testid': 'review-back', onclick: (e) => { e.preventDefault(); navigate({ page: 'customers' }); } }, `← ${t('customer.back')}`);
  }

  function head(detail) {
    const picker = reviews.length > 1
      ? select({
          testid: 'review-select', 'aria-label': t('review.pick'), value: selectedId,
          choices: reviews.map((r) => [r.id, `${reviewLabel(r)}${r.closed_at != null ? ` · ${t('review.closed')}` : ''}`]),
          onchange: (e) => { selectedId = Number(e.target.value); reload(); },
        })
      : null;
    let subtitle = t('review.subtitle');
    if (detail) {
      const r = detail.review;
      const open = reviewStatus(r, Date.now() / 1000) === 'open';
      subtitle = open ? t('review.open_until', { date: formatDate(r.closes_at - 1) }) : t('review.closed_on', { date: formatDate(r.closed_at ?? r.closes_at) });
    }
    return h(
      'div',
      { class: 'page-head' },
      h('div', { class: 'page-head-text' }, h('h1', { class: 'page-title', 'data-testid': 'page-title' }, t('review.title'), detail ? ` · ${reviewLabel(detail.review)}` : ''), h('p', { class: 'page-subtitle', 'data-testid': 'review-status' }, subtitle)),
      h('div', { class: 'page-actions' }, picker),
    );
  }

  function progressCard(detail) {
    const r = detail.review;
    const total = h(
      'p',
      { class: 'cu-review-total' },
      h('strong', { 'data-testid': 'review-progress-total', dataset: { confirmed: r.confirmed, total: r.total } }, `${formatNumber(r.confirmed)}/${formatNumber(r.total)}`),
      ' ',
      t('review.confirmed_of'),
      ' ',
      h('progress', { max: Math.max(1, r.total), value: r.confirmed, 'aria-label': t('review.progress') }),
      ` ${percent(r.confirmed, r.total)}%`,
    );
    const showAll = detail.progress.length > 1 || actor.role !== 'staff';
    const rows = detail.progress.map((p) =>
      h(
        'tr',
        { 'data-testid': 'review-owner-row', dataset: { owner: p.owner_user_id ?? '' }, class: String(owner) === String(p.owner_user_id) ? 'is-selected' : null },
        h('td', {}, h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'review-owner-pick', onclick: () => { owner = p.owner_user_id; reload(); } }, refs.userName(p.owner_user_id) || t('review.no_owner'))),
        h('td', { class: 'num', 'data-testid': 'review-owner-count' }, `${formatNumber(p.confirmed)}/${formatNumber(p.total)}`),
        h('td', {}, h('progress', { max: Math.max(1, p.total), value: p.confirmed, 'aria-label': t('review.progress') })),
        h('td', { class: 'num' }, p.flagged ? h('span', { class: 'badge cu-overdue' }, t('review.flagged_n', { n: formatNumber(p.flagged) })) : ''),
      ),
    );
    return card(
      t('review.progress'),
      showAll ? button({ testid: 'review-show-all', kind: 'ghost', label: t('review.show_all'), onclick: () => { owner = 'all'; reload(); } }) : null,
      total,
      showAll && rows.length
        ? h('table', { class: 'table cu-review-owners', 'data-testid': 'review-progress' }, h('thead', {}, h('tr', {}, h('th', {}, t('review.owner')), h('th', { class: 'num' }, t('review.confirmed')), h('th', {}, ''), h('th', {}, ''))), h('tbody', {}, rows))
        : null,
    );
  }

  async function confirmOther(detail, item) {
    const outcome = select({ testid: 'review-outcome', choices: OUTCOMES.map((o) => [o, t(`review.outcome.${o}`)]), value: 'renewed' });
    const stage = select({ testid: 'review-new-stage', choices: [['', '—'], ...STAGES.filter((s) => s !== item.stage).map((s) => [s, t(`customer.stage.${s}`)])], value: '' });
    const stageField = field({ name: 'new_stage', label: t('review.new_stage'), control: stage });
    const note = textarea({ testid: 'review-note', rows: 3 });
    const sync = () => { stageField.hidden = outcome.value !== 'stage_change'; };
    outcome.addEventListener('change', sync);
    sync();
    const done = await actionDialog({
      title: t('review.confirm_title', { name: item.customer_name }),
      testid: 'review-dialog',
      prefix: 'review',
      submitTestid: 'review-submit',
      submitLabel: t('review.confirm'),
      fields: [
        field({ name: 'outcome', label: t('review.outcome'), control: outcome, required: true }),
        stageField,
        field({ name: 'note', label: t('review.note'), control: note, hint: actor.role === 'staff' ? t('review.note_hint_staff') : t('review.note_hint') }),
      ],
      initialFocus: outcome,
      action: () => {
        const problem = confirmationProblem({ outcome: outcome.value, newStage: stage.value, note: note.value }, item.stage);
        if (problem) throw { code: problem.key.replace(/^error\./, ''), field: problem.field };
        return api.reviewConfirm({ review_id: detail.review.id, customer_id: item.customer_id, outcome: outcome.value, new_stage: outcome.value === 'stage_change' ? stage.value : null, note: note.value });
      },
    });
    if (done) {
      toast(done.change_request_id ? t('review.requested') : t('review.done'), { kind: done.change_request_id ? 'info' : 'success' });
      reload(item.customer_id);
    }
  }

  async function confirmActive(detail, item, index, btn) {
    if (btn) btn.disabled = true;
    try {
      await api.reviewConfirm({ review_id: detail.review.id, customer_id: item.customer_id, outcome: 'active', note: '' });
      item.outcome = 'active';
      const next = nextOpenRow(detail.items, index);
      await reload(next >= 0 ? detail.items[next].customer_id : -1);
    } catch (err) {
      if (btn) btn.disabled = false;
      toastError(err);
    }
  }

  function itemRow(detail, item, index, open) {
    const done = !!item.outcome;
    const actions = open && !done && canConfirm
      ? h(
          'div',
          { class: 'cu-review-actions' },
          button({ testid: 'review-confirm-active', kind: 'primary', label: t('review.confirm_active'), title: t('review.keys'), onclick: (e) => confirmActive(detail, item, index, e.currentTarget) }),
          button({ testid: 'review-confirm-other', label: t('review.confirm_other'), onclick: () => confirmOther(detail, item) }),
        )
      : null;
    const state = done
      ? h(
          'div',
          { class: 'cu-review-outcome', 'data-testid': 'review-outcome-text' },
          h('span', { class: 'badge badge-ok' }, t(`review.outcome.${item.outcome}`)),
          item.new_stage ? [' → ', stageBadge(item.new_stage)] : null,
          item.change_request_id && item.stage !== item.new_stage ? h('span', { class: 'badge badge-muted' }, t('review.waiting_approval')) : null,
          item.note ? h('span', { class: 'muted' }, ` ${item.note}`) : null,
          h('span', { class: 'muted small' }, ` · ${refs.userName(item.confirmed_by)} · ${formatDateTime(item.confirmed_at)}`),
        )
      : item.flagged
        ? h('span', { class: 'badge cu-overdue', 'data-testid': 'review-flagged' }, t('review.flagged'))
        : h('span', { class: 'muted' }, t('review.to_confirm'));
    return h(
      'li',
      {
        class: ['cu-review-item', done ? 'is-done' : null, item.flagged ? 'is-flagged' : null],
        'data-testid': 'review-item', tabindex: '0',
        dataset: { customerId: item.customer_id, status: done ? 'confirmed' : item.flagged ? 'flagged' : 'open', index },
        'aria-label': `${item.customer_number} ${item.customer_name}`,
      },
      h(
        'div',
        { class: 'cu-review-who' },
        h('a', { class: 'link', href: buildHash({ page: 'customers', tab: String(item.customer_id) }), tabindex: '-1' }, h('span', { class: 'mono' }, item.customer_number), ' ', item.customer_name),
        ' ',
        stageBadge(item.stage),
        owner === 'all' ? h('span', { class: 'muted small' }, ` · ${refs.userName(item.owner_user_id) || t('review.no_owner')}`) : null,
      ),
      state,
      actions,
    );
  }

  function render(detail, focusId = null) {
    if (!detail) {
      replaceChildren(
        el,
        back(),
        head(null),
        h('div', { class: 'empty-state', 'data-testid': 'review-empty' }, h('p', {}, t('review.none')), h('p', { class: 'muted' }, t('review.none_hint'))),
      );
      return;
    }
    const open = reviewStatus(detail.review, Date.now() / 1000) === 'open';
    const items = detail.items;
    const listTitle = owner === 'all' ? t('review.all_customers') : owner === actor.user_id ? t('review.my_customers') : t('review.customers_of', { who: refs.userName(owner) || t('review.no_owner') });
    const list = h('ul', { class: 'cu-review-list', 'data-testid': 'review-items', 'aria-label': listTitle }, items.map((item, i) => itemRow(detail, item, i, open)));
    list.addEventListener('keydown', (e) => {
      const row = e.target.closest?.('[data-testid="review-item"]');
      if (!row || e.target !== row || e.ctrlKey || e.metaKey || e.altKey) return;
      const index = Number(row.dataset.index);
      const item = items[index];
      const rows = [...list.querySelectorAll('[data-testid="review-item"]')];
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        rows[Math.max(0, Math.min(rows.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1)))]?.focus();
      } else if (open && canConfirm && !item.outcome && (e.key === 'Enter' || e.key.toLowerCase() === 'a')) {
        e.preventDefault();
        confirmActive(detail, item, index, null);
      } else if (open && canConfirm && !item.outcome && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        confirmOther(detail, item);
      }
    });
    const remaining = items.filter((i) => !i.outcome).length;
    replaceChildren(
      el,
      back(),
      head(detail),
      open && owner === actor.user_id && remaining === 0 && items.length > 0 ? h('p', { class: 'notice', 'data-testid': 'review-all-done' }, t('review.all_done')) : null,
      h(
        'div',
        { class: 'cu-grid-2' },
        card(
          listTitle,
          open && canConfirm && remaining ? h('span', { class: 'muted small' }, t('review.keys')) : null,
          items.length ? list : h('p', { class: 'muted', 'data-testid': 'review-items-empty' }, t('review.no_items')),
        ),
        progressCard(detail),
      ),
    );
    if (focusId != null && focusId >= 0) list.querySelector(`[data-testid="review-item"][data-customer-id="${Number(focusId)}"]`)?.focus();
    else if (focusId === -1) el.querySelector('[data-testid="review-progress-total"]')?.scrollIntoView?.({ block: 'nearest' });
  }

  reload();
  return {
    el,
    destroy() {
      alive = false;
    },
  };
}
