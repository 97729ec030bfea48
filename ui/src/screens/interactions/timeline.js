// A customer's interaction timeline (newest first), mounted into the customer detail page:
// filter by channel, log a new interaction, each entry expandable to its key points,
// commitments, to-dos and attachments (add by picker or by dropping files), and the
// call-script panel. mountCustomerTimeline(el, customerId, {customerName}) → {refresh, destroy}.
import { h, replaceChildren, options } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { loading, loadFailed } from '../../components/form.js';
import { icon } from '../../components/icons.js';
import { loadRefs, rowChannel, channelBadge, when, canLog, currentActor } from './common.js';
import { logInteractionDialog } from './log-dialog.js';
import { interactionBody } from './entry.js';
import { scriptPanel } from './script-panel.js';
import { pruneDropZones } from './attachments.js';

const PAGE = 50;

/** Render the timeline for `customerId` into `el`; returns { refresh, destroy }. */
export function mountCustomerTimeline(el, customerId, { customerName, actor: given } = {}) {
  let alive = true;
  let actor = given ?? null;
  let refs = null;
  let channel = '';
  let limit = PAGE;
  const open = new Map(); // interaction id → body handle, kept across reloads
  const list = h('ol', { class: 'ix-timeline-list' });
  const more = h('div', { class: 'ix-more' });
  const filter = h('select', { class: 'input select ix-filter', 'data-testid': 'timeline-channel', 'aria-label': t('interactions.filter.channel'), onchange: () => {
    channel = filter.value;
    limit = PAGE;
    reload();
  } });
  const actions = h('div', { class: 'ix-timeline-actions' });
  const scriptSlot = h('div', { class: 'ix-script-slot' });
  const body = h('div', { class: 'ix-timeline-body' }, loading());
  const root = h(
    'section',
    { class: 'ix-timeline', 'data-testid': 'timeline', dataset: { customerId } },
    h('div', { class: 'ix-timeline-head' }, h('h2', { class: 'ix-timeline-title' }, t('interactions.timeline')), filter, actions),
    scriptSlot,
    body,
  );
  replaceChildren(el, root);

  const customer = () => ({ id: customerId, name: customerName ?? `#${customerId}` });
  async function logNew(preset = {}) {
    const made = await logInteractionDialog({ actor, customer: customer(), preset });
    if (made && alive) {
      open.set(made.id, null);
      reload();
    }
  }

  function entry(it) {
    const panel = h('div', { class: 'ix-entry-body', id: `ix-entry-${it.id}`, hidden: true });
    const head = h(
      'button',
      { type: 'button', class: 'ix-entry-head', 'aria-expanded': 'false', 'aria-controls': panel.id, 'data-testid': 'timeline-entry-toggle', onclick: () => toggle() },
      h('span', { class: 'ix-dot', 'aria-hidden': 'true' }),
      when(it.occurred_at),
      channelBadge(it.channel, rowChannel(it)),
      h('span', { class: 'ix-subject', 'data-testid': 'timeline-subject' }, it.subject),
      h('span', { class: 'ix-counts muted small' },
        it.open_todos ? h('span', { class: 'badge ix-badge-todo', title: t('interactions.open_todos') }, t('interactions.open_todos_n', { n: it.open_todos })) : null,
        it.attachments ? h('span', { class: 'badge badge-muted', 'data-testid': 'timeline-attachments', title: t('attachments.title') }, t('attachments.count', { n: it.attachments })) : null,
        h('span', {}, it.created_by_name ?? ''),
      ),
    );
    const li = h('li', { class: 'ix-entry', 'data-testid': 'timeline-entry', dataset: { id: it.id, channel: it.channel, subject: it.subject } }, head, panel);
    async function toggle(force) {
      const expand = force ?? head.getAttribute('aria-expanded') !== 'true';
      head.setAttribute('aria-expanded', expand ? 'true' : 'false');
      li.classList.toggle('is-open', expand);
      panel.hidden = !expand;
      if (!expand) {
        open.get(it.id)?.destroy?.();
        open.delete(it.id);
        replaceChildren(panel);
        return;
      }
      replaceChildren(panel, loading());
      try {
        const detail = await api.interactionGet(it.id);
        if (!alive) return;
        const handle = interactionBody(detail, { actor, onChange: () => reloadSoon(), onDeleted: () => { open.delete(it.id); reload(); }, onEdited: () => reload() });
        open.set(it.id, handle);
        replaceChildren(panel, handle.el);
      } catch (err) {
        replaceChildren(panel, loadFailed(err, () => toggle(true), 'timeline-retry'));
      }
    }
    if (open.has(it.id)) toggle(true);
    return li;
  }

  let soon = null;
  const reloadSoon = () => {
    clearTimeout(soon);
    soon = setTimeout(() => reloadSummaries(), 200);
  };
  // Refresh only the summary lines (counts), keeping open entries as they are.
  async function reloadSummaries() {
    try {
      const page = await api.interactionTimeline(customerId, channel ? [channel] : [], { offset: 0, limit });
      for (const it of page.items) {
        const li = list.querySelector(`[data-testid="timeline-entry"][data-id="${it.id}"]`);
        const counts = li?.querySelector('.ix-counts');
        if (!counts) continue;
        replaceChildren(counts,
          it.open_todos ? h('span', { class: 'badge ix-badge-todo' }, t('interactions.open_todos_n', { n: it.open_todos })) : null,
          it.attachments ? h('span', { class: 'badge badge-muted', 'data-testid': 'timeline-attachments' }, t('attachments.count', { n: it.attachments })) : null,
          h('span', {}, it.created_by_name ?? ''));
      }
    } catch {
      /* the summary is a nicety */
    }
  }

  async function reload() {
    try {
      if (!actor) actor = await currentActor();
      if (!refs) {
        refs = await loadRefs();
        replaceChildren(filter, options([['', t('interactions.filter.all_channels')], ...refs.channels.map((c) => [c.code, refs.channelName(c.code)])], channel));
        if (canLog(actor)) {
          replaceChildren(actions,
            h('button', { type: 'button', class: 'btn btn-primary btn-sm', 'data-testid': 'interaction-new', onclick: () => logNew() }, icon('plus', { size: 14 }), t('interactions.new')));
        }
        replaceChildren(scriptSlot, h('details', { class: 'ix-script-wrap' },
          h('summary', { class: 'btn btn-ghost btn-sm', 'data-testid': 'script-toggle' }, t('script.title')),
          scriptPanel({ customerId, canLog: canLog(actor), onLog: (preset) => logNew(preset) })));
      }
      const page = await api.interactionTimeline(customerId, channel ? [channel] : [], { offset: 0, limit });
      if (!alive) return;
      for (const handle of open.values()) handle?.destroy?.();
      const keep = new Set(open.keys());
      open.clear();
      for (const id of keep) open.set(id, null);
      replaceChildren(list, page.items.map(entry));
      pruneDropZones();
      replaceChildren(more, page.total > page.items.length
        ? h('button', { type: 'button', class: 'btn btn-ghost', 'data-testid': 'timeline-more', onclick: () => { limit += PAGE; reload(); } }, t('interactions.more', { shown: page.items.length, total: page.total }))
        : null);
      replaceChildren(body, page.items.length ? [list, more] : empty());
    } catch (err) {
      if (alive) replaceChildren(body, loadFailed(err, reload, 'timeline-retry'));
    }
  }

  function empty() {
    return h('div', { class: 'empty-state ix-empty', 'data-testid': 'timeline-empty' },
      icon('interactions', { size: 32 }),
      h('p', {}, t(channel ? 'interactions.timeline_empty_filtered' : 'interactions.timeline_empty')));
  }

  reload();
  return {
    refresh: reload,
    destroy() {
      alive = false;
      for (const handle of open.values()) handle?.destroy?.();
      root.remove();
      pruneDropZones();
    },
  };
}
