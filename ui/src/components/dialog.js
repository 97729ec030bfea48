// Modal dialogs on the native <dialog> (showModal makes the rest of the page inert, Esc cancels):
// a generic openDialog, a confirm() that resolves true/false, and closeAllDialogs() for log-out.
import { h } from '../dom.js';
import { t } from '../i18n.js';

const open = new Set();
let seq = 0;

/**
 * Open a modal. `body` and `actions` are nodes (or arrays of nodes); pass an empty `form` to
 * have both placed inside it. With `dismissable: false`
 * Esc does nothing (used when a password change is required). Returns {el, close(result), result}.
 */
export function openDialog({ title, body, actions, form, testid = 'dialog', dismissable = true, className, initialFocus, role = 'dialog' }) {
  const titleId = `dialog-title-${++seq}`;
  const returnFocus = document.activeElement;
  let resolve;
  const result = new Promise((r) => {
    resolve = r;
  });
  const el = h(
    'dialog',
    { class: ['dialog', className], 'data-testid': testid, 'aria-labelledby': titleId, role: role === 'alertdialog' ? 'alertdialog' : null },
    h('h2', { class: 'dialog-title', id: titleId }, title),
    content(form, body, actions),
  );
  let closed = false;
  const close = (value) => {
    if (closed) return;
    closed = true;
    open.delete(api);
    if (el.open) el.close();
    el.remove();
    if (returnFocus && returnFocus.isConnected && typeof returnFocus.focus === 'function') returnFocus.focus();
    resolve(value);
  };
  el.addEventListener('cancel', (e) => {
    e.preventDefault();
    if (dismissable) close(null);
  });
  // Engines may close a modal on Esc even when 'cancel' is prevented (no user activation since
  // the last one): then either finish closing, or re-open a dialog that must stay.
  el.addEventListener('close', () => {
    if (closed) return;
    if (dismissable) close(null);
    else if (el.isConnected) el.showModal();
  });
  // Keep Tab inside the dialog even where the engine lets it escape to the page chrome.
  el.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab') return;
    const items = [...el.querySelectorAll('button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])')].filter((x) => !x.disabled && x.offsetParent !== null);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  });
  document.body.appendChild(el);
  el.showModal();
  const target = typeof initialFocus === 'function' ? initialFocus(el) : initialFocus;
  (target ?? el.querySelector('input, select, textarea, button'))?.focus();
  const api = { el, close, result };
  open.add(api);
  return api;
}

// With a <form>, body and buttons go inside it so Enter and type="submit" buttons submit it.
function content(form, body, actions) {
  const parts = [h('div', { class: 'dialog-body' }, body), actions ? h('div', { class: 'dialog-actions' }, actions) : null];
  if (!form) return parts;
  form.classList.add('dialog-form');
  for (const p of parts) if (p) form.appendChild(p);
  return form;
}

/** Ask a yes/no question; resolves true only when confirmed. */
export function confirm({ title, message, confirmLabel, danger = false }) {
  let dlg;
  const cancelBtn = h('button', { type: 'button', class: 'btn', 'data-testid': 'dialog-cancel', onclick: () => dlg.close(false) }, t('common.cancel'));
  const okBtn = h(
    'button',
    { type: 'button', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], 'data-testid': 'dialog-confirm', onclick: () => dlg.close(true) },
    confirmLabel ?? t('common.confirm'),
  );
  dlg = openDialog({
    title,
    body: h('p', { class: 'dialog-message' }, message),
    actions: [cancelBtn, okBtn],
    testid: 'dialog',
    role: 'alertdialog',
    initialFocus: cancelBtn,
  });
  return dlg.result.then((v) => v === true);
}

/** Close every open dialog (e.g. when the session ends). */
export function closeAllDialogs() {
  for (const d of [...open]) d.close(null);
}
