// Unit tests of the Insight dashboard's pure helpers (logic/insight.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  toFilter, pctWithCounts, npsText, hours, seriesByKey, monthWithin, feedbackDrill, customerDrill, stageTierSeries, hasData,
} from '../src/logic/insight.js';

test('filter bar state becomes the core filter; dates only for a custom period', () => {
  assert.deepEqual(toFilter({ preset: 'this_month', from: '2026-01-01', to: '2026-01-31', department: '2', owner: '' }), {
    preset: 'this_month', from: null, to: null, department_id: 2, owner_user_id: null,
  });
  assert.deepEqual(toFilter({ preset: 'custom', from: '2026-01-01', to: '2026-01-31', department: '', owner: '7' }), {
    preset: 'custom', from: '2026-01-01', to: '2026-01-31', department_id: null, owner_user_id: 7,
  });
});

test('percentages always carry their counts', () => {
  assert.equal(pctWithCounts(62.5, 5, 8), '62.5% (5/8)');
  assert.equal(pctWithCounts(100 / 3, 1, 3), '33.3% (1/3)');
  assert.equal(pctWithCounts(null, 0, 0), '— (0)');
  assert.equal(npsText(25, 4), '+25 (n=4)');
  assert.equal(npsText(-10.4, 12), '−10 (n=12)');
  assert.equal(npsText(0, 2), '0 (n=2)');
  assert.equal(npsText(null, 0), '— (n=0)');
  assert.equal(hours(5400), 1.5);
  assert.equal(hours(null), null);
});

test('series per key fill empty months with zeros', () => {
  const rows = [
    { month: '2026-01', key: 'complaint', count: 2 },
    { month: '2026-03', key: 'complaint', count: 1 },
    { month: '2026-03', key: 'inquiry', count: 4 },
    { month: '2026-03', key: 'zzz', count: 1 },
  ];
  assert.deepEqual(seriesByKey(['2026-01', '2026-02', '2026-03'], rows, ['inquiry', 'complaint', 'suggestion']), [
    { key: 'inquiry', data: [0, 0, 4] },
    { key: 'complaint', data: [2, 0, 1] },
    { key: 'zzz', data: [0, 0, 1] },
  ]);
});

test('drill-down filters carry the period, the month and what was clicked', () => {
  const period = { from: '2026-01-15', to: '2026-03-20' };
  assert.deepEqual(monthWithin('2026-02', period), { from: '2026-02-01', to: '2026-02-28' });
  assert.deepEqual(monthWithin('2026-01', period), { from: '2026-01-15', to: '2026-01-31' });
  assert.deepEqual(monthWithin('2026-03', period), { from: '2026-03-01', to: '2026-03-20' });
  const f = feedbackDrill(period, { department: '', owner: '5' }, { month: '2026-03', category: 1 });
  assert.equal(f.category, '1');
  assert.equal(f.assignee, '5');
  assert.deepEqual([f.from, f.to, f.status, f.channel], ['2026-03-01', '2026-03-20', '', '']);
  const g = feedbackDrill(period, { department: '2', owner: '' }, { status: 'open' });
  assert.deepEqual([g.from, g.to, g.status, g.department], ['2026-01-15', '2026-03-20', 'open', '2']);
  assert.equal(feedbackDrill(period, { department: '2', owner: '' }, { department: 3 }).department, '3');
  const c = customerDrill({ department: '', owner: '' }, { stage: 'signed', tier: 'A' });
  assert.deepEqual([c.stage, c.tier, c.tag, c.archived], ['signed', 'A', '', false]);
});

test('stage × tier series and the empty check', () => {
  const rows = [{ stage: 'signed', tier: 'A', count: 2 }, { stage: 'potential', tier: 'C', count: 1 }];
  const s = stageTierSeries(rows, ['potential', 'signed'], ['A', 'B', 'C']);
  assert.deepEqual(s.tiers, [{ tier: 'A', data: [0, 2] }, { tier: 'B', data: [0, 0] }, { tier: 'C', data: [1, 0] }]);
  assert.equal(hasData([0, 0], [[0]]), false);
  assert.equal(hasData([0, 3]), true);
});
