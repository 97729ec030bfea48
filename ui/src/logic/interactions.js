// Pure helpers of the interaction and task screens: snooze choices, <input type=datetime-local>
// values, the log dialog's draft (what counts as "worth keeping") and the interaction payload.

const pad = (n) => String(n).padStart(2, '0');

/** A Date → 'YYYY-MM-DDTHH:MM' in local time, for datetime-local inputs. */
export function toLocalInput(date) {
  const d = date instanceof Date ? date : new Date(date);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** 'YYYY-MM-DDTHH:MM' (local) → RFC 3339 UTC text, or null when blank or invalid. */
export function fromLocalInput(value) {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** The snooze menu's choices at `now`: in one hour, tomorrow 09:00, next Monday 09:00. */
export function snoozeChoices(now = new Date()) {
  const hour = new Date(now.getTime() + 3600 * 1000);
  const tomorrow = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9, 0, 0, 0);
  const daysToMonday = ((8 - now.getDay()) % 7) || 7; // Sunday=0 → 1, Monday=1 → 7
  const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() + daysToMonday, 9, 0, 0, 0);
  return [
    { id: 'hour', key: 'tasks.snooze.hour', until: hour },
    { id: 'tomorrow', key: 'tasks.snooze.tomorrow', until: tomorrow },
    { id: 'monday', key: 'tasks.snooze.monday', until: monday },
  ];
}

/** Does a draft hold anything a person typed (so it is worth offering back)? */
export function draftHasContent(d) {
  if (!d) return false;
  const texts = [d.subject, d.key_points, d.customer_needs, d.commitments, d.next_step];
  return texts.some((x) => typeof x === 'string' && x.trim() !== '') || (Array.isArray(d.todos) && d.todos.some((x) => (x.title ?? '').trim() !== ''));
}

/** The interaction_log payload from the dialog's draft: {customerId, input, todos}. */
export function toPayload(d) {
  const todos = (d.todos ?? [])
    .filter((x) => (x.title ?? '').trim() !== '' || x.due)
    .map((x) => ({ title: x.title ?? '', owner_user_id: Number(x.owner), due_at: fromLocalInput(x.due), notes: '' }));
  const sat = d.channel === 'callback' && d.satisfaction ? Number(d.satisfaction) : null;
  return {
    customerId: d.customer?.id ?? null,
    input: {
      occurred_at: fromLocalInput(d.occurred_at),
      channel: d.channel ?? '',
      subject: d.subject ?? '',
      key_points: d.key_points ?? '',
      customer_needs: d.customer_needs ?? '',
      commitments: d.commitments ?? '',
      next_step: d.next_step ?? '',
      satisfaction: sat,
      feedback_id: d.feedback_id ?? null,
      contact_ids: (d.contact_ids ?? []).map(Number),
      user_ids: (d.user_ids ?? []).map(Number),
    },
    todos,
  };
}

/** Where a placeholder is left in a filled script: [{text, missing}] segments for display. */
export function scriptSegments(text, missing) {
  if (!missing?.length) return [{ text, missing: false }];
  const out = [];
  let rest = text;
  while (rest.length) {
    let best = -1;
    let which = null;
    for (const m of missing) {
      const i = rest.indexOf(m);
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
        which = m;
      }
    }
    if (best < 0) {
      out.push({ text: rest, missing: false });
      break;
    }
    if (best > 0) out.push({ text: rest.slice(0, best), missing: false });
    out.push({ text: which, missing: true });
    rest = rest.slice(best + which.length);
  }
  return out;
}

/** The log dialog's draft shape filled from a stored interaction (for editing it). */
export function draftFromInteraction(it) {
  return {
    customer: { id: it.customer_id, name: it.customer_name, number: '' },
    channel: it.channel,
    occurred_at: toLocalInput(it.occurred_at),
    subject: it.subject ?? '',
    key_points: it.key_points ?? '',
    customer_needs: it.customer_needs ?? '',
    commitments: it.commitments ?? '',
    next_step: it.next_step ?? '',
    satisfaction: it.satisfaction == null ? '' : String(it.satisfaction),
    feedback_id: it.feedback_id ?? null,
    contact_ids: (it.contacts ?? []).map((c) => c.id),
    user_ids: (it.users ?? []).map((u) => u.id),
    todos: [],
  };
}

/** The fields an edit history entry shows, in form order. */
export const HISTORY_FIELDS = ['occurred_at', 'channel', 'subject', 'key_points', 'customer_needs', 'commitments', 'next_step', 'satisfaction', 'feedback_id', 'contact_ids', 'user_ids'];

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What one history entry ({change, old, new}) changed: [{field, before, after}] for the fields
 * that differ. A creation lists the fields it set; a deletion the fields it removed.
 */
export function historyChanges(entry) {
  const before = entry?.old ?? {};
  const after = entry?.new ?? {};
  const blank = (v) => v == null || v === '' || (Array.isArray(v) && v.length === 0);
  return HISTORY_FIELDS.filter((f) => {
    if (entry?.change === 'create') return !blank(after[f]);
    if (entry?.change === 'delete') return !blank(before[f]);
    return !same(before[f], after[f]);
  }).map((f) => ({ field: f, before: entry?.change === 'create' ? null : (before[f] ?? null), after: entry?.change === 'delete' ? null : (after[f] ?? null) }));
}
