// The export dialog: CSV or XLSX, table 1's column layout (re-importable) or the full one, the
// list as currently filtered or every customer. The app writes the file into the data folder's
// `exports/` directory (a WebView download is not reliable in every engine) and the toast says
// where it is.
import { h } from '../../dom.js';
import { t, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { field, select } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { actionDialog } from '../feedback/common.js';

export async function exportDialog(query) {
  const format = select({ testid: 'export-format', choices: [['xlsx', 'Excel (.xlsx)'], ['csv', 'CSV (.csv)']], value: 'xlsx' });
  const layout = select({ testid: 'export-layout', choices: [['table1', t('customer.export.layout.table1')], ['full', t('customer.export.layout.full')]], value: 'table1' });
  const scope = select({ testid: 'export-scope', choices: [['view', t('customer.export.scope.view')], ['all', t('customer.export.scope.all')]], value: 'view' });
  const done = await actionDialog({
    title: t('customer.export.title'),
    testid: 'customer-export-dialog',
    prefix: 'export',
    submitTestid: 'export-submit',
    submitLabel: t('customer.export.submit'),
    wide: true,
    fields: [
      field({ name: 'format', label: t('customer.export.format'), control: format }),
      field({ name: 'layout', label: t('customer.export.layout'), control: layout, hint: t('customer.export.layout_hint') }),
      field({ name: 'scope', label: t('customer.export.scope'), control: scope }),
    ],
    action: () => api.customerExport(scope.value === 'all' ? { archived: query.archived } : query, format.value, layout.value),
  });
  if (done && done.path) {
    toast(h('span', {}, t('customer.export.done', { size: formatNumber(Math.ceil(done.bytes / 1024)) }), h('br'), h('span', { class: 'mono', 'data-testid': 'export-path' }, done.path)), { kind: 'success', timeout: 15000 });
  }
}
