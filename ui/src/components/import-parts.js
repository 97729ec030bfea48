// The parts every spreadsheet import dialog shares (customers, survey results): choosing a file
// (size checked, read as base64), one drop-down per column mapping it to a field, and the list
// of row errors with row number, column and the translated reason. Each dialog keeps its own
// preview table and apply step; the testids and texts come from the caller.
import { h, options } from '../dom.js';
import { t, errorText, formatNumber } from '../i18n.js';
import { icon } from './icons.js';
import { toBase64 } from '../screens/customers/model.js';

/** Largest file an import reads (the core refuses larger ones too). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

let seq = 0;

/**
 * A "choose file" button with the chosen file's name beside it. `onFile({data, name})` gets
 * the file as base64; `onError(err)` a translated-error payload (too large, unreadable).
 */
export function fileChooser({ testid, nameTestid, accept, chooseLabel, noFileLabel, rowClass, nameClass, onFile, onError }) {
  const id = `import-file-${++seq}`;
  const input = h('input', { type: 'file', accept, class: 'visually-hidden', 'data-testid': testid, id });
  const name = h('span', { class: ['muted', nameClass], 'data-testid': nameTestid }, noFileLabel);
  input.addEventListener('change', async () => {
    const f = input.files?.[0];
    input.value = '';
    if (!f) return;
    if (f.size > MAX_IMPORT_BYTES) {
      onError({ code: 'customer.import.too_large', params: { mb: MAX_IMPORT_BYTES / 1024 / 1024 } });
      return;
    }
    name.textContent = f.name;
    try {
      await onFile({ data: toBase64(await f.arrayBuffer()), name: f.name });
    } catch (err) {
      onError(err);
    }
  });
  return h('div', { class: rowClass }, h('label', { class: 'btn file-btn', for: id }, icon('upload', { size: 16 }), chooseLabel, input), name);
}

/**
 * One labelled drop-down per column of the file, choosing the field it fills (or none).
 * `onChange(mapping)` gets the new `{columns}` after a change.
 */
export function mappingRows({ headers, mapping, choices, testid, rowClass, headerClass, onChange }) {
  return headers.map((header, i) => {
    const sel = h('select', { class: 'input select', 'data-testid': testid, dataset: { column: i, header }, 'aria-label': header, onchange: () => {
      onChange({ columns: mapping.columns.map((c, j) => (j === i ? sel.value || null : c)) });
    } }, options(choices, mapping.columns[i] ?? ''));
    return h('label', { class: rowClass }, h('span', { class: headerClass }, header || `#${i + 1}`), sel);
  });
}

/**
 * The row errors of a preview (the first 200, then a count of the rest), or null when there
 * are none. `keys` names the locale texts: `{title, row, more}`.
 */
export function rowErrorList(errors, { testid, keys, className, titleClass }) {
  if (!errors.length) return null;
  return h(
    'div',
    { class: className },
    h('h3', { class: titleClass }, t(keys.title, { n: formatNumber(errors.length) })),
    h('ul', {}, errors.slice(0, 200).map((e) =>
      h('li', { 'data-testid': testid, dataset: { row: e.row, code: e.code } },
        h('strong', {}, t(keys.row, { n: e.row })),
        e.column ? h('span', { class: 'muted' }, ` · ${e.column}`) : null,
        ` · ${errorText({ code: e.code, message: e.message })}`))),
    errors.length > 200 ? h('p', { class: 'muted small' }, t(keys.more, { n: formatNumber(errors.length - 200) })) : null,
  );
}
