// The dialogs of the feedback workflow: accept (expected date), request customer confirmation
// (solution), close (root cause), reopen, record a response, explain a delay, mark duplicate,
// satisfaction, assign, departments and the complaint details. Each resolves with what the core
// returned, null when cancelled, or DELAY when the core asked for a delay explanation first.
import { h, options } from '../../dom.js';
import { t, formatDate, formatMoney } from '../../i18n.js';
import * as api from '../../api.js';
import { ApiError } from '../../api.js';
import { field, input, select, checkbox } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { actionDialog, textarea, isoToday, isoDay } from './common.js';
import { COMPENSATIONS } from './sla.js';

/** Returned when the step was refused for want of a delay explanation. */
export const DELAY = Symbol('delay');

function step(item, transition, extra = {}) {
  return api.feedbackTransition(item.id, { transition, comment: '', ...extra });
}

/** The item's current investigation fields, as update_details takes them. */
export function detailsOf(item, changes = {}) {
  return {
    solution: item.solution, root_cause: item.root_cause, investigation_result: item.investigation_result, impact: item.impact,
    customer_expectation: item.customer_expectation, occurred_at: item.occurred_at, responsible_department_id: item.responsible_department_id,
    compensation_kind: item.compensation_kind, compensation_amount: item.compensation_amount, ...changes,
  };
}

/** actionDialog for a workflow step: a delay refusal closes it and resolves DELAY. */
function stepDialog(opts) {
  let delay = false;
  return actionDialog({
    ...opts,
    onError: (err) => {
      if (err?.code !== 'feedback.delay_explanation_required') return false;
      delay = true;
      return true;
    },
  }).then((r) => (delay ? DELAY : r));
}

function commentField(prefix) {
  const c = input({ testid: `${prefix}-comment`, maxlength: 2000 });
  return [c, field({ name: 'comment', label: t('feedback.comment'), control: c })];
}

/** 受理: expected resolution date within the resolution limit. */
export function acceptDialog(item) {
  const limit = isoDay(item.sla.resolution_due);
  const date = input({ testid: 'accept-date', type: 'date', min: isoToday(), max: limit, value: '' });
  const [comment, commentEl] = commentField('accept');
  return stepDialog({
    title: t('feedback.step.accept'), testid: 'accept-dialog', prefix: 'accept', submitTestid: 'accept-submit', submitLabel: t('feedback.step.accept'),
    fields: [
      field({ name: 'expected_resolution_date', label: t('feedback.expected_date'), control: date, required: true, hint: t('feedback.accept_hint', { date: formatDate(limit) }) }),
      commentEl,
    ],
    action: () => step(item, 'accept', { expected_resolution_date: date.value || null, comment: comment.value }),
  });
}

/** 待客户确认: the solution must be recorded (saved here when changed). */
export function awaitDialog(item) {
  const solution = textarea({ testid: 'await-solution', value: item.solution, rows: 4 });
  const [comment, commentEl] = commentField('await');
  return stepDialog({
    title: t('feedback.step.request_confirmation'), testid: 'await-dialog', prefix: 'await', submitTestid: 'await-submit', submitLabel: t('feedback.step.request_confirmation'),
    fields: [field({ name: 'solution', label: t('feedback.solution'), control: solution, required: true, hint: t('feedback.await_hint') }), commentEl],
    action: async () => {
      if (solution.value !== item.solution) {
        if (!solution.value.trim()) throw new ApiError({ code: 'feedback.solution_required', field: 'solution' });
        await api.feedbackUpdateDetails(item.id, detailsOf(item, { solution: solution.value }));
      }
      return step(item, 'request_confirmation', { comment: comment.value });
    },
  });
}

