// The recovery screen: shown instead of log-in when the database could not be opened or failed
// its integrity check at start. It lists the backups (newest first); restoring one (after a
// confirmation) keeps the damaged file aside and starts the app as usual. A file can also be
// picked. Nothing here deletes anything.
import { h } from '../dom.js';
import { t, setLocale, formatDateTime, formatNumber, errorText } from '../i18n.js';
import * as api from '../api.js';
import { button } from '../components/form.js';
import { confirm } from '../components/dialog.js';
import { langPicker } from './lang-picker.js';
import './recovery.css';

/** Size in MB with one decimal (backups are database files: kB to GB). */
export function megabytes(bytes) {
  return formatNumber(Math.round((bytes / 1048576) * 10) / 10);
}

export function mountRecovery(app) {
  const info = app.recovery;
  const status = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'recovery-error', hidden: true });
  const busy = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-testid': 'recovery-busy' });

  async function restore(args, label) {
    const ok = await confirm({ title: t('recovery.confirm_title'), message: t('recovery.confirm_body', { backup: label }), confirmLabel: t('recovery.restore') });
    if (!ok) return;
    status.hidden = true;
    busy.textContent = t('recovery.restoring');
    el.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    try {
      const kept = await api.recoveryRestore(args);
      app.recovered(kept);
    } catch (err) {
      busy.textContent = '';
      status.hidden = false;
      status.textContent = errorText(err);
      el.querySelectorAll('button').forEach((b) => { b.disabled = false; });
    }
  }

  // Backups come newest first, validated down to the newest good one (`good`: true / false /
  // null when older than that one and not checked).
  const best = info.backups.findIndex((b) => b.good === true);
  const rows = info.backups.map((b, i) =>
    h(
      'li',
      { class: ['recovery-backup', b.good === false ? 'is-bad' : null], 'data-testid': 'recovery-backup', dataset: { name: b.name, good: String(b.good) } },
      h(
        'div',
        {},
        h('strong', {}, formatDateTime(b.taken_at)),
        i === best ? h('span', { class: 'badge', 'data-testid': 'recovery-best' }, t('recovery.newest_good')) : null,
        b.good === false ? h('span', { class: 'badge recovery-bad' }, t('recovery.bad')) : null,
        h('div', { class: 'muted small mono' }, `${b.name} · ${megabytes(b.bytes)} MB`),
        b.problem ? h('div', { class: 'muted small' }, b.problem) : null,
      ),
      b.good === false ? null : button({ testid: 'recovery-restore', kind: i === best ? 'primary' : 'ghost', label: t('recovery.restore'), onclick: () => restore({ backup: b.name }, formatDateTime(b.taken_at)) }),
    ),
  );

  const pick = button({ testid: 'recovery-pick', kind: 'ghost', label: t('recovery.pick'), onclick: async () => {
    try {
      const path = await api.backupPickFile();
      if (path) await restore({ path }, path);
    } catch (err) {
      status.hidden = false;
      status.textContent = errorText(err);
    }
  } });

  const el = h(
    'div',
    { class: 'auth-screen', 'data-testid': 'recovery-screen' },
    h(
      'div',
      { class: 'auth-card wide' },
      h('div', { class: 'auth-top' }, h('div', { class: 'brand-mark' }, 'Rapport'), langPicker({ testid: 'recovery-lang', onchange: setLocale })),
      h('h1', { class: 'auth-title' }, t('recovery.title')),
      h('p', {}, t('recovery.body')),
      h('details', { class: 'recovery-detail' }, h('summary', {}, t('recovery.detail')), h('pre', { class: 'mono small', 'data-testid': 'recovery-problem' }, info.problem)),
      h('p', { class: 'muted small' }, t('recovery.folder'), ' ', h('span', { class: 'mono', 'data-testid': 'recovery-folder' }, info.data_dir)),
      info.backups.length
        ? h('ul', { class: 'recovery-list', 'data-testid': 'recovery-backups' }, rows)
        : h('p', { class: 'empty-note', 'data-testid': 'recovery-none' }, t('recovery.none')),
      h('div', { class: 'form-actions' }, pick),
      busy,
      status,
    ),
  );
  return { el, focus: el.querySelector('[data-testid="recovery-restore"]') ?? pick };
}
