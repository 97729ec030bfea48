// An interaction's attached files: the list (open with the system's default app, remove), an
// "add attachment" button (native file picker) and a drop zone for files dragged onto the window.
import { h, replaceChildren } from '../../dom.js';
import { t, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { confirm } from '../../components/dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { icon } from '../../components/icons.js';

// Drop zones on screen: element → add(paths). One window-level listener serves them all.
const zones = new Map();
let unlisten = null;
let listening = null;

function zoneAt(x, y) {
  const hit = document.elementFromPoint(x, y)?.closest?.('[data-drop-interaction]');
  if (hit && zones.has(hit)) return hit;
  const live = [...zones.keys()].filter((z) => z.isConnected);
  return live.length === 1 ? live[0] : null;
}

function highlight(zone) {
  for (const z of zones.keys()) z.classList.toggle('is-over', z === zone);
}

function ensureListening() {
  if (listening) return;
  listening = api.onFileDrop({
    over: ({ x, y }) => highlight(zoneAt(x, y)),
    leave: () => highlight(null),
    drop: ({ paths, x, y }) => {
      const zone = zoneAt(x, y);
      highlight(null);
      if (zone) zones.get(zone)(paths);
      else if (paths.length && zones.size) toast(t('attachments.drop_on_entry'));
    },
  }).then((off) => {
    unlisten = off;
  }, () => {
    listening = null;
  });
}

function forget(zone) {
  zones.delete(zone);
  if (zones.size === 0 && unlisten) {
    unlisten();
    unlisten = null;
    listening = null;
  }
}

/** A human size: 12 KB, 3.4 MB. */
export function humanSize(bytes) {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 102.4) / 10)} KB`;
  return `${formatNumber(Math.round(bytes / (1024 * 102.4)) / 10)} MB`;
}

/** The attachments block of one interaction; `onChange()` after an add or remove. */
export function attachmentsBlock(interactionId, initial, { canEdit = true, onChange } = {}) {
  let items = initial ?? [];
  const list = h('ul', { class: 'ix-files', 'data-testid': 'attachment-list' });
  const render = () => {
    replaceChildren(
      list,
      items.length
        ? items.map((a) =>
            h('li', { class: 'ix-file', 'data-testid': 'attachment-item', dataset: { id: a.id, name: a.original_name } },
              h('button', { type: 'button', class: 'link ix-file-name', 'data-testid': 'attachment-open', title: t('attachments.open'), onclick: () => api.attachmentOpen(a.id).catch(toastError) }, a.original_name),
              h('span', { class: 'muted small' }, humanSize(a.size)),
              canEdit
                ? h('button', { type: 'button', class: 'btn btn-ghost btn-icon', 'data-testid': 'attachment-remove', 'aria-label': t('attachments.remove_named', { name: a.original_name }), onclick: async () => {
                    const ok = await confirm({ title: t('attachments.remove_title'), message: t('attachments.remove_message', { name: a.original_name }), confirmLabel: t('attachments.remove'), danger: true });
                    if (!ok) return;
                    try {
                      await api.attachmentRemove(a.id);
                      await reload();
                    } catch (err) {
                      toastError(err);
                    }
                  } }, icon('close', { size: 14 }))
                : null,
            ),
          )
        : [h('li', { class: 'muted small' }, t('attachments.none'))],
    );
  };
  const reload = async () => {
    items = await api.attachmentList(interactionId);
    render();
    onChange?.(items);
  };
  const addPaths = async (paths) => {
    let added = 0;
    for (const p of paths) {
      try {
        await api.attachmentAddPath(interactionId, p);
        added++;
      } catch (err) {
        toastError(err);
      }
    }
    if (added) {
      toast(t('attachments.added', { n: added }), { kind: 'success' });
      await reload().catch(toastError);
    }
  };
  const addBtn = canEdit
    ? h('button', { type: 'button', class: 'btn btn-sm', 'data-testid': 'attachment-add', onclick: async (e) => {
        const btn = e.currentTarget;
        btn.disabled = true;
        try {
          const a = await api.attachmentPickAndAdd(interactionId);
          if (a) {
            toast(t('attachments.added', { n: 1 }), { kind: 'success' });
            await reload();
          }
        } catch (err) {
          toastError(err);
        } finally {
          btn.disabled = false;
        }
      } }, icon('upload', { size: 14 }), t('attachments.add'))
    : null;
  const zone = canEdit ? h('div', { class: 'ix-drop', 'data-testid': 'attachment-drop', dataset: { dropInteraction: interactionId } }, icon('upload', { size: 16 }), t('attachments.drop_here')) : null;
  if (zone) {
    zones.set(zone, addPaths);
    ensureListening();
  }
  render();
  const el = h('div', { class: 'ix-attachments' }, h('div', { class: 'ix-files-head' }, h('h4', {}, t('attachments.title')), addBtn), list, zone);
  return { el, destroy: () => zone && forget(zone) };
}

/** Drop every zone no longer on screen (after a re-render). */
export function pruneDropZones() {
  for (const z of [...zones.keys()]) if (!z.isConnected) forget(z);
}
