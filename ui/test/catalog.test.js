// Pick lists and the permission mirror: roles, time zones, theme cycling, greeting by hour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, TIME_ZONES, DEFAULT_TIME_ZONE, timeZoneChoices, THEME_MODES, nextThemeMode, can } from '../src/logic/catalog.js';
import { greetingKey } from '../src/logic/greeting.js';

test('roles match the core', () => {
  assert.deepEqual(ROLES, ['admin', 'supervisor', 'head', 'staff', 'viewer']);
});

test('the permission mirror matches the core policy table', () => {
  const expected = {
    team_edit: [true, false, false, false, false],
    hours_edit: [true, false, false, false, false],
    user_manage: [true, false, false, false, false],
    password_reset: [true, false, false, false, false],
    calendar_edit: [true, true, false, false, false],
    anything_else: [false, false, false, false, false],
  };
  for (const [action, row] of Object.entries(expected)) {
    assert.deepEqual(ROLES.map((r) => can(r, action)), row, action);
  }
});

test('time zones: Shanghai first and default, all valid, current value kept', () => {
  assert.equal(DEFAULT_TIME_ZONE, 'Asia/Shanghai');
  assert.equal(TIME_ZONES[0], 'Asia/Shanghai');
  assert.equal(new Set(TIME_ZONES).size, TIME_ZONES.length);
  for (const z of TIME_ZONES) assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: z }), z);
  assert.deepEqual(timeZoneChoices('Asia/Shanghai'), TIME_ZONES);
  assert.equal(timeZoneChoices('Africa/Nairobi')[0], 'Africa/Nairobi');
  assert.equal(timeZoneChoices('Africa/Nairobi').length, TIME_ZONES.length + 1);
});

test('the theme toggle cycles system → light → dark → system', () => {
  assert.deepEqual(THEME_MODES, ['system', 'light', 'dark']);
  assert.equal(nextThemeMode('system'), 'light');
  assert.equal(nextThemeMode('light'), 'dark');
  assert.equal(nextThemeMode('dark'), 'system');
  assert.equal(nextThemeMode('weird'), 'system');
});

test('greeting by hour', () => {
  assert.equal(greetingKey(4), 'greeting.evening');
  assert.equal(greetingKey(5), 'greeting.morning');
  assert.equal(greetingKey(10), 'greeting.morning');
  assert.equal(greetingKey(11), 'greeting.noon');
  assert.equal(greetingKey(13), 'greeting.afternoon');
  assert.equal(greetingKey(17), 'greeting.afternoon');
  assert.equal(greetingKey(18), 'greeting.evening');
  assert.equal(greetingKey(23), 'greeting.evening');
});
