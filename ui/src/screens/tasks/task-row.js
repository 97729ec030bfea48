// One task as a row (Today, the task list, an interaction's to-dos): a complete button, the
// title, due time (overdue highlighted), owner and customer, a snooze menu (in 1 h, tomorrow
// 09:00, next Monday) and, for done or cancelled tasks, reopen.
import '../interactions/interactions.css';
import { h } from '../../dom.js';
import { t, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { toast, toastError } from '../../components/toast.js';
import { snoozeChoices } from '../../logic/interactions.js';

let openMenu = null;

function closeMenu() {
  openMenu?.remove();
  openMenu = null;
  document.removeEventListener('mousedown', outside, true);
}

function outside(e) {
  if (openMenu && !openMenu.contains(e.target)) closeMenu();
}

/** The snooze menu under `anchor`; `onPick(untilDate)`. */
function snoozeMenu(anchor, onPick) {
  closeMenu();
  const items = snoozeChoices(new Date()).map((c) =>
    h('button', { type: 'button', class: 'menu-item', role: 'menuitem', 'data-testid': `snooze-${c.id}`, onclick: () => { closeMenu(); onPick(c.until); } },
      h('span', {}, t(c.key)), h('span', { class: 'muted small' }, formatDateTime(c.until))),
  );
  const menu = h('div', { class: 'menu ix-menu', role: 'menu', 'data-testid': 'snooze-menu', onkeydown: (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      closeMenu();
      anchor.focus();
    }
  } }, items);
  anchor.parentElement.appendChild(menu);
  openMenu = menu;
  items[0].focus();
  setTimeout(() => document.addEventListener('mousedown', outside, true), 0);
}

/**
 * A task row. `onChange(task)` runs after a change (complete, snooze, reopen) so the list can
 * reload; `showOwner` adds the owner's name (team lists); `showSource: false` leaves out the
 * customer and where it came from (an interaction's own to-dos).
 */
export function taskRow(task, { onChange, showOwner = false, canAct = true, showSource = true } = {}) {
  const open = task.status === 'open';
  const act = async (fn, msgKey) => {
    try {
      const next = await fn();
      toast(t(msgKey, { title: task.title }), { kind: 'success' });
      onChange?.(next);
    } catch (err) {
      toastError(err);
    }
  };
  const complete = open && canAct
    ? h('button', { type: 'button', class: 'ix-check-btn', 'data-testid': 'task-complete', title: t('tasks.complete'), 'aria-label': t('tasks.complete_named', { title: task.title }), onclick: (e) => {
        e.currentTarget.disabled = true;
        act(() => api.taskComplete(task.id, ''), 'tasks.completed');
      } }, '✓')
    : h('span', { class: ['ix-check-btn', 'is-done'], 'aria-hidden': 'true' }, task.status === 'done' ? '✓' : '–');
  const snoozeBtn = open && canAct
    ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'task-snooze', 'aria-haspopup': 'menu', onclick: (e) => snoozeMenu(e.currentTarget, (until) => act(() => api.taskSnooze(task.id, until.toISOString()), 'tasks.snoozed')) }, t('tasks.snooze'))
    : null;
  const reopenBtn = !open && canAct
    ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'task-reopen', onclick: () => act(() => api.taskReopen(task.id), 'tasks.reopened') }, t('tasks.reopen'))
    : null;
  const cancelBtn = open && canAct
    ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'task-drop', onclick: () => act(() => api.taskCancel(task.id, ''), 'tasks.cancelled') }, t('tasks.cancel'))
    : null;
  const customer = showSource && task.customer_id != null
    ? h('a', { class: 'link', href: buildHash({ page: 'customers', tab: String(task.customer_id) }), 'data-testid': 'task-customer' }, task.customer_name ?? `#${task.customer_id}`)
    : null;
  const source = !showSource ? null : task.source_kind === 'feedback' && task.source_id != null
    ? h('a', { class: 'link', href: buildHash({ page: 'feedback', tab: String(task.source_id) }), 'data-testid': 'task-source' }, t('tasks.source.feedback'))
    : task.source_kind !== 'manual' ? h('span', { class: 'muted' }, t(`tasks.source.${task.source_kind}`)) : null;
  return h(
    'li',
    { class: ['ix-task', task.overdue ? 'is-overdue' : null, task.status !== 'open' ? 'is-closed' : null], 'data-testid': 'task-row', dataset: { title: task.title, id: task.id, status: task.status, overdue: task.overdue ? 'true' : 'false' } },
    complete,
    h('div', { class: 'ix-task-main' },
      h('div', { class: 'ix-task-title' }, task.title),
      h('div', { class: 'ix-task-meta muted small' },
        h('span', { class: task.overdue ? 'ix-overdue' : null, 'data-testid': 'task-due' }, task.overdue ? t('tasks.overdue_since', { when: formatDateTime(task.due_at) }) : t('tasks.due', { when: formatDateTime(task.due_at) })),
        task.snoozed && task.snoozed_until ? h('span', {}, t('tasks.snoozed_until', { when: formatDateTime(task.snoozed_until) })) : null,
        showOwner ? h('span', {}, task.owner_name) : null,
        customer,
        source,
        task.status !== 'open' ? h('span', {}, t(`tasks.status.${task.status}`)) : null,
      ),
    ),
    h('div', { class: 'ix-task-actions' }, snoozeBtn, cancelBtn, reopenBtn),
  );
}
