// Interaction and task screen logic: snooze choices, datetime-local round trips, drafts, the
// log payload and the call script's missing-placeholder segments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { snoozeChoices, toLocalInput, fromLocalInput, draftHasContent, toPayload, scriptSegments, draftFromInteraction, historyChanges } from '../src/logic/interactions.js';

test('snooze: in an hour, tomorrow 09:00, next Monday 09:00', () => {
  const wed = new Date(2024, 2, 6, 15, 30); // Wednesday
  const [hour, tomorrow, monday] = snoozeChoices(wed);
  assert.equal(hour.until.getTime() - wed.getTime(), 3600 * 1000);
  assert.equal(toLocalInput(tomorrow.until), '2024-03-07T09:00');
  assert.equal(toLocalInput(monday.until), '2024-03-11T09:00');
  assert.equal(toLocalInput(snoozeChoices(new Date(2024, 2, 4, 8, 0))[2].until), '2024-03-11T09:00', 'on a Monday: the next one');
  assert.equal(toLocalInput(snoozeChoices(new Date(2024, 2, 10, 8, 0))[2].until), '2024-03-11T09:00', 'on a Sunday: tomorrow');
});

test('datetime-local round trip', () => {
  const d = new Date(2024, 2, 1, 10, 5);
  assert.equal(toLocalInput(d), '2024-03-01T10:05');
  assert.equal(new Date(fromLocalInput('2024-03-01T10:05')).getTime(), d.getTime());
  assert.equal(fromLocalInput(''), null);
  assert.equal(fromLocalInput('nonsense'), null);
});

test('drafts and the payload', () => {
  assert.equal(draftHasContent(null), false);
  assert.equal(draftHasContent({ subject: '  ', todos: [{ title: '' }] }), false);
  assert.equal(draftHasContent({ subject: '新增采购需求' }), true);
  assert.equal(draftHasContent({ todos: [{ title: '报价' }] }), true);
  const p = toPayload({
    customer: { id: 7, name: '科技有限公司' }, channel: 'visit', occurred_at: '2024-03-01T10:00', subject: '新增采购需求',
    commitments: '3月5日前提供报价单及样品', satisfaction: '4', contact_ids: ['3'], user_ids: [1],
    todos: [{ title: '提供报价单', owner: '1', due: '2024-03-05T18:00' }, { title: '', owner: '1', due: '' }],
  });
  assert.equal(p.customerId, 7);
  assert.equal(p.input.satisfaction, null, 'satisfaction only for call-backs');
  assert.deepEqual(p.input.contact_ids, [3]);
  assert.equal(p.todos.length, 1);
  assert.equal(p.todos[0].owner_user_id, 1);
  assert.equal(toPayload({ channel: 'callback', satisfaction: '5' }).input.satisfaction, 5);
});

test('script segments mark the missing placeholders', () => {
  assert.deepEqual(scriptSegments('您好，{联系人}，我是张三。{联系人}', ['{联系人}']), [
    { text: '您好，', missing: false }, { text: '{联系人}', missing: true }, { text: '，我是张三。', missing: false }, { text: '{联系人}', missing: true },
  ]);
  assert.deepEqual(scriptSegments('abc', []), [{ text: 'abc', missing: false }]);
});

