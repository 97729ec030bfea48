// Feedback screen logic: SLA badge wording and tone, drag targets, steps per status, and that
// every key the feedback screens build at run time exists in both locales.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogs } from '../test-support/helpers.js';
import { slaBadge, roughDuration, transitionFor, stepsFor, moveTargets, selectionState, stageKey, SLA_BADGE_KEYS, STATUSES, PRIORITIES, CHANNELS, STAGES, COMPENSATIONS } from '../src/screens/feedback/sla.js';
import { translate } from '../src/logic/i18n-core.js';

const item = (sla, status = 'in_progress') => ({ status, sla: { paused: false, stage: 'on_track', resolution_met: null, ...sla } });

test('time left and overdue in words', () => {
  assert.deepEqual(roughDuration(3 * 3600), { unit: 'hours', n: 3 });
  assert.deepEqual(roughDuration(-2 * 86400), { unit: 'days', n: 2 });
  assert.deepEqual(roughDuration(20), { unit: 'minutes', n: 1 });
  assert.deepEqual(roughDuration(3599), { unit: 'hours', n: 1 });
  assert.equal(stageKey('escalated_level1'), 'feedback.stage.escalated_level_1');
  assert.equal(stageKey('escalated_level_2'), 'feedback.stage.escalated_level_2');
  const left = slaBadge(item({ time_left_secs: 3 * 3600, stage: 'due_soon' }));
  assert.equal(translate(catalogs, 'zh-CN', left.key, left.params), '剩余 3 小时');
  assert.equal(left.tone, 'warn');
  const over = slaBadge(item({ time_left_secs: -2 * 86400, stage: 'escalated_level_1' }));
  assert.equal(translate(catalogs, 'zh-CN', over.key, over.params), '超期 2 天');
  assert.equal(translate(catalogs, 'en', over.key, over.params), '2 days overdue');
  assert.equal(over.tone, 'danger');
  const one = slaBadge(item({ time_left_secs: 3600 }));
  assert.equal(translate(catalogs, 'en', one.key, one.params), '1 hour left');
  assert.equal(slaBadge(item({ paused: true, time_left_secs: 5 }, 'awaiting_customer')).key, 'feedback.sla.paused');
  assert.equal(slaBadge(item({ resolution_met: false }, 'closed')).tone, 'danger');
});

test('drags map to the same steps as the buttons', () => {
  assert.equal(transitionFor('new', 'in_progress'), 'accept');
  assert.equal(transitionFor('in_progress', 'awaiting_customer'), 'request_confirmation');
  assert.equal(transitionFor('awaiting_customer', 'closed'), 'close');
  assert.equal(transitionFor('closed', 'in_progress'), 'reopen');
  assert.equal(transitionFor('new', 'closed'), null);
  for (const s of STATUSES) for (const step of stepsFor(s)) assert.ok(['accept', 'request_confirmation', 'close', 'reopen', 'mark_duplicate'].includes(step));
});

test('the keyboard move menu offers exactly the columns a drag may go to', () => {
  assert.deepEqual(moveTargets('new'), ['in_progress']);
  assert.deepEqual(moveTargets('in_progress'), ['awaiting_customer']);
  assert.deepEqual(moveTargets('awaiting_customer'), ['in_progress', 'closed']);
  assert.deepEqual(moveTargets('closed'), ['in_progress']);
  assert.deepEqual(moveTargets('duplicate'), []);
  for (const from of STATUSES) for (const to of moveTargets(from)) assert.ok(transitionFor(from, to));
});

test('select-all box reflects the page selection', () => {
  assert.equal(selectionState(new Set(), [1, 2]), 'none');
  assert.equal(selectionState(new Set([2, 9]), [1, 2]), 'some');
  assert.equal(selectionState(new Set([1, 2, 9]), [1, 2]), 'all');
  assert.equal(selectionState(new Set([9]), []), 'none');
});

test('run-time feedback keys exist in both locales', () => {
  const keys = [
    ...SLA_BADGE_KEYS,
    ...STATUSES.map((s) => `feedback.status.${s}`),
    ...PRIORITIES.flatMap((p) => [`feedback.priority.${p}`, `feedback.priority_hint.${p}`]),
    ...CHANNELS.map((c) => `feedback.channel.${c}`),
    ...STAGES.map(stageKey), stageKey('escalated_level_1'),
    ...COMPENSATIONS.map((c) => `feedback.compensation.${c}`),
    ...['accept', 'request_confirmation', 'close', 'reopen', 'mark_duplicate'].map((s) => `feedback.step.${s}`),
    ...['created', 'status', 'responded', 'note', 'assigned', 'departments', 'details', 'delay_explained', 'satisfaction', 'merged'].map((k) => `feedback.event.${k}`),
    ...['minutes', 'hours', 'days'].map((u) => `feedback.unit.${u}`),
    ...['calendar', 'business'].map((b) => `feedback.basis.${b}`),
    ...['manual', 'round_robin'].map((m) => `feedback.assignment.${m}`),
  ];
  for (const k of keys) for (const [loc, cat] of Object.entries(catalogs)) assert.ok(k in cat, `${loc} lacks ${k}`);
});

test('every feedback and sla error code has a translation', () => {
  const codes = [
    'feedback.assignee_invalid', 'feedback.category_code_invalid', 'feedback.category_code_taken', 'feedback.category_in_use',
    'feedback.category_not_leaf', 'feedback.category_parent_invalid', 'feedback.category_retired', 'feedback.channel_invalid',
    'feedback.compensation_invalid', 'feedback.contact_invalid', 'feedback.customer_required', 'feedback.delay_explanation_required',
    'feedback.department_unknown', 'feedback.duplicate_target_invalid', 'feedback.expected_date_beyond_limit', 'feedback.expected_date_past',
    'feedback.expected_date_required', 'feedback.item_closed', 'feedback.new_date_past', 'feedback.no_lead_department', 'feedback.no_members',
    'feedback.not_closed', 'feedback.not_late', 'feedback.priority_invalid', 'feedback.root_cause_required', 'feedback.score_invalid',
    'feedback.selection_empty', 'feedback.solution_required', 'feedback.status_invalid', 'feedback.transition_invalid', 'sla.policy_corrupt',
    'sla.resolution_before_response', 'sla.target_invalid', 'task.owner_invalid',
  ];
  for (const c of codes) for (const [loc, cat] of Object.entries(catalogs)) assert.ok(`error.${c}` in cat, `${loc} lacks error.${c}`);
});
