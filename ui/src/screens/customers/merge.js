// "Merge into…" on the customer detail page: pick the other record by search, see what moves
// (counts from the core's preview), choose which record survives, type the number of the one
// that goes, and merge. Everything attached moves to the survivor; the survivor's history
// records the merge. Resolves with the survivor's id, or null when cancelled.
import { h, replaceChildren } from '../../dom.js';
import { t, tOr, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { field, input } from '../../components/form.js';
import { actionDialog } from '../feedback/common.js';
import { stageBadge } from './common.js';

/** Open the merge dialog for `current` ({id, number, name}); `preset` pre-picks the other one. */
export async function mergeDialog(current, preset = null) {
  let other = null;
  let survivorId = current.id;
  let preview = null;
  const search = input({ testid: 'merge-search', type: 'search', placeholder: t('merge.search_placeholder') });
  const results = h('ul', { class: 'cu-merge-results', 'data-testid': 'merge-results' });
  const chosen = h('div', { class: 'cu-merge-chosen', 'data-testid': 'merge-preview' });
  const typed = input({ testid: 'merge-confirm-input' });
  const typedField = field({ name: 'confirmation', label: t('merge.type_number'), control: typed, required: true });
  typedField.hidden = true;

  let seq = 0;
  async function find() {
    const q = search.value.trim();
    const mine = ++seq;
    if (!q) {
      replaceChildren(results);
      return;
    }
    try {
      const found = await api.customerSearch(q, 8);
      if (mine !== seq) return;
      const hits = found.customers.filter((c) => c.id !== current.id);
      replaceChildren(
        results,
        hits.length
          ? hits.map((c) => h('li', {}, h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'merge-candidate', dataset: { id: c.id }, onclick: () => pick(c) }, h('span', { class: 'mono' }, c.number), ' ', c.name, ' ', stageBadge(c.stage))))
          : h('li', { class: 'muted' }, t('merge.no_results')),
      );
    } catch (err) {
      replaceChildren(results, h('li', { class: 'field-error' }, tOr(`error.${err.code}`, err.message ?? String(err))));
    }
  }
  search.addEventListener('input', find);
  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      results.querySelector('button')?.focus();
    }
  });

  async function pick(c) {
    other = c;
    survivorId = current.id;
    replaceChildren(results);
    search.value = `${c.number} ${c.name}`;
    await showPreview();
    typed.focus();
  }

  const absorbed = () => (survivorId === current.id ? other : current);

  async function showPreview() {
    const goneId = survivorId === current.id ? other.id : current.id;
    try {
      preview = await api.customerMergePreview(survivorId, goneId);
    } catch (err) {
      replaceChildren(chosen, h('p', { class: 'field-error', role: 'alert' }, tOr(`error.${err.code}`, err.message ?? String(err))));
      typedField.hidden = true;
      return;
    }
    const side = (c) =>
      h(
        'label',
        {},
        h('input', { type: 'radio', name: 'merge-survivor', 'data-testid': `merge-survivor-${c.id}`, value: String(c.id), checked: c.id === survivorId, onchange: () => { survivorId = c.id; showPreview(); } }),
        h('span', {}, h('strong', {}, c.name), h('br'), h('span', { class: 'mono small' }, c.number)),
      );
    const moves = preview.moves.filter(([, n]) => n > 0);
    replaceChildren(
      chosen,
      h('p', { class: 'small' }, t('merge.survivor_pick')),
      h('div', { class: 'cu-merge-side' }, side(current), side(other)),
      h('p', { 'data-testid': 'merge-summary' }, t('merge.summary', { gone: `${preview.absorbed.number} ${preview.absorbed.name}`, stays: `${preview.survivor.number} ${preview.survivor.name}` })),
      moves.length
        ? h('ul', { class: 'cu-merge-moves', 'data-testid': 'merge-moves' }, moves.map(([what, n]) => h('li', { dataset: { what, count: n } }, t(`merge.moves.${what}`, { n: formatNumber(n) }))))
        : h('p', { class: 'muted', 'data-testid': 'merge-moves' }, t('merge.nothing_moves')),
      h('p', { class: 'notice cu-danger-note' }, t('merge.irreversible', { number: preview.absorbed.number })),
    );
    typedField.querySelector('label')?.replaceChildren(t('merge.type_number', { number: preview.absorbed.number }));
    typed.placeholder = preview.absorbed.number;
    typedField.hidden = false;
  }

  if (preset) pick(preset);
  const done = await actionDialog({
    title: t('merge.title', { name: current.name }),
    testid: 'merge-dialog',
    prefix: 'merge',
    submitTestid: 'merge-submit',
    submitLabel: t('merge.submit'),
    wide: true,
    initialFocus: search,
    fields: [field({ name: 'other', label: t('merge.pick'), control: h('div', {}, search, results) }), chosen, typedField],
    action: async () => {
      if (!other || !preview) throw { code: 'merge.pick_first', field: 'other' };
      const gone = absorbed();
      if (typed.value.trim() !== gone.number) throw { code: 'merge.confirm_mismatch', field: 'confirmation', params: { number: gone.number } };
      const merged = await api.customerMerge(survivorId, gone.id);
      return merged.customer.id;
    },
  });
  return done ?? null;
}