/** 闭环: complaints need a root cause (saved here when changed). */
export function closeDialog(item, refs) {
  const complaint = refs.isComplaint(item.category_id);
  const root = textarea({ testid: 'close-root-cause', value: item.root_cause, rows: 3 });
  const [comment, commentEl] = commentField('close');
  return stepDialog({
    title: t('feedback.step.close'), testid: 'close-dialog', prefix: 'close', submitTestid: 'close-submit', submitLabel: t('feedback.step.close'),
    fields: [
      field({ name: 'root_cause', label: t('feedback.root_cause'), control: root, required: complaint, hint: t('feedback.close_hint') }),
      commentEl,
    ],
    action: async () => {
      if (root.value !== item.root_cause) await api.feedbackUpdateDetails(item.id, detailsOf(item, { root_cause: root.value }));
      const out = await step(item, 'close', { comment: comment.value });
      if (out.follow_ups?.length) toast(t('feedback.callback_created'), { kind: 'success' });
      return out;
    },
  });
}

/** 重新打开. */
export function reopenDialog(item) {
  const [comment, commentEl] = commentField('reopen');
  return stepDialog({
    title: t('feedback.step.reopen'), testid: 'reopen-dialog', prefix: 'reopen', submitTestid: 'reopen-submit', submitLabel: t('feedback.step.reopen'),
    fields: [commentEl],
    action: () => step(item, 'reopen', { comment: comment.value }),
  });
}

/** 标记重复: merge into another item (picked from the newest visible ones). */
export async function duplicateDialog(item) {
  const others = (await api.feedbackList({ limit: 500 })).filter((x) => x.id !== item.id && x.status !== 'duplicate');
  const target = select({ testid: 'duplicate-target', choices: [['', t('feedback.choose')], ...others.map((x) => [x.id, `${x.number} · ${x.description.slice(0, 40)}`])], value: '' });
  const [comment, commentEl] = commentField('duplicate');
  return stepDialog({
    title: t('feedback.step.mark_duplicate'), testid: 'duplicate-dialog', prefix: 'duplicate', submitTestid: 'duplicate-submit', submitLabel: t('feedback.step.mark_duplicate'),
    fields: [field({ name: 'duplicate_of_id', label: t('feedback.duplicate_of'), control: target, required: true, hint: t('feedback.duplicate_hint') }), commentEl],
    action: () => {
      if (!target.value) throw new ApiError({ code: 'feedback.duplicate_target_invalid', field: 'duplicate_of_id' });
      return api.feedbackMarkDuplicate(item.id, Number(target.value), comment.value);
    },
  });
}

/** 记录回复: a customer-facing contact (stops the response clock) or an internal note. */
export function responseDialog(item) {
  const text = textarea({ testid: 'response-text', rows: 4 });
  const facing = checkbox({ testid: 'response-customer-facing', name: 'customer_facing', label: t('feedback.customer_facing'), checked: true, hint: t('feedback.customer_facing_hint') });
  return stepDialog({
    title: t('feedback.respond'), testid: 'response-dialog', prefix: 'response', submitTestid: 'response-submit', submitLabel: t('common.save'),
    fields: [field({ name: 'comment', label: t('feedback.response_text'), control: text, required: true }), facing],
    action: () => api.feedbackRecordResponse(item.id, { customer_facing: facing.querySelector('input').checked, comment: text.value }),
  });
}

/** 延迟说明: reason and new completion date. */
export function delayDialog(item) {
  const reason = textarea({ testid: 'delay-reason', rows: 3 });
  const date = input({ testid: 'delay-date', type: 'date', min: isoToday(), value: '' });
  return actionDialog({
    title: t('feedback.explain_delay'), testid: 'delay-dialog', prefix: 'delay', submitTestid: 'delay-submit', submitLabel: t('common.save'),
    fields: [
      h('p', { class: 'notice field-wide' }, t('feedback.delay_intro', { date: item.expected_resolution_date ? formatDate(item.expected_resolution_date) : '—' })),
      field({ name: 'reason', label: t('feedback.delay_reason'), control: reason, required: true }),
      field({ name: 'new_date', label: t('feedback.delay_new_date'), control: date, required: true }),
    ],
    action: () => {
      if (!date.value) throw new ApiError({ code: 'field.required', field: 'new_date' });
      return api.feedbackExplainDelay(item.id, { reason: reason.value, new_date: date.value });
    },
  });
}

