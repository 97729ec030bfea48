// The bulk bar of the customer list: shown while rows are ticked; selects every matching row,
// clears, and runs one bulk action (change owner, add / remove tags, change tier, archive) on the
// selection in one core transaction. Staff changing a key field give a reason and get change
// requests; archiving asks for confirmation; a summary says what was applied and requested.
import { h } from '../../dom.js';
import { t, formatNumber, tOr } from '../../i18n.js';
import * as api from '../../api.js';
import { button, field, input, select } from '../../components/form.js';
import { formDialog } from '../../components/form-dialog.js';
import { openDialog, confirm } from '../../components/dialog.js';
import { toastError } from '../../components/toast.js';
import { TIERS, splitTags } from './model.js';
import { needsApproval } from './common.js';

/** The bar. `query()` gives the list query the selection refers to. */
export function bulkBar({ actor, refs, selection, total, query, onDone, onChange }) {
  const n = selection.count(total);
  const run = (kind) => runAction({ kind, actor, refs, selection, total, query, onDone });
  return h(
    'div',
    { class: 'cu-bulk card', 'data-testid': 'customer-bulk-bar', role: 'toolbar', 'aria-label': t('customer.bulk.title') },
    h('strong', { 'data-testid': 'bulk-count' }, t('customer.bulk.count', { n: formatNumber(n) })),
    !selection.all && n < total
      ? button({ testid: 'bulk-select-all', kind: 'ghost', label: t('customer.bulk.select_all', { n: formatNumber(total) }), onclick: () => {
        selection.selectAll();
        onChange();
      } })
      : null,
    button({ testid: 'bulk-clear', kind: 'ghost', label: t('customer.bulk.clear'), onclick: () => {
      selection.clear();
      onChange();
    } }),
    h('span', { class: 'cu-bulk-actions' },
      button({ testid: 'bulk-owner', label: t('customer.bulk.owner'), onclick: () => run('change_owner') }),
      button({ testid: 'bulk-add-tags', label: t('customer.bulk.add_tags'), onclick: () => run('add_tags') }),
      button({ testid: 'bulk-remove-tags', label: t('customer.bulk.remove_tags'), onclick: () => run('remove_tags') }),
      button({ testid: 'bulk-tier', label: t('customer.bulk.tier'), onclick: () => run('change_tier') }),
      button({ testid: 'bulk-archive', kind: 'danger', label: t('customer.bulk.archive'), onclick: () => run('archive') })),
  );
}

/** The field each action changes (for the key-field check), null for archive. */
const FIELD = { change_owner: 'owner_user_id', add_tags: 'tags', remove_tags: 'tags', change_tier: 'tier', archive: null };

async function runAction({ kind, actor, refs, selection, total, query, onDone }) {
  const n = selection.count(total);
  const selectionArg = selection.toPayload(query());
  let summary = null;
  try {
    if (kind === 'archive') {
      if (!(await confirm({ title: t('customer.bulk.archive'), message: t('customer.bulk.archive_confirm', { n: formatNumber(n) }), confirmLabel: t('customer.bulk.archive'), danger: true }))) return;
      summary = await api.customerBulk({ selection: selectionArg, action: { kind: 'archive' }, reason: '' });
    } else {
      const keys = needsApproval(actor) ? await api.customerKeyFields() : [];
      const isKey = keys.includes(FIELD[kind]);
      let control;
      if (kind === 'change_owner') control = select({ testid: 'bulk-owner-select', choices: refs.users.filter((u) => u.active !== false && u.role !== 'viewer').map((u) => [u.id, u.display_name]) });
      else if (kind === 'change_tier') control = select({ testid: 'bulk-tier-select', choices: TIERS.map((x) => [x, t('customer.tier_n', { tier: x })]) });
      else control = input({ testid: 'bulk-tags-input', placeholder: t('customer.tags_placeholder'), list: 'bulk-tag-names' });
      const names = kind.endsWith('tags') ? h('datalist', { id: 'bulk-tag-names' }, refs.tags.map((x) => h('option', { value: x.name }))) : null;
      const reason = isKey ? h('textarea', { class: 'input', 'data-testid': 'bulk-reason', rows: '2' }) : null;
      const fieldName = kind === 'change_owner' ? 'owner_user_id' : kind === 'change_tier' ? 'tier' : 'tags';
      const action = () => {
        const v = control.value;
        const a = kind === 'change_owner' ? { kind, owner_user_id: Number(v) } : kind === 'change_tier' ? { kind, tier: v } : { kind, tags: splitTags(v) };
        return api.customerBulk({ selection: selectionArg, action: a, reason: reason?.value ?? '' });
      };
      summary = await formDialog({
        title: t(`customer.bulk.${kind}_title`, { n: formatNumber(n) }),
        testid: 'bulk-dialog',
        prefix: 'bulk',
        submitLabel: t('customer.bulk.apply'),
        fields: [
          h('p', { class: 'muted' }, t('customer.bulk.applies_to', { n: formatNumber(n) })),
          field({ name: fieldName, label: t(`customer.bulk.${kind}_label`), control, required: true }),
          names,
          reason ? field({ name: 'reason', label: t('customer.field.reason'), control: reason, required: true, hint: t('customer.bulk.reason_hint') }) : null,
        ],
        action,
      });
      if (!summary) return;
    }
  } catch (err) {
    toastError(err);
    return;
  }
  await showSummary(summary);
  onDone();
}

function showSummary(s) {
  const line = (testid, key, value) => h('li', { 'data-testid': testid, dataset: { n: value } }, t(key, { n: formatNumber(value) }));
  let dlg;
  dlg = openDialog({
    title: t('customer.bulk.summary_title'),
    testid: 'bulk-summary',
    body: [
      h('ul', { class: 'cu-bulk-summary' },
        line('bulk-summary-applied', 'customer.bulk.summary_applied', s.applied),
        line('bulk-summary-requested', 'customer.bulk.summary_requested', s.requested),
        line('bulk-summary-unchanged', 'customer.bulk.summary_unchanged', s.unchanged),
        line('bulk-summary-skipped', 'customer.bulk.summary_skipped', s.skipped.length)),
      s.skipped.length
        ? h('ul', { class: 'muted small cu-bulk-skipped' }, s.skipped.slice(0, 20).map((k) => h('li', {}, `${k.number || `#${k.id}`}: ${tOr(`error.${k.code}`, k.code)}`)))
        : null,
    ],
    actions: [button({ testid: 'bulk-summary-close', kind: 'primary', label: t('common.close'), onclick: () => dlg.close(true) })],
  });
  return dlg.result;
}
