// Settings › Team, for admins: "Export everything" — every table as CSV and every attachment in
// one zip in the data folder's exports folder, for leaving Rapport or for an audit.
import { h } from '../../dom.js';
import { t, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { button } from '../../components/form.js';
import { toastError } from '../../components/toast.js';
import { card } from './common.js';

/** The export card (render only for admins; the command refuses everyone else). */
export function exportAllCard() {
  const result = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'export-all-result' });
  const btn = button({ testid: 'export-all', label: t('data.export_all'), onclick: async () => {
    btn.disabled = true;
    result.textContent = t('data.export_running');
    try {
      const s = await api.dataExportAll();
      result.textContent = t('data.export_done', { tables: formatNumber(s.tables.length), attachments: formatNumber(s.attachments), file: s.file });
    } catch (err) {
      result.textContent = '';
      toastError(err);
    } finally {
      btn.disabled = false;
    }
  } });
  return card(t('data.export_title'), {}, h('p', {}, t('data.export_body')), h('div', { class: 'form-actions' }, btn), result);
}
