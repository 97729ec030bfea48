// Log-in screen: team name, user name, password; Enter submits; errors are translated.
import { h } from '../dom.js';
import { t, setLocale } from '../i18n.js';
import * as api from '../api.js';
import { field, input, formErrors, onSubmit, button } from '../components/form.js';
import { langPicker } from './lang-picker.js';

export function mountLogin(app) {
  const username = input({ testid: 'login-username', autocomplete: 'username', value: app.lastUsername ?? '' });
  const password = input({ testid: 'login-password', type: 'password', autocomplete: 'current-password' });
  const form = h(
    'form',
    { class: 'form', 'data-testid': 'login-form', novalidate: true },
    h('div', { class: 'form-error-slot' }),
    field({ name: 'username', label: t('login.username'), control: username }),
    field({ name: 'password', label: t('login.password'), control: password }),
    h('div', { class: 'form-actions' }, button({ testid: 'login-submit', kind: 'primary', type: 'submit', label: t('login.submit'), class: 'btn btn-primary btn-block' })),
  );
  const errors = formErrors(form);
  onSubmit(form, errors, async () => {
    try {
      const actor = await api.login(username.value, password.value);
      app.loggedIn(actor);
    } catch (err) {
      password.value = '';
      throw err;
    }
  });

  const el = h(
    'div',
    { class: 'auth-screen login-screen' },
    h(
      'div',
      { class: 'auth-card' },
      h('div', { class: 'auth-top' }, h('div', { class: 'brand-mark' }, 'Rapport'), langPicker({ testid: 'login-lang', onchange: setLocale })),
      h('h1', { class: 'auth-title' }, t('login.title')),
      h('p', { class: 'login-team', 'data-testid': 'login-team-name' }, app.teamName ?? ''),
      form,
      h('p', { class: 'muted small' }, t('login.forgot')),
    ),
  );
  username.autofocus = true;
  queueMicrotask(() => username.select());
  return { el, focus: username };
}
