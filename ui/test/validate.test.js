// Client-side checks: passwords, required fields, business-hour intervals and dates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkNewPassword, checkRequired, parseTime, checkWeeklyHours, fullWeek, isIsoDay, isoWeekday, weeklyMinutes, MIN_PASSWORD_LEN,
} from '../src/logic/validate.js';

test('new passwords need 8 characters and a matching repeat', () => {
  assert.equal(MIN_PASSWORD_LEN, 8);
  assert.deepEqual(checkNewPassword('short', 'short'), { code: 'password.too_short', field: 'password', params: { min: 8 } });
  assert.deepEqual(checkNewPassword('longenough', 'longenougH'), { code: 'password.mismatch', field: 'password2', params: null });
  assert.equal(checkNewPassword('longenough', 'longenough'), null);
  // Counted in characters, like the core: 8 Chinese characters are enough.
  assert.equal(checkNewPassword('客户关系维护反馈', '客户关系维护反馈'), null);
  assert.equal(checkNewPassword('😀😀😀😀', '😀😀😀😀')?.code, 'password.too_short');
  assert.equal(checkNewPassword('abc', 'abc', { field: 'new_password' }).field, 'new_password');
  assert.equal(checkNewPassword('abcdefgh', 'x', { repeatField: 'new_password2' }).field, 'new_password2');
});

test('required fields', () => {
  assert.deepEqual(checkRequired({ name: '  ' }), { code: 'field.required', field: 'name', params: null });
  assert.equal(checkRequired({ name: '华为', code: 'hw' }), null);
  assert.equal(checkRequired({ a: 'x', b: undefined }).field, 'b');
});

test('times parse as HH:MM with 24:00 allowed', () => {
  assert.equal(parseTime('09:00'), 540);
  assert.equal(parseTime(' 13:30 '), 810);
  assert.equal(parseTime('24:00'), 1440);
  assert.equal(parseTime('24:01'), null);
  assert.equal(parseTime('9:00'), null);
  assert.equal(parseTime('12:60'), null);
  assert.equal(parseTime('ab:cd'), null);
});

const week = (days) => ({ days: days.map(([weekday, intervals]) => ({ weekday, intervals: intervals.map(([start, end]) => ({ start, end })) })) });

test('weekly hours: valid, bad time, reversed, overlapping, empty', () => {
  assert.equal(checkWeeklyHours(week([[1, [['09:00', '12:00'], ['13:00', '18:00']]], [6, []]])), null);
  assert.equal(checkWeeklyHours(week([[1, [['09:00', '12:00'], ['12:00', '18:00']]]])), null, 'touching is fine');
  assert.deepEqual(checkWeeklyHours(week([[2, [['9', '12:00']]]])), { code: 'calendar.time_invalid', field: 'intervals', params: { weekday: 2 } });
  assert.equal(checkWeeklyHours(week([[3, [['18:00', '09:00']]]])).code, 'calendar.interval_invalid');
  assert.equal(checkWeeklyHours(week([[4, [['13:00', '18:00'], ['09:00', '13:30']]]])).code, 'calendar.interval_overlap');
  assert.equal(checkWeeklyHours(week([[1, []], [2, []]])).code, 'calendar.no_working_time');
});

test('fullWeek fills missing weekdays and copies intervals', () => {
  const src = week([[3, [['09:00', '18:00']]]]);
  const full = fullWeek(src);
  assert.deepEqual(full.days.map((d) => d.weekday), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(full.days[2].intervals, [{ start: '09:00', end: '18:00' }]);
  assert.deepEqual(full.days[0].intervals, []);
  full.days[2].intervals[0].start = '10:00';
  assert.equal(src.days[0].intervals[0].start, '09:00', 'the source is not modified');
  assert.equal(fullWeek(undefined).days.length, 7);
});

test('weekly minutes add up valid intervals only', () => {
  const w = week([[1, [['09:00', '12:00'], ['13:00', '18:00']]], [2, [['09:00', '18:00']]], [3, [['bad', '10:00']]]]);
  assert.equal(weeklyMinutes(w), 8 * 60 + 9 * 60);
});

test('ISO days and their weekday', () => {
  assert.equal(isIsoDay('2026-10-01'), true);
  assert.equal(isIsoDay('2026-02-29'), false);
  assert.equal(isIsoDay('2028-02-29'), true);
  assert.equal(isIsoDay('2026/10/01'), false);
  assert.equal(isoWeekday('2026-10-01'), 4); // Thursday
  assert.equal(isoWeekday('2026-02-15'), 7); // Sunday
  assert.equal(isoWeekday('2026-02-16'), 1); // Monday
  assert.equal(isoWeekday('nope'), null);
});
