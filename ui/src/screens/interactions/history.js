// An interaction's edit history (修改记录): every version the core kept, newest first — who
// changed it, when, and each changed field before and after. Read-only: the trail is
// append-only in the database.
import { h } from '../../dom.js';
import { t, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { openDialog } from '../../components/dialog.js';
import { button, loadFailed, loading } from '../../components/form.js';
import { historyChanges } from '../../logic/interactions.js';
import { loadRefs } from './common.js';

const FIELD_LABEL = {
  occurred_at: 'interactions.occurred_at',
  channel: 'interactions.channel',
  subject: 'interactions.subject',
  key_points: 'interactions.key_points',
  customer_needs: 'interactions.needs',
  commitments: 'interactions.commitments',
  next_step: 'interactions.next_step',
  satisfaction: 'interactions.satisfaction',
  feedback_id: 'interactions.history.feedback',
  contact_ids: 'interactions.their_side',
  user_ids: 'interactions.our_side',
};

/** A stored value as text: dates in local time, channels and people by name. */
function show(field, value, refs, contacts) {
  if (value == null || value === '' || (Array.isArray(value) && !value.length)) return '—';
  if (field === 'occurred_at') return formatDateTime(value);
  if (field === 'channel') return refs.channelName(value);
  if (field === 'user_ids') return value.map((id) => refs.userName(id)).join('、');
  if (field === 'contact_ids') return value.map((id) => contacts.get(id) ?? `#${id}`).join('、');
  return String(value);
}

/** Open the history of `interaction` (needs id, customer_id, contacts). */
export async function interactionHistoryDialog(interaction) {
  const box = h('div', { class: 'ix-history', 'data-testid': 'interaction-history-list' }, loading());
  const dlg = openDialog({
    title: t('interactions.history.title', { subject: interaction.subject }),
    testid: 'interaction-history-dialog',
    className: 'ix-dialog',
    body: [box],
    actions: [button({ testid: 'interaction-history-close', label: t('common.close'), onclick: () => dlg.close(null) })],
  });
  const load = async () => {
    try {
      const [entries, refs, people] = await Promise.all([
        api.interactionHistory(interaction.id),
        loadRefs(),
        api.customerContacts(interaction.customer_id).catch(() => []),
      ]);
      const contacts = new Map([...people, ...(interaction.contacts ?? [])].map((c) => [c.id, c.name]));
      const rows = [...entries].reverse().map((e, i) => {
        const changes = historyChanges(e);
        return h('li', { class: 'ix-history-entry', 'data-testid': 'interaction-history-entry', dataset: { change: e.change, index: entries.length - 1 - i } },
          h('p', { class: 'ix-history-head' },
            h('span', { class: 'badge' }, t(`interactions.history.change.${e.change}`)),
            ' ', h('time', { datetime: e.at }, formatDateTime(e.at)),
            ' · ', e.user_id == null ? '—' : refs.userName(e.user_id)),
          changes.length
            ? h('dl', { class: 'ix-history-changes' }, changes.flatMap((c) => [
                h('dt', {}, t(FIELD_LABEL[c.field])),
                h('dd', { 'data-testid': 'interaction-history-change', dataset: { field: c.field } },
                  e.change === 'update' ? [h('del', { class: 'ix-history-old' }, show(c.field, c.before, refs, contacts)), ' → ', h('ins', { class: 'ix-history-new' }, show(c.field, c.after, refs, contacts))]
                    : show(c.field, e.change === 'delete' ? c.before : c.after, refs, contacts)),
              ]))
            : h('p', { class: 'muted small' }, t('interactions.history.no_field_change')));
      });
      box.replaceChildren(rows.length ? h('ol', { class: 'ix-history-list' }, rows) : h('p', { class: 'muted' }, t('interactions.history.empty')));
    } catch (err) {
      box.replaceChildren(loadFailed(err, load, 'interaction-history-retry'));
    }
  };
  load();
  return dlg.result;
}
