// The log-interaction dialog (记录互动): channel, date-time, customer (search-as-you-type, or
// fixed when opened from a customer), participants on both sides, subject, key points, needs,
// commitments, next step, to-dos (title, owner, due) and, for call-backs, satisfaction 1–5.
// What is typed is kept as a draft in localStorage until saved, and offered back next time.
// The same form edits a stored interaction (`existing`): then it is filled from the record,
// to-dos are left to the task rows, and saving sends the version it was loaded at (the core
// keeps the previous version in the interaction's history).
import { h } from '../../dom.js';
import { t, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { ApiError } from '../../api.js';
import { openDialog } from '../../components/dialog.js';
import { field, input, select, formErrors, onSubmit, button } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { icon } from '../../components/icons.js';
import { toLocalInput, draftHasContent, toPayload, draftFromInteraction } from '../../logic/interactions.js';
import { loadRefs, customerPicker } from './common.js';

const draftKey = (actor) => `rapport.interaction-draft.${actor.user_id}`;

function readDraft(actor) {
  try {
    const d = JSON.parse(localStorage.getItem(draftKey(actor)) ?? 'null');
    return d && typeof d === 'object' ? d : null;
  } catch {
    return null;
  }
}

function writeDraft(actor, d) {
  try {
    // Only something typed replaces the stored draft; an untouched form leaves the last one be.
    if (draftHasContent(d)) localStorage.setItem(draftKey(actor), JSON.stringify({ ...d, saved_at: new Date().toISOString() }));
  } catch {
    /* storage unavailable: no draft */
  }
}

function dropDraft(actor) {
  try {
    localStorage.removeItem(draftKey(actor));
  } catch {
    /* nothing to drop */
  }
}

/** A new to-do's due time: tomorrow at 18:00. */
function defaultDue() {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  d.setHours(18, 0, 0, 0);
  return toLocalInput(d);
}

function textarea(testid, rows = 3, rest = {}) {
  return h('textarea', { class: 'input textarea', 'data-testid': testid, rows, ...rest });
}

/**
 * Open the dialog. `customer` ({id, name, number?}) fixes the customer; `preset` fills fields
 * (channel, subject, key_points …); `existing` (a stored interaction) opens it for editing.
 * Resolves with the logged or updated interaction, or null.
 */
export async function logInteractionDialog({ actor, customer = null, preset = {}, existing = null } = {}) {
  const refs = await loadRefs();
  const editing = existing != null;
  if (editing) customer = { id: existing.customer_id, name: existing.customer_name };
  const fixed = customer && customer.id != null ? customer : null;
  let picked = fixed;
  let contacts = [];
  let chosenContacts = new Set();

  // Channel and time.
  const live = editing ? refs.channels.filter((c) => !c.archived || c.code === existing.channel) : refs.liveChannels();
  const channel = select({ testid: 'interaction-channel', id: 'ix-channel', choices: live.map((c) => [c.code, refs.channelName(c.code)]), value: preset.channel ?? live[0]?.code ?? '' });
  const occurred = input({ testid: 'interaction-occurred-at', type: 'datetime-local', value: toLocalInput(new Date()) });

  // Customer.
  const contactsBox = h('div', { class: 'ix-checks', 'data-testid': 'interaction-contacts' });
  const renderContacts = () => {
    if (!picked) {
      contactsBox.replaceChildren(h('span', { class: 'muted small' }, t('interactions.pick_customer_first')));
      return;
    }
    contactsBox.replaceChildren(
      ...(contacts.length
        ? contacts.map((c) => {
            const box = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'interaction-contact', dataset: { id: c.id }, checked: chosenContacts.has(c.id), onchange: (e) => {
              if (e.target.checked) chosenContacts.add(c.id);
              else chosenContacts.delete(c.id);
              saveSoon();
            } });
            return h('label', { class: 'ix-check' }, box, h('span', {}, c.name), c.position ? h('span', { class: 'muted small' }, c.position) : null);
          })
        : [h('span', { class: 'muted small' }, t('interactions.no_contacts'))]),
    );
  };
  const loadContacts = async () => {
    contacts = [];
    renderContacts();
    if (!picked) return;
    try {
      contacts = await api.customerContacts(picked.id);
      const known = new Set(contacts.map((c) => c.id));
      chosenContacts = new Set([...chosenContacts].filter((id) => known.has(id)));
    } catch {
      contacts = [];
    }
    renderContacts();
  };
  const picker = fixed
    ? null
    : customerPicker({ testid: 'interaction-customer', optionTestid: 'interaction-customer-option', id: 'ix-customer', onPick: (c) => {
        picked = c;
        chosenContacts = new Set();
        loadContacts();
        saveSoon();
        if (c) channel.focus();
      } });
  const customerField = h(
    'div',
    { class: 'field field-wide', dataset: { field: 'customer_id' } },
    h('label', { class: 'field-label', for: 'ix-customer' }, t('interactions.customer'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    fixed ? h('div', { class: 'ix-picked' }, h('span', { class: 'ix-picked-name', 'data-testid': 'interaction-customer-picked' }, fixed.name ?? `#${fixed.id}`)) : picker.el,
  );

  // Our side.
  const chosenUsers = new Set([actor.user_id]);
  const usersBox = h(
    'div',
    { class: 'ix-checks', 'data-testid': 'interaction-users' },
    refs.owners().map((u) =>
      h('label', { class: 'ix-check' }, h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'interaction-user', dataset: { id: u.id }, checked: chosenUsers.has(u.id), onchange: (e) => {
        if (e.target.checked) chosenUsers.add(u.id);
        else chosenUsers.delete(u.id);
        saveSoon();
      } }), h('span', {}, u.display_name)),
    ),
  );

  const subject = input({ testid: 'interaction-subject', maxlength: 200, value: preset.subject ?? '' });
  const keyPoints = textarea('interaction-key-points', 4, { value: preset.key_points ?? '' });
  const needs = textarea('interaction-needs', 2);
  const commitments = textarea('interaction-commitments', 2);
  const nextStep = textarea('interaction-next-step', 2);
  const satisfaction = select({ testid: 'interaction-satisfaction', choices: [['', t('interactions.satisfaction_none')], ...[1, 2, 3, 4, 5].map((n) => [String(n), t('interactions.score_n', { n })])], value: '' });
  const satisfactionField = field({ name: 'satisfaction', label: t('interactions.satisfaction'), control: satisfaction, hint: t('interactions.satisfaction_hint') });
  const syncSatisfaction = () => {
    satisfactionField.hidden = channel.value !== 'callback';
  };
  channel.addEventListener('change', syncSatisfaction);

  // To-dos.
  const todoRows = h('div', { class: 'ix-todos', 'data-testid': 'todo-list' });
  const addTodo = (todo = {}) => {
    const title = input({ testid: 'todo-title', maxlength: 200, value: todo.title ?? '', placeholder: t('interactions.todo_title'), 'aria-label': t('interactions.todo_title') });
    const owner = select({ testid: 'todo-owner', 'aria-label': t('interactions.todo_owner'), choices: refs.owners().map((u) => [u.id, u.display_name]), value: todo.owner ?? actor.user_id });
    const due = input({ testid: 'todo-due', type: 'datetime-local', value: todo.due ?? defaultDue(), 'aria-label': t('interactions.todo_due') });
    const row = h('div', { class: 'ix-todo', 'data-testid': 'todo-row' }, title, owner, due,
      h('button', { type: 'button', class: 'btn btn-ghost btn-icon', 'data-testid': 'todo-remove', 'aria-label': t('interactions.todo_remove'), onclick: () => { row.remove(); saveSoon(); } }, icon('close', { size: 14 })));
    todoRows.appendChild(row);
    return title;
  };
  const todoAdd = button({ testid: 'todo-add', kind: 'ghost', onclick: () => addTodo().focus() }, icon('plus', { size: 14 }), t('interactions.todo_add'));

  const collect = () => ({
    customer: picked ? { id: picked.id, name: picked.name, number: picked.number ?? '' } : null,
    channel: channel.value,
    occurred_at: occurred.value,
    subject: subject.value,
    key_points: keyPoints.value,
    customer_needs: needs.value,
    commitments: commitments.value,
    next_step: nextStep.value,
    satisfaction: satisfaction.value,
    feedback_id: preset.feedback_id ?? null,
    contact_ids: [...chosenContacts],
    user_ids: [...chosenUsers],
    todos: [...todoRows.querySelectorAll('[data-testid="todo-row"]')].map((r) => ({
      title: r.querySelector('[data-testid="todo-title"]').value,
      owner: r.querySelector('[data-testid="todo-owner"]').value,
      due: r.querySelector('[data-testid="todo-due"]').value,
    })),
  });
  const apply = (d) => {
    if (!fixed && d.customer) {
      picked = d.customer;
      picker.set(d.customer);
    }
    if (d.channel && live.some((c) => c.code === d.channel)) channel.value = d.channel;
    if (d.occurred_at) occurred.value = d.occurred_at;
    subject.value = d.subject ?? '';
    keyPoints.value = d.key_points ?? '';
    needs.value = d.customer_needs ?? '';
    commitments.value = d.commitments ?? '';
    nextStep.value = d.next_step ?? '';
    satisfaction.value = d.satisfaction ?? '';
    chosenContacts = new Set(d.contact_ids ?? []);
    chosenUsers.clear();
    for (const id of d.user_ids ?? []) chosenUsers.add(id);
    usersBox.querySelectorAll('input').forEach((b) => { b.checked = chosenUsers.has(Number(b.dataset.id)); });
    todoRows.replaceChildren();
    for (const x of d.todos ?? []) addTodo(x);
    syncSatisfaction();
    loadContacts();
  };

  let saving = null;
  const saveSoon = () => {
    if (editing) return;
    clearTimeout(saving);
    saving = setTimeout(() => writeDraft(actor, collect()), 300);
  };

  // A draft from last time, offered back (for the same customer when it is fixed).
  const old = editing ? null : readDraft(actor);
  const offer = draftHasContent(old) && (!fixed || !old.customer || old.customer.id === fixed.id);
  const draftBar = offer
    ? h('div', { class: 'notice ix-draft', role: 'status', 'data-testid': 'interaction-draft' },
        h('span', {}, t('interactions.draft_found', { when: old.saved_at ? formatDateTime(old.saved_at) : '—', subject: old.subject || '…' })),
        button({ testid: 'interaction-draft-restore', kind: 'primary', label: t('interactions.draft_restore'), onclick: () => { apply(old); draftBar.remove(); subject.focus(); } }),
        button({ testid: 'interaction-draft-discard', kind: 'ghost', label: t('interactions.draft_discard'), onclick: () => { dropDraft(actor); draftBar.remove(); } }))
    : null;

  const form = h('form', { class: 'form', 'data-testid': 'interaction-form', novalidate: true });
  const errors = formErrors(form, { aliases: { customer_id: 'customer_id', title: 'todos', owner_user_id: 'todos', due_at: 'todos' } });
  form.addEventListener('input', saveSoon);
  form.addEventListener('change', saveSoon);
  let dlg;
  let done = false;
  onSubmit(form, errors, async () => {
    const draft = collect();
    const payload = toPayload(draft);
    if (!payload.customerId) throw new ApiError({ code: 'interaction.customer_required', field: 'customer_id' });
    if (!payload.input.occurred_at) throw new ApiError({ code: 'field.required', field: 'occurred_at' });
    if (payload.todos.some((x) => !x.due_at)) throw new ApiError({ code: 'interaction.todo_due_required', field: 'todos' });
    if (editing) {
      const saved = await api.interactionUpdate(existing.id, existing.version, payload.input);
      done = true;
      toast(t('interactions.updated', { subject: saved.subject }), { kind: 'success' });
      dlg.close(saved);
      return;
    }
    const made = await api.interactionLog(payload.customerId, payload.input, payload.todos);
    done = true;
    clearTimeout(saving);
    dropDraft(actor);
    toast(t('interactions.logged', { subject: made.subject }), { kind: 'success' });
    dlg.close(made);
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  dlg = openDialog({
    title: t(editing ? 'interactions.edit_title' : 'interactions.log_title'),
    testid: 'interaction-dialog',
    form,
    className: 'ix-dialog',
    body: [
      draftBar,
      h('div', { class: 'form-error-slot' }),
      h('div', { class: 'form-grid ix-grid' },
        customerField,
        field({ name: 'channel', label: t('interactions.channel'), control: channel, required: true }),
        field({ name: 'occurred_at', label: t('interactions.occurred_at'), control: occurred, required: true }),
        h('div', { class: 'field', dataset: { field: 'contact_ids' } }, h('span', { class: 'field-label' }, t('interactions.their_side')), contactsBox),
        h('div', { class: 'field', dataset: { field: 'user_ids' } }, h('span', { class: 'field-label' }, t('interactions.our_side')), usersBox),
        field({ name: 'subject', label: t('interactions.subject'), control: subject, required: true, className: 'field-wide' }),
        field({ name: 'key_points', label: t('interactions.key_points'), control: keyPoints, className: 'field-wide' }),
        field({ name: 'customer_needs', label: t('interactions.needs'), control: needs }),
        field({ name: 'commitments', label: t('interactions.commitments'), control: commitments }),
        field({ name: 'next_step', label: t('interactions.next_step'), control: nextStep }),
        satisfactionField,
        editing ? null : h('div', { class: 'field field-wide', dataset: { field: 'todos' } }, h('span', { class: 'field-label' }, t('interactions.todos')), todoRows, h('div', {}, todoAdd)),
        h('p', { class: 'muted small field-wide' }, t('interactions.ctrl_enter')),
      ),
    ],
    actions: [
      button({ testid: 'interaction-cancel', label: t('common.cancel'), onclick: () => dlg.close(null) }),
      button({ testid: 'interaction-save', kind: 'primary', type: 'submit', label: t(editing ? 'interactions.save_changes' : 'interactions.save') }),
    ],
    initialFocus: fixed ? subject : picker.input,
  });
  syncSatisfaction();
  renderContacts();
  if (editing) apply(draftFromInteraction(existing));
  else if (fixed) loadContacts();
  const result = await dlg.result;
  if (!done && !editing) {
    clearTimeout(saving);
    writeDraft(actor, collect());
  }
  return result;
}
