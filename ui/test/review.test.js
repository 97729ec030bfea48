// Quarter-end review screen logic and the keys the review and merge screens build at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogs } from '../test-support/helpers.js';
import { OUTCOMES, reviewLabel, reviewStatus, percent, nextOpenRow, confirmationProblem } from '../src/logic/review.js';

test('labels, status and percentages', () => {
  const r = { year: 2026, quarter: 4, closes_at: 1000, closed_at: null };
  assert.equal(reviewLabel(r), '2026 Q4');
  assert.equal(reviewStatus(r, 999), 'open');
  assert.equal(reviewStatus(r, 1000), 'closed');
  assert.equal(reviewStatus({ ...r, closed_at: 500 }, 10), 'closed');
  assert.equal(percent(1, 3), 33);
  assert.equal(percent(2, 2), 100);
  assert.equal(percent(0, 0), 0);
});

test('the keyboard moves to the next unconfirmed row', () => {
  const rows = [{ outcome: null }, { outcome: 'active' }, { outcome: null }, { outcome: null }];
  assert.equal(nextOpenRow(rows, 0), 2);
  assert.equal(nextOpenRow(rows, 2), 3);
  assert.equal(nextOpenRow(rows, 3), 0, 'wraps to an earlier open row');
  assert.equal(nextOpenRow([{ outcome: 'active' }, { outcome: 'renewed' }], 0), -1);
});

test('a confirmation is complete before it is sent', () => {
  assert.equal(confirmationProblem({ outcome: 'active', note: '' }, 'signed'), null);
  assert.equal(confirmationProblem({ outcome: 'churned', note: ' ' }, 'signed').field, 'note');
  assert.equal(confirmationProblem({ outcome: 'churned', note: '转向竞品' }, 'signed'), null);
  assert.equal(confirmationProblem({ outcome: 'stage_change', note: 'x' }, 'signed').key, 'error.review.stage_required');
  assert.equal(confirmationProblem({ outcome: 'stage_change', newStage: 'signed', note: 'x' }, 'signed').key, 'error.review.stage_unchanged');
  assert.equal(confirmationProblem({ outcome: 'stage_change', newStage: 'strategic', note: '' }, 'signed').field, 'note');
  assert.equal(confirmationProblem({ outcome: 'bogus' }, 'signed').field, 'outcome');
});

test('every key the review and merge screens build exists in both locales', () => {
  const keys = [
    ...OUTCOMES.map((o) => `review.outcome.${o}`),
    ...['error.review.stage_required', 'error.review.stage_unchanged', 'error.review.note_required', 'error.review.outcome_required', 'error.merge.pick_first', 'error.merge.confirm_mismatch',
      'error.review.closed', 'error.review.already_confirmed', 'notif.kind.review', 'palette.quarter_review', 'customer.field.review', 'merge.dup_title', 'merge.open'],
    ...['contacts', 'tags', 'change_requests', 'history', 'review_items', 'interactions', 'feedback_items', 'tasks', 'survey_responses'].map((m) => `merge.moves.${m}`),
  ];
  for (const [locale, cat] of Object.entries(catalogs)) {
    for (const k of keys) assert.ok(k in cat, `${locale}: ${k}`);
  }
});

test('the review has its own route under Customers', async () => {
  const { parseHash, buildHash } = await import('../src/logic/router-core.js');
  assert.deepEqual(parseHash('#/customers/review'), { page: 'customers', tab: 'review' });
  assert.equal(buildHash({ page: 'customers', tab: 'review' }), '#/customers/review');
  assert.deepEqual(parseHash('#/customers/reviews'), { page: 'customers', tab: null });
});

test('a review confirmation reads well in the history and its notice leads to the review', async () => {
  const { valueText } = await import('../src/screens/customers/model.js');
  const { routeForItem } = await import('../src/logic/notification-route.js');
  const fmt = { stage: (s) => `<${s}>`, outcome: (o) => `[${o}]`, dash: '—' };
  assert.equal(valueText('review', { year: 2026, quarter: 4, outcome: 'churned', new_stage: 'churned', note: '转向竞品' }, fmt), '2026 Q4 · [churned] · <churned> · 转向竞品');
  assert.equal(valueText('review', { year: 2027, quarter: 1, outcome: 'active', new_stage: null, note: '' }, fmt), '2027 Q1 · [active]');
  assert.equal(routeForItem('review', 3), '#/customers/review');
});
