// The change-password dialog (user menu, palette, and forced after an admin reset).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import * as api from '../api.js';
import { checkNewPassword, MIN_PASSWORD_LEN } from '../logic/validate.js';
import { openDialog } from './dialog.js';
import { field, input, formErrors, onSubmit, button } from './form.js';
import { toast } from './toast.js';

/**
 * Open the dialog. With `forced`, Esc does nothing and the second button logs out instead of
 * cancelling. Resolves true when the password was changed.
 */
export function changePasswordDialog({ forced = false, onLogout } = {}) {
  const oldIn = input({ testid: 'password-old', type: 'password', autocomplete: 'current-password' });
  const newIn = input({ testid: 'password-new', type: 'password', autocomplete: 'new-password' });
  const repeatIn = input({ testid: 'password-new2', type: 'password', autocomplete: 'new-password' });
  const form = h('form', { class: 'form', 'data-testid': 'password-form', novalidate: true });
  const body = [
    forced ? h('p', { class: 'notice' }, t('password.forced_notice')) : null,
    h('div', { class: 'form-error-slot' }),
    field({ name: 'old_password', label: t('password.old'), control: oldIn, required: true }),
    field({ name: 'new_password', label: t('password.new'), control: newIn, required: true, hint: t('password.rule', { min: MIN_PASSWORD_LEN }) }),
    field({ name: 'new_password2', label: t('password.repeat'), control: repeatIn, required: true }),
  ];
  const errors = formErrors(form, { aliases: { password: 'new_password' } });
  let dlg;
  const second = forced
    ? button({ testid: 'password-logout', label: t('menu.logout'), onclick: () => {
        dlg.close(false);
        onLogout?.();
      } })
    : button({ testid: 'password-cancel', label: t('common.cancel'), onclick: () => dlg.close(false) });
  const save = button({ testid: 'password-save', kind: 'primary', type: 'submit', label: t('password.save') });
  onSubmit(form, errors, async () => {
    const problem = checkNewPassword(newIn.value, repeatIn.value, { field: 'new_password', repeatField: 'new_password2' });
    if (problem) throw problem;
    await api.changePassword(oldIn.value, newIn.value);
    dlg.close(true);
    toast(t('password.changed'), { kind: 'success' });
  });
  dlg = openDialog({
    title: forced ? t('password.forced_title') : t('password.title'),
    body,
    form,
    actions: [second, save],
    testid: 'password-dialog',
    dismissable: !forced,
    initialFocus: oldIn,
  });
  return dlg.result.then((v) => v === true);
}
