// One interaction in full (the timeline's expanded entry and the Interactions page's dialog):
// participants, key points, needs, commitments, next step, satisfaction, its to-dos (complete
// or snooze in place) and its attachments; edit it (the log form, filled) and see its history.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { confirm } from '../../components/dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { taskRow } from '../tasks/task-row.js';
import { attachmentsBlock } from './attachments.js';
import { canLog } from './common.js';
import { logInteractionDialog } from './log-dialog.js';
import { interactionHistoryDialog } from './history.js';

function block(label, text, testid) {
  if (!text || !String(text).trim()) return null;
  return h('div', { class: 'ix-block', 'data-testid': testid }, h('h4', {}, label), h('p', { class: 'ix-text' }, text));
}

/**
 * The body of an interaction. `onChange()` runs after a to-do, attachment or deletion changed
 * something the summary shows; `onDeleted()` after deletion; `onEdited(interaction)` after an
 * edit was saved (the caller re-renders the entry).
 */
export function interactionBody(detail, { actor, onChange, onDeleted, onEdited }) {
  const it = detail.interaction;
  const editable = canLog(actor);
  const todos = h('ul', { class: 'ix-tasks', 'data-testid': 'interaction-todos' });
  const renderTodos = (list) => {
    todos.replaceChildren(...(list.length ? list.map((task) => taskRow(task, { showOwner: true, showSource: false, canAct: editable, onChange: refresh })) : [h('li', { class: 'muted small' }, t('interactions.no_todos'))]));
  };
  async function refresh() {
    try {
      const next = await api.interactionGet(it.id);
      renderTodos(next.todos);
      onChange?.(next);
    } catch (err) {
      toastError(err);
    }
  }
  renderTodos(detail.todos);
  const files = attachmentsBlock(it.id, detail.attachments, { canEdit: editable, onChange: () => onChange?.() });
  const people = [...it.contacts.map((c) => c.name), ...it.users.map((u) => u.name)];
  const del = editable
    ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm btn-danger-text', 'data-testid': 'interaction-delete', onclick: async () => {
        const ok = await confirm({ title: t('interactions.delete_title'), message: t('interactions.delete_message', { subject: it.subject }), confirmLabel: t('interactions.delete'), danger: true });
        if (!ok) return;
        try {
          await api.interactionDelete(it.id, it.version);
          toast(t('interactions.deleted'), { kind: 'success' });
          onDeleted?.();
        } catch (err) {
          toastError(err);
        }
      } }, t('interactions.delete'))
    : null;
  const edit = editable
    ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'interaction-edit', onclick: async () => {
        const saved = await logInteractionDialog({ actor, existing: it });
        if (saved) (onEdited ?? onChange)?.(saved);
      } }, t('interactions.edit'))
    : null;
  const historyBtn = h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'interaction-history', onclick: () => interactionHistoryDialog(it) }, t('interactions.history.open'));
  const el = h(
    'div',
    { class: 'ix-body', 'data-testid': 'interaction-body', dataset: { id: it.id } },
    people.length ? h('p', { class: 'muted small' }, t('interactions.participants'), '：', people.join('、')) : null,
    block(t('interactions.key_points'), it.key_points, 'entry-key-points'),
    block(t('interactions.needs'), it.customer_needs, 'entry-needs'),
    block(t('interactions.commitments'), it.commitments, 'entry-commitments'),
    block(t('interactions.next_step'), it.next_step, 'entry-next-step'),
    it.satisfaction ? h('p', { 'data-testid': 'entry-satisfaction' }, t('interactions.satisfaction'), '：', '★'.repeat(it.satisfaction), '☆'.repeat(5 - it.satisfaction)) : null,
    h('div', { class: 'ix-block' }, h('h4', {}, t('interactions.todos')), todos),
    files.el,
    h('div', { class: 'ix-body-foot muted small' }, t('interactions.logged_by', { name: it.created_by_name ?? '—' }), h('span', { class: 'ix-body-actions' }, historyBtn, edit, del)),
  );
  return { el, destroy: files.destroy };
}
