// First-run screen: create the team and its first administrator, then open the shell.
import { h } from '../dom.js';
import { t, locale, setLocale } from '../i18n.js';
import * as api from '../api.js';
import { field, input, select, checkbox, formErrors, onSubmit, button } from '../components/form.js';
import { checkNewPassword, MIN_PASSWORD_LEN } from '../logic/validate.js';
import { timeZoneChoices, DEFAULT_TIME_ZONE } from '../logic/catalog.js';
import { langPicker } from './lang-picker.js';
import { timeZoneLabel } from './tz-label.js';

export function mountSetup(app) {
  const company = input({ testid: 'setup-company', autocomplete: 'organization', maxlength: 200 });
  const username = input({ testid: 'setup-admin-username', autocomplete: 'username', maxlength: 200 });
  const display = input({ testid: 'setup-admin-name', autocomplete: 'name', maxlength: 200 });
  const password = input({ testid: 'setup-admin-password', type: 'password', autocomplete: 'new-password' });
  const password2 = input({ testid: 'setup-admin-password2', type: 'password', autocomplete: 'new-password' });
  const tz = select({ testid: 'setup-timezone', choices: timeZoneChoices(DEFAULT_TIME_ZONE).map((z) => [z, timeZoneLabel(z)]), value: DEFAULT_TIME_ZONE });
  const lunch = checkbox({ testid: 'setup-lunch', name: 'lunch_break', label: t('setup.lunch'), hint: t('setup.lunch_hint') });

  const form = h(
    'form',
    { class: 'form', 'data-testid': 'setup-form', novalidate: true },
    h('div', { class: 'form-error-slot' }),
    h(
      'fieldset',
      { class: 'fieldset' },
      h('legend', {}, t('setup.team_section')),
      field({ name: 'company_name', label: t('setup.company'), control: company, required: true }),
      field({ name: 'time_zone', label: t('setup.timezone'), control: tz, hint: t('setup.timezone_hint') }),
      lunch,
    ),
    h(
      'fieldset',
      { class: 'fieldset' },
      h('legend', {}, t('setup.admin_section')),
      field({ name: 'username', label: t('setup.admin_username'), control: username, required: true, hint: t('setup.admin_username_hint') }),
      field({ name: 'display_name', label: t('setup.admin_name'), control: display, required: true }),
      field({ name: 'password', label: t('setup.password'), control: password, required: true, hint: t('password.rule', { min: MIN_PASSWORD_LEN }) }),
      field({ name: 'password2', label: t('setup.password2'), control: password2, required: true }),
    ),
    h('div', { class: 'form-actions' }, button({ testid: 'setup-submit', kind: 'primary', type: 'submit', label: t('setup.submit') })),
  );
  const errors = formErrors(form, {
    aliases: { admin_username: 'username', admin_display_name: 'display_name', admin_password: 'password' },
  });
  onSubmit(form, errors, async () => {
    const problem = checkNewPassword(password.value, password2.value);
    if (problem) throw problem;
    const actor = await api.setupTeam({
      company_name: company.value,
      admin_username: username.value,
      admin_display_name: display.value,
      admin_password: password.value,
      time_zone: tz.value,
      locale: locale(),
      lunch_break: lunch.querySelector('input').checked,
    });
    app.setupDone(company.value.trim());
    app.loggedIn(actor);
  });

  const el = h(
    'div',
    { class: 'auth-screen setup-screen' },
    h(
      'div',
      { class: 'auth-card wide' },
      h('div', { class: 'auth-top' }, h('div', { class: 'brand-mark' }, 'Rapport'), langPicker({ testid: 'setup-lang', onchange: setLocale })),
      h('h1', { class: 'auth-title' }, t('setup.title')),
      h('p', { class: 'auth-intro' }, t('setup.intro')),
      form,
    ),
  );
  return { el, focus: company };
}
