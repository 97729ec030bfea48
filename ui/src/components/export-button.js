// A button that writes an export into the data folder: busy (disabled, "Exporting…") while the
// app builds the file, then a toast with the file's path, or the translated error.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { button } from './form.js';
import { toast, toastError } from './toast.js';

/** `run()` resolves to {path, filename, bytes} as the export commands return it. */
export function exportButton({ testid, label, title, kind, run }) {
  const el = button({ testid, kind, label, title, onclick: async () => {
    if (el.disabled) return;
    el.disabled = true;
    el.setAttribute('aria-busy', 'true');
    el.textContent = t('common.exporting');
    try {
      const done = await run();
      toast(h('span', {}, t('common.exported'), h('br'), h('span', { class: 'mono', 'data-testid': 'export-path' }, done.path)), { kind: 'success', timeout: 15000 });
    } catch (err) {
      toastError(err);
    } finally {
      el.disabled = false;
      el.removeAttribute('aria-busy');
      el.textContent = label;
    }
  } });
  return el;
}
