// The task list (#/interactions/tasks): mine or the team's, by status, overdue only; overdue
// tasks are highlighted; complete, snooze, cancel or reopen in place; "New task" adds one by hand.
import { h, replaceChildren, options } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { ApiError } from '../../api.js';
import { loading, loadFailed, button, field, input, select } from '../../components/form.js';
import { formDialog } from '../../components/form-dialog.js';
import { toast } from '../../components/toast.js';
import { icon } from '../../components/icons.js';
import { fromLocalInput, toLocalInput } from '../../logic/interactions.js';
import { loadRefs, canLog, customerPicker } from '../interactions/common.js';
import { taskRow } from './task-row.js';

const state = { view: 'mine', status: 'open', overdue: false };
const STATUSES = ['open', 'done', 'cancelled'];

/** Create a task by hand; resolves with it or null. */
export async function newTaskDialog(actor) {
  const refs = await loadRefs();
  const title = input({ testid: 'task-title', maxlength: 200 });
  const owner = select({ testid: 'task-owner', choices: refs.owners().map((u) => [u.id, u.display_name]), value: actor.user_id });
  const tomorrow = new Date();
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(18, 0, 0, 0);
  const due = input({ testid: 'task-due', type: 'datetime-local', value: toLocalInput(tomorrow) });
  let customer = null;
  const picker = customerPicker({ testid: 'task-customer', optionTestid: 'task-customer-option', id: 'task-customer', onPick: (c) => { customer = c; } });
  const notes = h('textarea', { class: 'input textarea', 'data-testid': 'task-notes', rows: 3 });
  return formDialog({
    title: t('tasks.new_title'),
    testid: 'task-dialog',
    prefix: 'task',
    fields: [
      field({ name: 'title', label: t('tasks.title'), control: title, required: true }),
      field({ name: 'owner_user_id', label: t('tasks.owner'), control: owner, required: true }),
      field({ name: 'due_at', label: t('tasks.due_at'), control: due, required: true }),
      h('div', { class: 'field', dataset: { field: 'customer_id' } }, h('label', { class: 'field-label', for: 'task-customer' }, t('tasks.customer')), picker.el),
      field({ name: 'notes', label: t('tasks.notes'), control: notes }),
    ],
    action: async () => {
      const dueAt = fromLocalInput(due.value);
      if (!dueAt) throw new ApiError({ code: 'field.required', field: 'due_at' });
      const task = await api.taskCreate({ title: title.value, owner_user_id: Number(owner.value), due_at: dueAt, customer_id: customer?.id ?? null, notes: notes.value });
      toast(t('tasks.created', { title: task.title }), { kind: 'success' });
      return task;
    },
  });
}

export function mountTasks({ actor }) {
  let alive = true;
  const content = h('div', { class: 'ix-content' }, loading());
  const editable = canLog(actor);

  async function reload() {
    try {
      const page = await api.taskList({ view: state.view, status: state.status || null, overdue_only: state.overdue, page: { offset: 0, limit: 200 } });
      if (!alive) return;
      replaceChildren(content, page.items.length
        ? h('div', { class: 'card' }, h('ul', { class: 'ix-tasks', 'data-testid': 'task-list' }, page.items.map((task) => taskRow(task, { showOwner: state.view === 'team', canAct: editable, onChange: reload }))),
          page.total > page.items.length ? h('p', { class: 'muted small' }, t('tasks.more', { shown: page.items.length, total: page.total })) : null)
        : h('section', { class: 'empty-state card', 'data-testid': 'tasks-empty' }, icon('plans', { size: 40 }), h('h2', {}, t('tasks.empty_title')), h('p', {}, t(state.status === 'open' ? 'tasks.empty_body' : 'tasks.empty_filtered_body'))));
    } catch (err) {
      if (alive) replaceChildren(content, loadFailed(err, reload, 'tasks-retry'));
    }
  }

  const viewTabs = h('div', { class: 'ix-seg', role: 'tablist', 'aria-label': t('tasks.views') },
    ['mine', 'team'].map((v) => h('button', { type: 'button', class: 'btn btn-ghost btn-sm', role: 'tab', 'data-testid': `tasks-tab-${v}`, 'aria-selected': state.view === v ? 'true' : 'false', onclick: (e) => {
      state.view = v;
      viewTabs.querySelectorAll('[role="tab"]').forEach((b) => b.setAttribute('aria-selected', b === e.currentTarget ? 'true' : 'false'));
      reload();
    } }, t(`tasks.view.${v}`))));
  const status = h('select', { class: 'input select', 'data-testid': 'tasks-filter-status', 'aria-label': t('tasks.filter.status'), onchange: () => { state.status = status.value; reload(); } },
    options([['', t('tasks.filter.all')], ...STATUSES.map((s) => [s, t(`tasks.status.${s}`)])], state.status));
  const overdue = h('label', { class: 'ix-check' }, h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'tasks-filter-overdue', checked: state.overdue, onchange: (e) => { state.overdue = e.target.checked; reload(); } }), h('span', {}, t('tasks.filter.overdue')));
  const newBtn = editable
    ? button({ testid: 'task-new', kind: 'primary', onclick: async () => { if (await newTaskDialog(actor)) reload(); } }, icon('plus', { size: 16 }), t('tasks.new'))
    : null;
  const el = h('div', { class: 'ix-tasks-page' }, h('div', { class: 'ix-filters' }, viewTabs, status, overdue, h('span', { class: 'topbar-spacer' }), newBtn), content);
  reload();
  return { el, destroy() { alive = false; } };
}
