// Form helpers: labelled fields (a * marks required ones), controls with stable test ids, and an
// error controller that shows the translated `form-error` banner and marks the field the core
// named with an inline `field-error-<field>` message.
import { h, options } from '../dom.js';
import { t, errorText } from '../i18n.js';

let seq = 0;

/** A labelled field; `name` is the field name the core reports in errors. */
export function field({ name, label, control, required = false, hint, className }) {
  if (!control.id) control.id = `f-${name}-${++seq}`;
  if (required) control.setAttribute('aria-required', 'true');
  const hintEl = hint ? h('div', { class: 'field-hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h(
    'div',
    { class: ['field', className], dataset: { field: name } },
    h('label', { class: 'field-label', for: control.id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hintEl,
  );
}

/** A text-like <input>. */
export function input({ testid, type = 'text', value = '', autocomplete = 'off', ...rest }) {
  return h('input', { class: 'input', type, 'data-testid': testid, autocomplete, spellcheck: 'false', value, ...rest });
}

/** A <select> from [value, label] pairs. */
export function select({ testid, choices, value, ...rest }) {
  return h('select', { class: 'input select', 'data-testid': testid, ...rest }, options(choices, value));
}

/** A checkbox with its label to the right. */
export function checkbox({ testid, name, label, checked = false, hint, ...rest }) {
  const box = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': testid, checked, ...rest });
  box.id = `f-${name}-${++seq}`;
  return h(
    'div',
    { class: 'field field-check', dataset: { field: name } },
    h('label', { class: 'check-label', for: box.id }, box, h('span', {}, label)),
    hint ? h('div', { class: 'field-hint' }, hint) : null,
  );
}

/**
 * Error display for one form. `aliases` maps a field name the core reports to the form's own
 * (e.g. 'password' → 'new_password'). show(err) accepts an ApiError or {code, field, params}.
 */
export function formErrors(form, { aliases = {} } = {}) {
  const clear = () => {
    form.querySelectorAll('.field-error, .form-error').forEach((el) => el.remove());
    form.querySelectorAll('[aria-invalid="true"]').forEach((el) => el.removeAttribute('aria-invalid'));
  };
  const show = (err) => {
    clear();
    const text = errorText(err);
    const banner = h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error' }, text);
    const slot = form.querySelector('.form-error-slot');
    if (slot) slot.appendChild(banner);
    else form.prepend(banner);
    const name = err?.field ? (aliases[err.field] ?? err.field) : null;
    const wrap = name ? form.querySelector(`[data-field="${cssEscape(name)}"]`) : null;
    if (wrap) {
      const control = wrap.querySelector('input, select, textarea');
      const msg = h('div', { class: 'field-error', 'data-testid': `field-error-${name}`, id: `${control?.id ?? name}-error` }, text);
      wrap.appendChild(msg);
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', msg.id);
        control.focus();
      }
    }
  };
  return { show, clear };
}

function cssEscape(s) {
  return globalThis.CSS?.escape ? CSS.escape(s) : String(s).replace(/[^a-zA-Z0-9_-]/g, '\\$&');
}

/**
 * Wire a <form>: on submit run `action()` with the submit button disabled; a rejection is shown
 * through `errors`. Returns the form for chaining.
 */
export function onSubmit(form, errors, action) {
  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    busy = true;
    const buttons = [...form.querySelectorAll('button[type="submit"]')];
    buttons.forEach((b) => {
      b.disabled = true;
      b.setAttribute('aria-busy', 'true');
    });
    errors.clear();
    try {
      await action();
    } catch (err) {
      errors.show(err);
    } finally {
      busy = false;
      buttons.forEach((b) => {
        if (b.isConnected) {
          b.disabled = false;
          b.removeAttribute('aria-busy');
        }
      });
    }
  });
  return form;
}

/** A button; `kind` is 'primary' | 'danger' | 'ghost' | undefined. */
export function button({ testid, kind, type = 'button', label, onclick, ...rest }, ...children) {
  return h('button', { type, class: ['btn', kind ? `btn-${kind}` : null], 'data-testid': testid, onclick, ...rest }, label, children);
}

/** A loading line for a panel. */
export function loading() {
  return h('p', { class: 'muted loading', role: 'status' }, t('common.loading'));
}

/** A panel-level load failure with a retry button. */
export function loadFailed(err, retry, testid = 'retry') {
  return h(
    'div',
    { class: 'load-failed', role: 'alert' },
    h('p', { class: 'form-error', 'data-testid': 'form-error' }, errorText(err)),
    button({ testid, label: t('common.retry'), onclick: retry }),
  );
}
