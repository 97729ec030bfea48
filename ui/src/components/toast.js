// Short, self-dismissing notices in the corner (data-testid="toast"); errors stay a little longer.
import { h } from '../dom.js';
import { t, errorText } from '../i18n.js';

let host = null;

function ensureHost() {
  if (!host || !host.isConnected) {
    host = h('div', { class: 'toasts', 'aria-live': 'polite' });
    document.body.appendChild(host);
  }
  return host;
}

/** Show `text` (plain text, never HTML). kind: 'info' | 'success' | 'error'. */
export function toast(text, { kind = 'info', timeout } = {}) {
  const ms = timeout ?? (kind === 'error' ? 7000 : 4000);
  const el = h(
    'div',
    { class: ['toast', `toast-${kind}`], 'data-testid': 'toast', role: kind === 'error' ? 'alert' : 'status', dataset: { kind } },
    h('span', { class: 'toast-text' }, text),
    h('button', { type: 'button', class: 'toast-close', 'data-testid': 'toast-close', 'aria-label': t('common.close'), onclick: () => remove() }, '×'),
  );
  const remove = () => el.remove();
  ensureHost().appendChild(el);
  setTimeout(remove, ms);
  return el;
}

/** Show an error's translated text. */
export function toastError(err) {
  return toast(errorText(err), { kind: 'error' });
}

/** Remove every toast (on log-out). */
export function clearToasts() {
  if (host) host.replaceChildren();
}