test('keys the interaction, task and Today screens build at run time exist in both locales', async () => {
  const { catalogs } = await import('../test-support/helpers.js');
  const keys = [
    ...['hour', 'tomorrow', 'monday'].map((x) => `tasks.snooze.${x}`),
    ...['manual', 'interaction', 'feedback', 'plan', 'onboarding', 'care', 'review'].map((x) => `tasks.source.${x}`),
    ...['open', 'done', 'cancelled'].map((x) => `tasks.status.${x}`),
    'tasks.view.mine', 'tasks.view.team', 'tasks.completed', 'tasks.snoozed', 'tasks.reopened', 'tasks.cancelled',
    'tasks.empty_body', 'tasks.empty_filtered_body',
    ...['birthday', 'anniversary', 'holiday'].map((x) => `today.care_kind.${x}`),
    'interactions.timeline_empty', 'interactions.timeline_empty_filtered', 'interactions.empty_title', 'interactions.empty_body',
    'interactions.empty_filtered_title', 'interactions.empty_filtered_body',
    // Every error code of the interaction, task, attachment and template modules, and the UI's own.
    ...['channel_archived', 'channel_code_invalid', 'channel_invalid', 'contact_invalid', 'customer_archived', 'in_future',
      'satisfaction_range', 'user_invalid', 'version_conflict', 'customer_required', 'todo_due_required'].map((x) => `error.interaction.${x}`),
    ...['already_open', 'not_open', 'owner_invalid', 'snooze_not_future', 'source_kind_invalid', 'status_invalid'].map((x) => `error.task.${x}`),
    ...['hash_invalid', 'limit_invalid', 'not_a_file', 'too_large'].map((x) => `error.attachment.${x}`),
    'error.template.contact_invalid', 'error.template.version_conflict', 'error.care.days_invalid',
  ];
  for (const k of keys) for (const [loc, cat] of Object.entries(catalogs)) assert.ok(k in cat, `${loc} lacks ${k}`);
});

test('editing: a stored interaction fills the form and round-trips to the same input', () => {
  const it = {
    id: 7, customer_id: 3, customer_name: '科技有限公司', occurred_at: '2024-03-01T02:00:00Z', channel: 'callback',
    subject: '回访', key_points: 'A', customer_needs: '', commitments: 'B', next_step: '', satisfaction: 4, feedback_id: null,
    contacts: [{ id: 11, name: '王总' }], users: [{ id: 1, name: '我' }, { id: 2, name: '他' }],
  };
  const d = draftFromInteraction(it);
  assert.equal(d.customer.id, 3);
  assert.equal(d.satisfaction, '4');
  assert.deepEqual(d.todos, []);
  const back = toPayload(d);
  assert.equal(back.customerId, 3);
  assert.deepEqual(back.input, {
    occurred_at: '2024-03-01T02:00:00.000Z', channel: 'callback', subject: '回访', key_points: 'A', customer_needs: '',
    commitments: 'B', next_step: '', satisfaction: 4, feedback_id: null, contact_ids: [11], user_ids: [1, 2],
  });
  assert.equal(draftFromInteraction({ ...it, satisfaction: null }).satisfaction, '');
});

test('history entries list only the fields that changed', () => {
  const old = { customer_id: 3, subject: '新增采购需求', key_points: 'A', commitments: '', contact_ids: [1], user_ids: [2], satisfaction: null };
  const changes = historyChanges({ change: 'update', old, new: { ...old, subject: '新增采购需求（更新）', contact_ids: [1, 4] } });
  assert.deepEqual(changes, [
    { field: 'subject', before: '新增采购需求', after: '新增采购需求（更新）' },
    { field: 'contact_ids', before: [1], after: [1, 4] },
  ]);
  assert.deepEqual(historyChanges({ change: 'update', old, new: { ...old } }), []);
  // A creation shows what it set (blank fields left out); a deletion what went away.
  assert.deepEqual(historyChanges({ change: 'create', old: null, new: old }).map((c) => c.field), ['subject', 'key_points', 'contact_ids', 'user_ids']);
  assert.deepEqual(historyChanges({ change: 'delete', old, new: null }).map((c) => [c.field, c.after]), [['subject', null], ['key_points', null], ['contact_ids', null], ['user_ids', null]]);
});

test('keys of the edit, history, Today change requests and call-script settings exist in both locales', async () => {
  const { catalogs } = await import('../test-support/helpers.js');
  const purposes = ['first_contact', 'regular_callback', 'complaint_soothing', 'complaint_result', 'satisfaction_callback', 'holiday_greeting'];
  const keys = [
    ...['create', 'update', 'delete'].map((x) => `interactions.history.change.${x}`),
    ...purposes.map((p) => `script.purpose.${p}`),
    'script.lang.zh-CN', 'script.lang.en', 'today.changes', 'today.changes_empty',
    ...['customer', 'contact', 'position', 'my_name', 'my_phone', 'last_callback_date'].map((x) => `script.ph.${x}`),
  ];
  for (const k of keys) for (const [loc, cat] of Object.entries(catalogs)) assert.ok(k in cat, `${loc} lacks ${k}`);
});
