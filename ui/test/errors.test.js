// Error handling: any rejection becomes an ApiError, and codes map to translated text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, toApiError, errorMessage } from '../src/logic/errors.js';
import { translate, hasKey } from '../src/logic/i18n-core.js';
import { catalogs } from '../test-support/helpers.js';

const i18n = (locale) => ({
  t: (key, params) => translate(catalogs, locale, key, params),
  has: (key) => hasKey(catalogs[locale], key),
});

test('a core payload becomes an ApiError with all four parts', () => {
  const e = toApiError({ code: 'user.username_taken', message: 'this user name is taken', field: 'username', params: null });
  assert.ok(e instanceof ApiError);
  assert.ok(e instanceof Error);
  assert.equal(e.code, 'user.username_taken');
  assert.equal(e.field, 'username');
  assert.equal(e.params, null);
  assert.equal(e.detail, 'this user name is taken');
  assert.equal(toApiError(e), e);
});

test('strings and plain Errors (e.g. a missing command) become code "unknown"', () => {
  const s = toApiError('command foo not found');
  assert.equal(s.code, 'unknown');
  assert.equal(s.detail, 'command foo not found');
  const e = toApiError(new TypeError('boom'));
  assert.equal(e.code, 'unknown');
  assert.equal(e.detail, 'boom');
  assert.equal(toApiError(undefined).code, 'unknown');
  assert.equal(toApiError({ code: 'x', field: 3 }).field, null);
});

test('known codes are translated with their params', () => {
  const throttled = { code: 'auth.throttled', message: 'too many failed attempts; try again in 30 s', field: null, params: { seconds: 30 } };
  assert.equal(errorMessage(throttled, i18n('zh-CN')), '尝试次数过多，请 30 秒后再试。');
  assert.equal(errorMessage(throttled, i18n('en')), 'Too many attempts. Try again in 30 seconds.');
  assert.equal(errorMessage({ code: 'auth.bad_credentials', message: 'x' }, i18n('zh-CN')), '用户名或密码不正确。');
  assert.equal(errorMessage({ code: 'auth.forbidden', message: 'staff may not TeamEdit' }, i18n('en')), 'Your role does not allow this.');
});

test('unknown codes fall back to error.unknown carrying the core message', () => {
  const e = { code: 'customer.something_new', message: 'a brand new rule', field: 'name', params: null };
  assert.equal(errorMessage(e, i18n('en')), 'Something unexpected went wrong: a brand new rule');
  assert.equal(errorMessage(e, i18n('zh-CN')), '出现了意外错误：a brand new rule');
  assert.equal(errorMessage('raw failure', i18n('en')), 'Something unexpected went wrong: raw failure');
  // With no message at all, the code is still shown rather than nothing.
  assert.equal(errorMessage({ code: 'x.y' }, i18n('en')), 'Something unexpected went wrong: x.y');
});

test('client-side check objects use the same path', () => {
  assert.equal(errorMessage({ code: 'password.mismatch', field: 'password2' }, i18n('zh-CN')), '两次输入的密码不一致。');
  assert.equal(errorMessage({ code: 'password.too_short', field: 'password', params: { min: 8 } }, i18n('en')), 'A password needs at least 8 characters.');
});
