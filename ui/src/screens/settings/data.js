// Settings › Team, for admins: backups (back up now, restore a backup or a file) and "Export
// everything" — every table as CSV and every attachment in one zip in the data folder's exports
// folder, for leaving Rapport or for an audit.
import { h, replaceChildren } from '../../dom.js';
import { t, formatNumber, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { button } from '../../components/form.js';
import { toastError } from '../../components/toast.js';
import { confirm } from '../../components/dialog.js';
import { megabytes } from '../recovery.js';
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

/**
 * The backups card (admins): "Back up now" into the backups folder, "Save a copy…" to a file of
 * one's choice, the backups newest first,
 * and restoring one (or a picked file) over the current data after a confirmation. The current
 * data is backed up first; everyone is logged out afterwards, since the accounts may differ.
 */
export function backupsCard(app) {
  const list = h('ul', { class: 'recovery-list', 'data-testid': 'backups-list' });
  const note = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'backups-result' });

  async function restore(args, label) {
    const ok = await confirm({ title: t('backups.confirm_title'), message: t('backups.confirm_body', { backup: label }), confirmLabel: t('recovery.restore'), danger: true });
    if (!ok) return;
    note.textContent = t('recovery.restoring');
    try {
      await api.backupRestore(args);
      app.endSession({ notice: t('backups.restored') });
    } catch (err) {
      note.textContent = '';
      toastError(err);
    }
  }

  async function load() {
    try {
      const files = await api.backupList();
      replaceChildren(
        list,
        files.length
          ? files.map((b) => h('li', { class: 'recovery-backup', 'data-testid': 'backups-item' }, h('div', {}, h('strong', {}, formatDateTime(b.taken_at)), h('div', { class: 'muted small mono' }, `${b.name} · ${megabytes(b.bytes)} MB`)), button({ testid: 'backups-restore', kind: 'ghost', label: t('backups.restore'), onclick: () => restore({ backup: b.name }, formatDateTime(b.taken_at)) })))
          : h('li', { class: 'empty-note', 'data-testid': 'backups-empty' }, t('backups.empty')),
      );
    } catch (err) {
      toastError(err);
    }
  }

  const now = button({ testid: 'backups-now', kind: 'primary', label: t('backups.now'), onclick: async () => {
    now.disabled = true;
    note.textContent = t('backups.running');
    try {
      const b = await api.backupNow();
      note.textContent = t('backups.done', { file: b.name });
      await load();
    } catch (err) {
      note.textContent = '';
      toastError(err);
    } finally {
      now.disabled = false;
    }
  } });
  const saveAs = button({ testid: 'backups-save-as', kind: 'ghost', label: t('backups.save_as'), onclick: async () => {
    try {
      const path = await api.backupSaveAs();
      if (path) note.textContent = t('backups.saved', { file: path });
    } catch (err) {
      toastError(err);
    }
  } });
  const pick = button({ testid: 'backups-pick', kind: 'ghost', label: t('recovery.pick'), onclick: async () => {
    try {
      const path = await api.backupPickFile();
      if (path) await restore({ path }, path);
    } catch (err) {
      toastError(err);
    }
  } });
  load();
  return card(t('backups.title'), { testid: 'backups-card' }, h('p', {}, t('backups.body')), h('div', { class: 'form-actions' }, now, saveAs, pick), note, list);
}
