// The import dialog: pick a CSV or XLSX file, see the detected column mapping (adjustable), a
// preview of the first rows with every row error (row number, column, reason) and likely
// duplicates, choose what to do with duplicates (skip / update / create), then apply in one
// transaction with a progress bar and a result summary. Resolves true when rows were written.
import { h, replaceChildren, options } from '../../dom.js';
import { t, errorText, formatNumber, formatMoney } from '../../i18n.js';
import * as api from '../../api.js';
import { openDialog } from '../../components/dialog.js';
import { button } from '../../components/form.js';
import { fileChooser, mappingRows, rowErrorList } from '../../components/import-parts.js';
import { IMPORT_FIELDS, DUPLICATE_POLICIES } from './model.js';
import { stageBadge } from './common.js';

export function importDialog() {
  let file = null; // {data, name}
  let mapping = null;
  let preview = null;
  let committed = false;
  let busy = false;
  const errorSlot = h('div', { class: 'cu-import-error' });
  const mappingBox = h('div', { class: 'cu-mapping' });
  const previewBox = h('div', { class: 'cu-preview' });
  const policy = h('select', { class: 'input select', 'data-testid': 'import-policy' }, options(DUPLICATE_POLICIES.map((p) => [p, t(`customer.import.policy.${p}`)]), 'skip'));
  const policyField = h('label', { class: 'cu-policy', hidden: true }, h('span', {}, t('customer.import.policy_label')), policy);
  const progress = h('progress', { class: 'cu-progress', 'data-testid': 'import-progress', max: 1, value: 0, hidden: true });
  const progressText = h('span', { class: 'muted small', 'aria-live': 'polite' });
  const resultBox = h('div', { 'aria-live': 'polite' });
  const applyBtn = button({ testid: 'import-apply', kind: 'primary', label: t('customer.import.apply'), disabled: true, onclick: () => apply() });
  const closeBtn = button({ testid: 'import-cancel', label: t('common.cancel'), onclick: () => dlg.close(committed) });

  function fail(err) {
    replaceChildren(errorSlot, h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error' }, errorText(err)));
  }

  const chooser = fileChooser({
    testid: 'import-file', nameTestid: 'import-file-name', rowClass: 'cu-file-row', nameClass: 'cu-file-name',
    accept: '.csv,.xlsx,.xlsm,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    chooseLabel: t('customer.import.choose'), noFileLabel: t('customer.import.no_file'),
    onFile: async (chosen) => {
      replaceChildren(errorSlot);
      replaceChildren(resultBox);
      file = chosen;
      mapping = null;
      await runPreview();
    },
    onError: (err) => {
      file = null;
      fail(err);
    },
  });

  async function runPreview() {
    replaceChildren(previewBox, h('p', { class: 'muted loading', role: 'status' }, t('customer.import.reading')));
    applyBtn.disabled = true;
    try {
      preview = await api.customerImportPreview(file.data, file.name, mapping);
    } catch (err) {
      preview = null;
      replaceChildren(previewBox);
      replaceChildren(mappingBox);
      fail(err);
      return;
    }
    replaceChildren(errorSlot);
    mapping = preview.mapping;
    renderMapping();
    renderPreview(preview.errors);
  }

  function renderMapping() {
    const choices = [['', t('customer.import.ignore')], ...IMPORT_FIELDS.map((f) => [f, t(`customer.import.field.${f}`)])];
    replaceChildren(
      mappingBox,
      h('details', { class: 'cu-mapping-details', 'data-testid': 'import-mapping' },
        h('summary', {}, t('customer.import.mapping', { n: mapping.columns.filter(Boolean).length, total: preview.headers.length })),
        h('div', { class: 'cu-mapping-grid' }, mappingRows({ headers: preview.headers, mapping, choices, testid: 'import-mapping-column', rowClass: 'cu-mapping-row', headerClass: 'cu-mapping-header', onChange: (m) => {
          mapping = m;
          runPreview();
        } })),
      ),
    );
  }

  function renderPreview(errors) {
    const dups = new Map();
    for (const d of preview.duplicates) dups.set(d.row, d);
    const summary = h('p', { 'data-testid': 'import-summary' }, t('customer.import.summary', {
      rows: formatNumber(preview.total_rows), errors: formatNumber(errors.length), duplicates: formatNumber(new Set(preview.duplicates.map((d) => d.row)).size),
    }));
    const table = preview.rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table cu-preview-table' },
          h('thead', {}, h('tr', {}, ['customer.import.col.row', 'customer.col.name', 'customer.col.industry', 'customer.col.stage', 'customer.col.tier', 'customer.col.amount', 'customer.import.col.contact', 'customer.col.tags'].map((k) => h('th', { scope: 'col' }, t(k))))),
          h('tbody', {}, preview.rows.map(([n, r]) => {
            const ct = r.contacts[0];
            const dup = dups.get(n);
            return h('tr', { 'data-testid': 'import-preview-row', dataset: { row: n, duplicate: dup ? 'true' : 'false' }, class: dup ? 'is-duplicate' : null },
              h('td', { class: 'mono' }, String(n)),
              h('td', {}, r.customer.name, dup ? h('div', { class: 'small cu-dup-mark' }, t('customer.import.duplicate', { reason: t(`customer.dup.reason.${dup.reason}`) })) : null),
              h('td', {}, r.customer.industry),
              h('td', {}, stageBadge(r.customer.stage)),
              h('td', {}, r.customer.tier),
              h('td', { class: 'cu-num' }, r.customer.annual_amount ? formatMoney(r.customer.annual_amount) : ''),
              h('td', {}, ct ? [ct.name, ct.mobile || ct.landline || ct.email ? h('div', { class: 'muted small' }, [ct.mobile, ct.landline, ct.email].filter(Boolean).join(' · ')) : null] : ''),
              h('td', {}, r.tags.join('、')));
          }))))
      : null;
    const shown = preview.rows.length < preview.total_rows - errors.length ? h('p', { class: 'muted small' }, t('customer.import.first_rows', { n: preview.rows.length })) : null;
    replaceChildren(previewBox, h('div', { 'data-testid': 'import-preview' }, summary, rowErrorList(errors, { testid: 'import-row-error', className: 'cu-row-errors', titleClass: 'cu-form-title', keys: { title: 'customer.import.errors', row: 'customer.import.row_n', more: 'customer.import.more_errors' } }), table, shown));
    policyField.hidden = preview.duplicates.length === 0;
    applyBtn.disabled = errors.length > 0 || preview.total_rows === 0 || committed;
  }

  async function apply() {
    if (busy || !file || !preview) return;
    busy = true;
    applyBtn.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    progressText.textContent = t('customer.import.writing');
    const off = await api.onImportProgress(({ done, total }) => {
      progress.max = Math.max(total, 1);
      progress.value = done;
      progressText.textContent = t('customer.import.progress', { done: formatNumber(done), total: formatNumber(total) });
    });
    try {
      const report = await api.customerImportApply(file.data, file.name, mapping, policy.value);
      progress.value = progress.max;
      if (report.committed) {
        committed = true;
        progressText.textContent = '';
        replaceChildren(resultBox, h('div', { class: 'notice cu-import-result', 'data-testid': 'import-result', dataset: { created: report.created, updated: report.updated, skipped: report.skipped } },
          t('customer.import.result', { created: formatNumber(report.created), updated: formatNumber(report.updated), skipped: formatNumber(report.skipped) })));
        closeBtn.textContent = t('common.close');
        applyBtn.hidden = true;
      } else {
        progress.hidden = true;
        progressText.textContent = '';
        replaceChildren(resultBox, h('div', { class: 'form-error', 'data-testid': 'import-result', dataset: { created: 0, updated: 0, skipped: 0 } }, t('customer.import.nothing_written')));
        renderPreview(report.errors);
      }
    } catch (err) {
      progress.hidden = true;
      progressText.textContent = '';
      applyBtn.disabled = false;
      fail(err);
    } finally {
      off();
      busy = false;
    }
  }

  const dlg = openDialog({
    title: t('customer.import.title'),
    testid: 'customer-import-dialog',
    className: 'dialog-wide cu-import-dialog',
    body: [
      h('p', { class: 'muted small' }, t('customer.import.intro')),
      chooser,
      errorSlot,
      mappingBox,
      previewBox,
      policyField,
      h('div', { class: 'cu-progress-row' }, progress, progressText),
      resultBox,
    ],
    actions: [closeBtn, applyBtn],
  });
  return dlg.result.then((v) => v === true || committed);
}