/** 满意度回访: score 1–5 and satisfied or not (not satisfied reopens). */
export function satisfactionDialog(item) {
  const score = select({ testid: 'satisfaction-score', choices: [5, 4, 3, 2, 1].map((n) => [n, t('feedback.score_n', { n })]), value: 5 });
  const satisfied = checkbox({ testid: 'satisfaction-satisfied', name: 'satisfied', label: t('feedback.satisfied'), checked: true, hint: t('feedback.satisfied_hint') });
  const [comment, commentEl] = commentField('satisfaction');
  return actionDialog({
    title: t('feedback.satisfaction'), testid: 'satisfaction-dialog', prefix: 'satisfaction', submitTestid: 'satisfaction-submit', submitLabel: t('common.save'),
    fields: [field({ name: 'score', label: t('feedback.score'), control: score, required: true }), satisfied, commentEl],
    action: () => api.feedbackRecordSatisfaction(item.id, { score: Number(score.value), satisfied: satisfied.querySelector('input').checked, comment: comment.value }),
  });
}

/** 分派: a person, or the next in turn in the lead department. */
export function assignDialog(item, refs) {
  const inDepts = new Set([item.lead_department_id, ...item.collaborator_department_ids].filter((x) => x != null));
  const people = refs.users.filter((u) => u.active && u.role !== 'viewer').sort((a, b) => Number(inDepts.has(b.department_id)) - Number(inDepts.has(a.department_id)));
  const who = select({
    testid: 'assign-user',
    choices: [['round_robin', t('feedback.assignment.round_robin')], ...people.map((u) => [u.id, u.department_id ? `${u.display_name} · ${refs.deptName(u.department_id)}` : u.display_name])],
    value: item.assignee_user_id ?? 'round_robin',
  });
  return actionDialog({
    title: t('feedback.assign'), testid: 'assign-dialog', prefix: 'assign', submitTestid: 'assign-submit', submitLabel: t('feedback.assign'),
    fields: [field({ name: 'user_id', label: t('feedback.assignee'), control: who, required: true })],
    action: () => api.feedbackAssign(item.id, who.value === 'round_robin' ? { mode: 'round_robin' } : { mode: 'user', user_id: Number(who.value) }),
  });
}

/** 牵头部门 + 协办部门. */
export function departmentsDialog(item, refs) {
  const active = refs.departments.filter((d) => !d.archived);
  const lead = select({ testid: 'departments-lead', choices: [['', t('feedback.choose')], ...active.map((d) => [d.id, d.name])], value: item.lead_department_id ?? '' });
  const boxes = active.map((d) => checkbox({ testid: 'departments-collaborator', name: `collab-${d.id}`, label: d.name, checked: item.collaborator_department_ids.includes(d.id), 'data-id': d.id }));
  return actionDialog({
    title: t('feedback.set_departments'), testid: 'departments-dialog', prefix: 'departments', submitTestid: 'departments-submit', submitLabel: t('common.save'),
    fields: [
      field({ name: 'lead', label: t('feedback.lead_department'), control: lead, required: true }),
      h('fieldset', { class: 'fieldset fb-checks' }, h('legend', {}, t('feedback.collaborators')), boxes),
    ],
    action: () => {
      if (!lead.value) throw new ApiError({ code: 'field.required', field: 'lead' });
      const leadId = Number(lead.value);
      const collab = boxes.map((b) => b.querySelector('input')).filter((b) => b.checked).map((b) => Number(b.dataset.id)).filter((id) => id !== leadId);
      return api.feedbackSetDepartments(item.id, leadId, collab);
    },
  });
}

function localDateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  const pad = (n) => String(n).padStart(2, '0');
  return `${isoDay(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Parse "1234.56" (yuan) into minor units, or throw money.invalid. */
export function parseAmount(text) {
  const s = String(text ?? '').trim().replace(/[,，¥\s]/g, '');
  if (s === '') return 0;
  if (!/^\d+(\.\d{1,2})?$/.test(s)) throw new ApiError({ code: 'money.invalid', field: 'compensation_amount' });
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** Complaint fields of table 3, root cause, solution and compensation. */
export function detailsDialog(item, refs) {
  const occurred = input({ testid: 'details-occurred-at', type: 'datetime-local', value: localDateTime(item.occurred_at) });
  const impact = textarea({ testid: 'details-impact', value: item.impact, rows: 2 });
  const expectation = textarea({ testid: 'details-expectation', value: item.customer_expectation, rows: 2 });
  const investigation = textarea({ testid: 'details-investigation', value: item.investigation_result, rows: 2 });
  const dept = select({ testid: 'details-responsible-department', choices: [['', '—'], ...refs.departments.filter((d) => !d.archived || d.id === item.responsible_department_id).map((d) => [d.id, d.name])], value: item.responsible_department_id ?? '' });
  const root = textarea({ testid: 'details-root-cause', value: item.root_cause, rows: 2 });
  const solution = textarea({ testid: 'details-solution', value: item.solution, rows: 3 });
  const kind = h('select', { class: 'input select', 'data-testid': 'details-compensation-kind' }, options([['', t('feedback.compensation.none')], ...COMPENSATIONS.map((c) => [c, t(`feedback.compensation.${c}`)])], item.compensation_kind ?? ''));
  const amount = input({ testid: 'details-compensation-amount', inputmode: 'decimal', value: item.compensation_amount ? (item.compensation_amount / 100).toFixed(2) : '' });
  return actionDialog({
    title: t('feedback.edit_details'), testid: 'details-dialog', prefix: 'details', submitTestid: 'details-submit', submitLabel: t('common.save'), wide: true,
    fields: [
      field({ name: 'occurred_at', label: t('feedback.occurred_at'), control: occurred }),
      field({ name: 'responsible_department_id', label: t('feedback.responsible_department'), control: dept }),
      field({ name: 'impact', label: t('feedback.impact'), control: impact, className: 'field-wide' }),
      field({ name: 'customer_expectation', label: t('feedback.customer_expectation'), control: expectation, className: 'field-wide' }),
      field({ name: 'investigation_result', label: t('feedback.investigation_result'), control: investigation, className: 'field-wide' }),
      field({ name: 'root_cause', label: t('feedback.root_cause'), control: root, className: 'field-wide' }),
      field({ name: 'solution', label: t('feedback.solution'), control: solution, className: 'field-wide' }),
      field({ name: 'compensation_kind', label: t('feedback.compensation_kind'), control: kind }),
      field({ name: 'compensation_amount', label: t('feedback.compensation_amount'), control: amount, hint: item.compensation_amount ? formatMoney(item.compensation_amount) : t('feedback.amount_hint') }),
    ],
    action: () =>
      api.feedbackUpdateDetails(item.id, {
        occurred_at: occurred.value ? new Date(occurred.value).toISOString() : null,
        impact: impact.value, customer_expectation: expectation.value, investigation_result: investigation.value,
        responsible_department_id: dept.value ? Number(dept.value) : null, root_cause: root.value, solution: solution.value,
        compensation_kind: kind.value || null, compensation_amount: parseAmount(amount.value),
      }),
  });
}

/** Open the dialog for a workflow step by name; a delay refusal opens the delay dialog instead. */
export async function runStep(name, item, refs) {
  const open = { accept: acceptDialog, request_confirmation: awaitDialog, close: closeDialog, reopen: reopenDialog, mark_duplicate: duplicateDialog }[name];
  if (!open) return null;
  return orExplainDelay(open(item, refs), item);
}

/**
 * Await a dialog's result; when the core refused for want of a delay explanation (DELAY), say
 * so and open the delay dialog, resolving null.
 */
export async function orExplainDelay(dialog, item) {
  const r = await dialog;
  if (r !== DELAY) return r;
  toast(t('error.feedback.delay_explanation_required'), { kind: 'error' });
  await delayDialog(item);
  return null;
}
