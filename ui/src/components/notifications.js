// The notification centre: a bell in the header with the unread count, a list of every
// reminder the scheduler decided (read/unread, mark all read, click to jump to the item), and
// the handler for clicks on desktop notifications ("open-item" events from the app).
import { h } from '../dom.js';
import { t, formatDateTime } from '../i18n.js';
import { openDialog } from './dialog.js';
import { icon } from './icons.js';
import { toastError } from './toast.js';
import * as api from '../api.js';
import { routeForItem } from '../logic/notification-route.js';

/** Mount the bell; returns {el, dispose}. */
export function notificationBell() {
  const count = h('span', { class: 'bell-count', 'data-testid': 'notif-count', hidden: true });
  const el = h(
    'button',
    { type: 'button', class: 'btn btn-ghost bell', 'data-testid': 'notif-bell', 'aria-label': t('notif.bell_label'), title: t('notif.bell_label'), onclick: () => openCentre(refresh) },
    icon('bell', { size: 18 }),
    count,
  );
  function show(n) {
    count.textContent = n > 99 ? '99+' : String(n);
    count.hidden = !(n > 0);
  }
  function refresh() {
    api.remindersUnreadCount().then(show, () => show(0));
  }
  refresh();
  const offs = [api.onRemindersChanged((n) => show(Number(n) || 0)), api.onOpenItem((item) => go(item))];
  return {
    el,
    dispose: () => offs.forEach((p) => p.then((off) => off?.(), () => {})),
  };
}

function go(item) {
  const route = routeForItem(item?.item_kind, item?.item_id);
  if (route) window.location.hash = route;
}

async function openCentre(refresh) {
  const list = h('ul', { class: 'notif-list', 'data-testid': 'notif-list' });
  const dialog = openDialog({
    title: t('notif.title'),
    testid: 'notif-centre',
    body: list,
    actions: [
      h('button', { type: 'button', class: 'btn', 'data-testid': 'notif-mark-all', onclick: () => api.remindersMarkAllRead().then(load, toastError) }, t('notif.mark_all')),
      h('button', { type: 'button', class: 'btn btn-primary', 'data-testid': 'notif-close', onclick: () => dialog.close(null) }, t('common.close')),
    ],
  });
  async function load() {
    refresh();
    let items = [];
    try {
      items = await api.remindersInbox(false);
    } catch (err) {
      toastError(err);
    }
    list.replaceChildren(
      ...(items.length === 0
        ? [h('li', { class: 'empty', 'data-testid': 'notif-empty' }, t('notif.empty'))]
        : items.map((r) =>
            h(
              'li',
              { class: ['notif-item', r.read_at ? 'read' : 'unread'], 'data-testid': 'notif-item', dataset: { kind: r.kind, stage: r.stage } },
              h(
                'button',
                {
                  type: 'button',
                  class: 'notif-open',
                  onclick: async () => {
                    try {
                      await api.remindersMarkRead(r.id);
                    } catch (err) {
                      toastError(err);
                    }
                    dialog.close(null);
                    go(r);
                  },
                },
                h('span', { class: 'notif-kind' }, t(`notif.kind.${kindKey(r.kind)}`), ' · ', t(`notif.stage.${r.stage}`)),
                h('strong', { class: 'notif-title' }, r.title),
                r.body ? h('span', { class: 'notif-body' }, r.body) : null,
                h('time', { class: 'notif-time' }, formatDateTime(r.created_at)),
              ),
            ),
          )),
    );
  }
  load();
  dialog.result.then(refresh);
}

function kindKey(kind) {
  if (String(kind).startsWith('feedback')) return 'feedback'; // feedback_response, feedback_resolution
  return ['task', 'callback', 'onboarding', 'care', 'change_request', 'review'].includes(kind) ? kind : 'other';
}
