// Hash routes: parsing, building and the Alt+digit page order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHash, buildHash, pageForDigit, PAGES, SETTINGS_TABS } from '../src/logic/router-core.js';

test('pages parse from their hashes', () => {
  assert.deepEqual(parseHash('#/today'), { page: 'today', tab: null });
  assert.deepEqual(parseHash('#/customers'), { page: 'customers', tab: null });
  assert.deepEqual(parseHash('#/reports/'), { page: 'reports', tab: null });
  assert.deepEqual(parseHash('#/feedback?x=1'), { page: 'feedback', tab: null });
});

test('settings carries a tab, defaulting to team', () => {
  assert.deepEqual(parseHash('#/settings/users'), { page: 'settings', tab: 'users' });
  assert.deepEqual(parseHash('#/settings/calendar'), { page: 'settings', tab: 'calendar' });
  assert.deepEqual(parseHash('#/settings'), { page: 'settings', tab: 'team' });
  assert.deepEqual(parseHash('#/settings/nope'), { page: 'settings', tab: 'team' });
});

test('anything else lands on Today', () => {
  for (const h of ['', '#', '#/', '#/unknown', 'garbage', null, undefined, '#/__proto__']) {
    assert.deepEqual(parseHash(h), { page: 'today', tab: null }, String(h));
  }
});

test('build and parse round-trip for every page and tab', () => {
  for (const page of PAGES) {
    if (page === 'settings') continue;
    assert.deepEqual(parseHash(buildHash({ page })), { page, tab: null });
  }
  for (const tab of SETTINGS_TABS) assert.deepEqual(parseHash(buildHash({ page: 'settings', tab })), { page: 'settings', tab });
  assert.equal(buildHash({ page: 'settings' }), '#/settings/team');
  assert.equal(buildHash({ page: 'bogus' }), '#/today');
});

test('Alt+1..7 follow the sidebar order', () => {
  assert.deepEqual(PAGES, ['today', 'customers', 'interactions', 'feedback', 'plans', 'reports', 'settings']);
  assert.equal(pageForDigit('1'), 'today');
  assert.equal(pageForDigit(7), 'settings');
  assert.equal(pageForDigit('8'), null);
  assert.equal(pageForDigit('0'), null);
  assert.equal(pageForDigit('x'), null);
});
