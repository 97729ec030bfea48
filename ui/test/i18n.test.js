// i18n core: locale choice, lookup with fallbacks, interpolation, and per-locale formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  interpolate, translate, pickLocale, localeFromNavigator, supportedLocale, formatDate, formatDateTime,
  formatNumber, formatMoney, formatWeekday, parseIsoDay, isoDay, DEFAULT_LOCALE,
} from '../src/logic/i18n-core.js';
import { catalogs } from '../test-support/helpers.js';

// Intl output uses narrow no-break spaces in places; compare on plain spaces.
const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ');

test('interpolate fills named placeholders and leaves unknown ones', () => {
  assert.equal(interpolate('下午好，{name}', { name: '王晓梅' }), '下午好，王晓梅');
  assert.equal(interpolate('{a} and {b} and {a}', { a: 1, b: 'x' }), '1 and x and 1');
  assert.equal(interpolate('try in {seconds} s', {}), 'try in {seconds} s');
  assert.equal(interpolate('n={n}', { n: 0 }), 'n=0');
  assert.equal(interpolate('n={n}', { n: null }), 'n={n}');
  assert.equal(interpolate('no params {x}'), 'no params {x}');
  // Params are text, never re-interpreted.
  assert.equal(interpolate('{name}', { name: '<b>{other}</b>', other: 'X' }), '<b>{other}</b>');
});

test('interpolate ignores inherited properties', () => {
  assert.equal(interpolate('{toString}', {}), '{toString}');
});

test('translate looks in the locale, then the default locale, then returns the key', () => {
  const cats = { 'zh-CN': { a: '甲', only_zh: '只有中文' }, en: { a: 'A {n}', only_en: 'English only' } };
  assert.equal(translate(cats, 'en', 'a', { n: 2 }), 'A 2');
  assert.equal(translate(cats, 'zh-CN', 'a'), '甲');
  assert.equal(translate(cats, 'en', 'only_zh'), '只有中文');
  assert.equal(translate(cats, 'zh-CN', 'only_en'), 'English only');
  assert.equal(translate(cats, 'en', 'missing.key'), 'missing.key');
});

test('translate works with the real catalogs', () => {
  assert.equal(translate(catalogs, 'zh-CN', 'page.today'), '今天');
  assert.equal(translate(catalogs, 'en', 'page.today'), 'Today');
  assert.equal(translate(catalogs, 'en', 'greeting.evening', { name: 'Li' }), 'Good evening, Li');
  assert.equal(translate(catalogs, 'zh-CN', 'role.viewer'), '管理层(只读)');
});

test('locale choice: user preference, then device choice, then the OS language', () => {
  assert.equal(pickLocale({ userPref: 'en', devicePref: 'zh-CN', navigatorLanguage: 'zh-CN' }), 'en');
  assert.equal(pickLocale({ userPref: '', devicePref: 'en', navigatorLanguage: 'zh-CN' }), 'en');
  assert.equal(pickLocale({ userPref: '', devicePref: null, navigatorLanguage: 'zh-TW' }), 'zh-CN');
  assert.equal(pickLocale({ userPref: 'fr', navigatorLanguage: 'de-DE' }), 'en');
  assert.equal(pickLocale({}), 'zh-CN');
  assert.equal(DEFAULT_LOCALE, 'zh-CN');
});

test('OS language mapping', () => {
  assert.equal(localeFromNavigator('zh'), 'zh-CN');
  assert.equal(localeFromNavigator('ZH-hk'), 'zh-CN');
  assert.equal(localeFromNavigator('en-US'), 'en');
  assert.equal(localeFromNavigator('ja-JP'), 'en');
  assert.equal(localeFromNavigator(''), 'zh-CN');
  assert.equal(localeFromNavigator(undefined), 'zh-CN');
  assert.equal(supportedLocale('zh-CN'), 'zh-CN');
  assert.equal(supportedLocale('zh'), null);
  assert.equal(supportedLocale(''), null);
});

test('formatMoney shows yuan from minor units per locale', () => {
  assert.equal(plain(formatMoney('zh-CN', 123456)), '¥1,234.56');
  assert.equal(plain(formatMoney('en', 123456)), '¥1,234.56');
  assert.equal(plain(formatMoney('zh-CN', 5)), '¥0.05');
  assert.equal(plain(formatMoney('en', -250)), '-¥2.50');
  assert.equal(plain(formatMoney('zh-CN', 0)), '¥0.00');
  assert.equal(formatMoney('en', 'abc'), '');
});

test('formatNumber groups per locale', () => {
  assert.equal(formatNumber('en', 1234567.5), '1,234,567.5');
  assert.equal(formatNumber('zh-CN', 1234567), '1,234,567');
});

test('formatDate per locale, from ISO days without shifting the day', () => {
  assert.equal(formatDate('zh-CN', '2026-05-04'), '2026年5月4日');
  assert.equal(formatDate('en', '2026-05-04'), 'May 4, 2026');
  assert.equal(formatDate('zh-CN', '2026-05-04', { long: true }), '2026年5月4日星期一');
  assert.equal(formatDate('en', '2026-05-04', { long: true }), 'Monday, May 4, 2026');
  assert.equal(formatDate('en', 'not a date'), '');
});

test('formatDateTime reads epoch seconds and honours a time zone', () => {
  const s = Date.UTC(2026, 0, 5, 6, 30) / 1000; // 14:30 in Shanghai
  assert.equal(plain(formatDateTime('zh-CN', s, { timeZone: 'Asia/Shanghai' })), '2026年1月5日 14:30');
  assert.equal(plain(formatDateTime('en', s, { timeZone: 'Asia/Shanghai' })), 'Jan 5, 2026, 14:30');
  assert.equal(plain(formatDateTime('en', s, { timeZone: 'UTC' })), 'Jan 5, 2026, 06:30');
});

test('formatWeekday uses 1 = Monday … 7 = Sunday', () => {
  assert.equal(formatWeekday('zh-CN', 1), '星期一');
  assert.equal(formatWeekday('zh-CN', 7), '星期日');
  assert.equal(formatWeekday('en', 1), 'Monday');
  assert.equal(formatWeekday('en', 6, 'short'), 'Sat');
});

test('ISO day parsing is strict and local', () => {
  const d = parseIsoDay('2026-02-28');
  assert.equal(d.getFullYear(), 2026);
  assert.equal(d.getMonth(), 1);
  assert.equal(d.getDate(), 28);
  assert.equal(parseIsoDay('2026-02-30'), null);
  assert.equal(parseIsoDay('2026-2-3'), null);
  assert.equal(isoDay(new Date(2026, 0, 9)), '2026-01-09');
});
