// The Plans page's date grid: month and week views, moving, ranges, grouping and keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseIso, addDays, weekStart, addMonths, weekDays, monthGrid, rangeFor, shift,
  groupByDate, ownersOf, keyAction, arrowTarget, todayIn,
} from '../src/logic/plan-grid.js';

test('ISO dates parse strictly and move across months and leap days', () => {
  assert.equal(parseIso('2026-02-29'), null, '2026 is not a leap year');
  assert.equal(parseIso('2026-13-01'), null);
  assert.equal(parseIso('junk'), null);
  assert.ok(parseIso('2028-02-29'));
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2026-03-01', -1), '2026-02-28');
});

test('weeks start on Monday', () => {
  assert.equal(weekStart('2026-11-23'), '2026-11-23', 'a Monday is its own start');
  assert.equal(weekStart('2026-11-29'), '2026-11-23', 'Sunday belongs to the week before');
  assert.equal(weekStart('2027-01-01'), '2026-12-28', 'across the year end');
  assert.deepEqual(weekDays('2026-11-25'), ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
});

test('a month is whole weeks, 4 to 6 rows, with the outside days marked', () => {
  const nov = monthGrid('2026-11-23');
  assert.equal(nov.length, 6, 'November 2026 starts on a Sunday and spans six weeks');
  assert.equal(nov[0][0].date, '2026-10-26');
  assert.equal(nov[0][0].inMonth, false);
  assert.equal(nov[0][6].date, '2026-11-01');
  assert.equal(nov[0][6].inMonth, true);
  assert.equal(nov[5][0].date, '2026-11-30');
  assert.equal(nov[5][1].inMonth, false);
  const feb = monthGrid('2027-02-10');
  assert.equal(feb.length, 4, 'February 2027 starts on a Monday and has 28 days');
  assert.ok(feb.flat().every((d) => d.inMonth));
  for (const row of monthGrid('2026-06-01')) assert.equal(row.length, 7);
});

test('ranges cover what the view shows', () => {
  assert.deepEqual(rangeFor('month', '2026-11-05'), { from: '2026-10-26', to: '2026-12-06' });
  assert.deepEqual(rangeFor('week', '2026-11-05'), { from: '2026-11-02', to: '2026-11-08' });
});

test('moving by months drops the day, moving by weeks keeps it', () => {
  assert.equal(shift('month', '2026-01-31', 1), '2026-02-01');
  assert.equal(shift('month', '2026-01-15', -1), '2025-12-01');
  assert.equal(addMonths('2026-11-30', 14), '2028-01-01');
  assert.equal(shift('week', '2026-12-30', 1), '2027-01-06');
  assert.equal(shift('week', '2026-11-23', -2), '2026-11-09');
});

test('entries group by day in order; owners are distinct and sorted', () => {
  const entries = [
    { date: '2026-11-24', title: 'a', owner: 2, owner_name: '王' },
    { date: '2026-11-23', title: 'b', owner: 1, owner_name: 'Amy' },
    { date: '2026-11-24', title: 'c', owner: 2, owner_name: '王' },
    { date: '2026-11-25', title: 'd', owner: null },
  ];
  const g = groupByDate(entries);
  assert.deepEqual([...g.keys()], ['2026-11-24', '2026-11-23', '2026-11-25']);
  assert.deepEqual(g.get('2026-11-24').map((e) => e.title), ['a', 'c']);
  assert.deepEqual(ownersOf(entries), [{ id: 1, name: 'Amy' }, { id: 2, name: '王' }]);
});

test('keys: page moves, today, views; typing with Ctrl is left alone', () => {
  assert.deepEqual(keyAction({ key: 'PageDown' }), { move: 1 });
  assert.deepEqual(keyAction({ key: 'ArrowLeft', altKey: true }), { move: -1 });
  assert.equal(keyAction({ key: 'ArrowLeft' }), null, 'plain arrows move the day focus instead');
  assert.deepEqual(keyAction({ key: 'T' }), { today: true });
  assert.deepEqual(keyAction({ key: 'w' }), { view: 'week' });
  assert.equal(keyAction({ key: 'm', ctrlKey: true }), null);
  assert.equal(arrowTarget('2026-11-30', 'ArrowRight'), '2026-12-01');
  assert.equal(arrowTarget('2026-11-03', 'ArrowUp'), '2026-10-27');
  assert.equal(arrowTarget('2026-11-03', 'Enter'), null);
});

test('today is the team time zone’s date', () => {
  const late = new Date(Date.UTC(2026, 10, 23, 17, 30)); // 01:30 on the 24th in Beijing
  assert.equal(todayIn('Asia/Shanghai', late), '2026-11-24');
  assert.equal(todayIn('UTC', late), '2026-11-23');
});
