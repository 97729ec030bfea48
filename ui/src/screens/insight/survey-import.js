// The survey import dialog: pick a CSV or XLSX export of a survey tool (问卷星, 腾讯问卷, 金数据…),
// see the detected column mapping (adjustable), a preview of the rows with every row error (row
// number, column, reason), then import in one transaction with a result summary. Resolves true
// when answers were written, so the dashboard reloads.
import { h, replaceChildren } from '../../dom.js';
import { t, errorText, formatNumber, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { openDialog } from '../../components/dialog.js';
import { button } from '../../components/form.js';
import { fileChooser, mappingRows, rowErrorList } from '../../components/import-parts.js';

const FIELDS = ['customer', 'answered_at', 'nps', 'csat', 'comment'];

export function surveyImportDialog() {
  let file = null; // {data, name}
  let mapping = null;
  let preview = null;
  let committed = false;
  let busy = false;
  const errorSlot = h('div', {});
  const mappingBox = h('div', {});
  const previewBox = h('div', {});
  const resultBox = h('div', { 'aria-live': 'polite' });
  const applyBtn = button({ testid: 'survey-import-apply', kind: 'primary', label: t('survey.import.apply'), disabled: true, onclick: () => apply() });
  const closeBtn = button({ testid: 'survey-import-cancel', label: t('common.cancel'), onclick: () => dlg.close(committed) });

  function fail(err) {
    replaceChildren(errorSlot, h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error' }, errorText(err)));
  }

  const chooser = fileChooser({
    testid: 'survey-import-file', nameTestid: 'survey-import-file-name', rowClass: 'in-survey-file',
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    chooseLabel: t('survey.import.choose'), noFileLabel: t('survey.import.no_file'),
    onFile: async (chosen) => {
      replaceChildren(errorSlot);
      replaceChildren(resultBox);
      file = chosen;
      mapping = null;
      committed = false;
      applyBtn.hidden = false;
      await runPreview();
    },
    onError: (err) => {
      file = null;
      fail(err);
    },
  });

  async function runPreview() {
    replaceChildren(previewBox, h('p', { class: 'muted loading', role: 'status' }, t('survey.import.reading')));
    applyBtn.disabled = true;
    try {
      preview = await api.surveyImportPreview(file.data, file.name, mapping);
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
    const choices = [['', t('survey.import.ignore')], ...FIELDS.map((f) => [f, t(`survey.import.field.${f}`)])];
    replaceChildren(
      mappingBox,
      h('fieldset', { class: 'in-survey-mapping', 'data-testid': 'survey-import-mapping' },
        h('legend', {}, t('survey.import.mapping')),
        mappingRows({ headers: preview.headers, mapping, choices, testid: 'survey-import-mapping-column', rowClass: 'in-survey-mapping-row', onChange: (m) => {
          mapping = m;
          runPreview();
        } }),
      ),
    );
  }

  function renderPreview(errors) {
    const summary = h('p', { 'data-testid': 'survey-import-summary' }, t('survey.import.summary', {
      rows: formatNumber(preview.total_rows), errors: formatNumber(errors.length), duplicates: formatNumber(preview.duplicates),
    }));
    const table = preview.rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, ['row', 'customer', 'matched_by', 'answered_at', 'nps', 'csat', 'comment'].map((k) => h('th', { scope: 'col' }, t(`survey.import.col.${k}`))))),
          h('tbody', {}, preview.rows.map((r) => h('tr', { 'data-testid': 'survey-import-preview-row', dataset: { row: r.row, duplicate: String(r.duplicate) } },
            h('td', { class: 'mono' }, String(r.row)),
            h('td', {}, r.customer_name, r.duplicate ? h('div', { class: 'small muted' }, t('survey.import.duplicate')) : null),
            h('td', {}, t(`survey.import.matched.${r.matched_by}`)),
            h('td', {}, formatDateTime(r.answered_at)),
            h('td', {}, r.nps === null ? '—' : String(r.nps)),
            h('td', {}, r.csat === null ? '—' : String(r.csat)),
            h('td', {}, r.comment))))))
      : h('p', { class: 'muted', 'data-testid': 'survey-import-empty' }, t('survey.import.no_rows'));
    replaceChildren(previewBox, h('div', { 'data-testid': 'survey-import-preview' }, summary, rowErrorList(errors, { testid: 'survey-import-row-error', className: 'in-survey-errors', keys: { title: 'survey.import.errors', row: 'survey.import.row_n', more: 'survey.import.more_errors' } }), table));
    applyBtn.disabled = errors.length > 0 || preview.total_rows === 0 || committed;
  }

  async function apply() {
    if (busy || !file || !preview) return;
    busy = true;
    applyBtn.disabled = true;
    try {
      const report = await api.surveyImportApply(file.data, file.name, mapping);
      if (report.committed) {
        committed = true;
        replaceChildren(resultBox, h('div', { class: 'notice', 'data-testid': 'survey-import-result', dataset: { imported: report.imported, skipped: report.skipped_duplicates } },
          t('survey.import.result', { imported: formatNumber(report.imported), skipped: formatNumber(report.skipped_duplicates) })));
        closeBtn.textContent = t('common.close');
        applyBtn.hidden = true;
      } else {
        replaceChildren(resultBox, h('div', { class: 'form-error', 'data-testid': 'survey-import-result', dataset: { imported: 0, skipped: 0 } }, t('survey.import.nothing_written')));
        renderPreview(report.errors);
      }
    } catch (err) {
      applyBtn.disabled = false;
      fail(err);
    } finally {
      busy = false;
    }
  }

  const dlg = openDialog({
    title: t('survey.import.title'),
    testid: 'survey-import-dialog',
    className: 'dialog-wide',
    body: [
      h('p', { class: 'muted small' }, t('survey.import.intro')),
      chooser,
      errorSlot,
      mappingBox,
      previewBox,
      resultBox,
    ],
    actions: [closeBtn, applyBtn],
  });
  return dlg.result.then((v) => v === true || committed);
}
