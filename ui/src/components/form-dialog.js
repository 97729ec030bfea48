// A modal dialog holding one form: fields, a cancel button and a submit button; errors from the
// submit action show in the form. Resolves with the action's result, or null when cancelled.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { openDialog } from './dialog.js';
import { formErrors, onSubmit, button } from './form.js';

export function formDialog({ title, testid, prefix, fields, submitLabel, aliases, action, initialFocus }) {
  const form = h('form', { class: 'form', 'data-testid': `${prefix}-form`, novalidate: true });
  const errors = formErrors(form, { aliases });
  let dlg;
  onSubmit(form, errors, async () => {
    const value = await action();
    dlg.close(value ?? true);
  });
  dlg = openDialog({
    title,
    testid,
    form,
    body: [h('div', { class: 'form-error-slot' }), h('div', { class: 'form-grid' }, fields)],
    actions: [
      button({ testid: `${prefix}-cancel`, label: t('common.cancel'), onclick: () => dlg.close(null) }),
      button({ testid: `${prefix}-save`, kind: 'primary', type: 'submit', label: submitLabel ?? t('common.save') }),
    ],
    initialFocus,
  });
  return dlg.result;
}
