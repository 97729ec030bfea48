// Pure SLA wording for badges: how much time is left or how long overdue, in words of the current
// language ("剩余 3 小时" / "超期 2 天"), and the tone (ok / warn / danger / muted). No DOM here.

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** Split a duration in seconds into the unit a person would say: minutes, hours or days. */
export function roughDuration(secs) {
  const s = Math.abs(Math.trunc(Number(secs) || 0));
  if (Math.round(s / MINUTE) < 60) return { unit: 'minutes', n: Math.max(1, Math.round(s / MINUTE)) };
  if (Math.round(s / HOUR) < 48) return { unit: 'hours', n: Math.round(s / HOUR) };
  return { unit: 'days', n: Math.round(s / DAY) };
}

/** The tone of a stage: on_track → ok, due_soon → warn, breached and escalated → danger. */
export function stageTone(stage) {
  if (stage === 'on_track') return 'ok';
  if (stage === 'due_soon') return 'warn';
  return 'danger';
}

/**
 * Badge text key and params for an item: {key, params, tone}. Closed and duplicate items say
 * whether the limit was met; paused ones say so; open ones count down (or up, once overdue).
 */
export function slaBadge(item) {
  const sla = item?.sla;
  if (!sla) return { key: 'feedback.sla.none', params: {}, tone: 'muted' };
  if (item.status === 'duplicate') return { key: 'feedback.sla.stopped', params: {}, tone: 'muted' };
  if (item.status === 'closed') {
    return sla.resolution_met === false
      ? { key: 'feedback.sla.closed_late', params: {}, tone: 'danger' }
      : { key: 'feedback.sla.closed_on_time', params: {}, tone: 'ok' };
  }
  if (sla.paused) return { key: 'feedback.sla.paused', params: {}, tone: 'muted' };
  const left = Number(sla.time_left_secs) || 0;
  const { unit, n } = roughDuration(left);
  const one = n === 1 ? '_one' : '';
  if (left < 0) return { key: `feedback.sla.over_${unit}${one}`, params: { n }, tone: 'danger' };
  return { key: `feedback.sla.left_${unit}${one}`, params: { n }, tone: stageTone(sla.stage) };
}

/** Every key slaBadge can return (the locale test checks them). */
export const SLA_BADGE_KEYS = [
  'feedback.sla.none', 'feedback.sla.stopped', 'feedback.sla.closed_late', 'feedback.sla.closed_on_time', 'feedback.sla.paused',
  ...['over', 'left'].flatMap((w) => ['minutes', 'hours', 'days'].flatMap((u) => [`feedback.sla.${w}_${u}`, `feedback.sla.${w}_${u}_one`])),
];

/** Statuses in workflow order (crates/core feedback::Status). */
export const STATUSES = ['new', 'in_progress', 'awaiting_customer', 'closed', 'duplicate'];
/** Priorities, most urgent first. */
export const PRIORITIES = ['urgent', 'important', 'normal'];
/** Intake channels in picker order. */
export const CHANNELS = ['phone_hotline', 'online_chat', 'email', 'social_media', 'survey', 'callback', 'in_person', 'other'];
/** SLA stages in order of severity, as the core's JSON spells them. */
export const STAGES = ['on_track', 'due_soon', 'breached', 'escalated_level_1', 'escalated_level_2'];

/** The locale key of a stage, whichever spelling the core used (escalated_level1 or _level_1). */
export function stageKey(stage) {
  return `feedback.stage.${String(stage).replace(/level_?(\d)$/, 'level_$1')}`;
}
/** Compensation kinds (table 3). */
export const COMPENSATIONS = ['refund', 'exchange', 'service_extension', 'other'];
/** Kanban columns. */
export const BOARD_STATUSES = ['new', 'in_progress', 'awaiting_customer', 'closed'];

/**
 * The workflow step a drag from `from` to `to` means, or null when no single step does
 * (crates/core feedback::Transition::target).
 */
export function transitionFor(from, to) {
  if (from === 'new' && to === 'in_progress') return 'accept';
  if (from === 'in_progress' && to === 'awaiting_customer') return 'request_confirmation';
  if (from === 'awaiting_customer' && to === 'closed') return 'close';
  if ((from === 'awaiting_customer' || from === 'closed') && to === 'in_progress') return 'reopen';
  return null;
}

/** The board columns a card in `from` can move to in one step (the keyboard "move to…" menu). */
export function moveTargets(from) {
  return BOARD_STATUSES.filter((to) => to !== from && transitionFor(from, to));
}

/**
 * The select-all box's state for a page of `pageIds` given the `selected` Set:
 * 'none', 'some' (indeterminate) or 'all'.
 */
export function selectionState(selected, pageIds) {
  const n = pageIds.filter((id) => selected.has(id)).length;
  if (n === 0) return 'none';
  return n === pageIds.length ? 'all' : 'some';
}

/** The steps offered for a status (buttons on the detail page), before role checks. */
export function stepsFor(status) {
  switch (status) {
    case 'new':
      return ['accept', 'mark_duplicate'];
    case 'in_progress':
      return ['request_confirmation', 'mark_duplicate'];
    case 'awaiting_customer':
      return ['close', 'reopen', 'mark_duplicate'];
    case 'closed':
      return ['reopen'];
    default:
      return [];
  }
}
