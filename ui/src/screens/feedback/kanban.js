// The kanban board: one column per status (new, in progress, awaiting customer, closed). Dragging
// a card to another column runs the same step as the detail page's button, with the same dialog
// and checks; a refusal shows the translated error and the card snaps back. Without a mouse: focus
// a card and press M (or its ⋯ button) for a "move to…" menu offering the same columns, which runs
// the very same move.
import { h } from '../../dom.js';
import { t, errorText } from '../../i18n.js';
import { toast } from '../../components/toast.js';
import { statusBadge, priorityBadge, slaBadgeEl, canWork } from './common.js';
import { BOARD_STATUSES, transitionFor, moveTargets } from './sla.js';
import { runStep } from './dialogs.js';

/** Build the board for `items`; `ctx` has {actor, open(item), reload()}. */
export function board(items, refs, { actor, open, reload }) {
  const byId = new Map(items.map((i) => [i.id, i]));
  let dragging = null;
  const movable = canWork(actor);

  // The "move to…" menu of one card: a small list of buttons, arrow keys between them, Escape
  // closes and gives focus back to the card.
  function openMoveMenu(it, cardEl) {
    closeMenus();
    const back = () => cardEl.querySelector('[data-testid="kanban-card-move"]')?.focus() ?? cardEl.focus();
    const targets = moveTargets(it.status);
    const menu = h(
      'div',
      { class: 'fb-move-menu', role: 'menu', 'data-testid': 'kanban-move-menu', 'aria-label': t('feedback.move_to_label', { number: it.number }), onclick: (e) => e.stopPropagation(), onkeydown: (e) => {
        e.stopPropagation();
        const items = [...menu.querySelectorAll('[role="menuitem"]')];
        const i = items.indexOf(document.activeElement);
        if (e.key === 'Escape') {
          e.preventDefault();
          menu.remove();
          back();
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          const n = items.length;
          if (n) items[(i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n].focus();
        }
      } },
      targets.length
        ? targets.map((status) => h('button', { type: 'button', class: 'fb-move-option', role: 'menuitem', 'data-testid': 'kanban-move-option', dataset: { status }, onclick: () => {
            menu.remove();
            const col = columns.find((c) => c.dataset.status === status);
            move(it, status, col);
          } }, statusBadge(status)))
        : h('p', { class: 'muted', role: 'none' }, t('feedback.move_none')),
    );
    cardEl.appendChild(menu);
    menu.tabIndex = -1;
    (menu.querySelector('[role="menuitem"]') ?? menu).focus();
    // A press anywhere else closes it.
    const outside = (e) => {
      if (menu.contains(e.target)) return;
      menu.remove();
      document.removeEventListener('pointerdown', outside, true);
    };
    document.addEventListener('pointerdown', outside, true);
  }

  function closeMenus() {
    document.querySelectorAll('.fb-move-menu').forEach((m) => m.remove());
  }

  const card = (it) =>
    h(
      'article',
      {
        class: ['fb-card', `fb-card-${it.priority}`], 'data-testid': 'kanban-card', dataset: { id: it.id, number: it.number, status: it.status },
        draggable: movable ? 'true' : null, tabindex: '0', 'aria-label': `${it.number} ${t(`feedback.status.${it.status}`)}`,
        ondragstart: (e) => {
          dragging = it.id;
          e.dataTransfer.effectAllowed = 'move';
          e.dataTransfer.setData('text/plain', String(it.id));
          e.currentTarget.classList.add('is-dragging');
        },
        ondragend: (e) => {
          e.currentTarget.classList.remove('is-dragging');
        },
        onclick: () => open(it),
        onkeydown: (e) => {
          if (e.target !== e.currentTarget) return;
          if (e.key === 'Enter') open(it);
          if (movable && e.key.toLowerCase() === 'm' && !e.ctrlKey && !e.metaKey && !e.altKey) {
            e.preventDefault();
            openMoveMenu(it, e.currentTarget);
          }
        },
      },
      h('div', { class: 'fb-card-top' }, h('span', { class: 'mono fb-card-number' }, it.number), priorityBadge(it.priority),
        movable
          ? h('button', { type: 'button', class: 'btn btn-ghost fb-card-move', 'data-testid': 'kanban-card-move', 'aria-haspopup': 'menu', 'aria-keyshortcuts': 'M', title: t('feedback.move_to'), 'aria-label': t('feedback.move_to_label', { number: it.number }), onclick: (e) => {
              e.stopPropagation();
              openMoveMenu(it, e.currentTarget.closest('[data-testid="kanban-card"]'));
            }, onkeydown: (e) => e.stopPropagation() }, '⋯')
          : null),
      h('div', { class: 'fb-card-customer' }, refs.customerName(it)),
      h('div', { class: 'fb-card-desc muted' }, it.description),
      h('div', { class: 'fb-card-foot' }, h('span', { class: 'muted fb-nowrap' }, refs.userName(it.assignee_user_id) || t('feedback.unassigned')), slaBadgeEl(it, 'feedback-sla-badge', { compact: true })),
    );

  async function drop(column, status) {
    const id = dragging ?? null;
    dragging = null;
    column.classList.remove('is-over');
    const it = byId.get(id);
    if (!it || it.status === status) return;
    await move(it, status, column);
  }

  // One move, whether dragged or chosen from the menu: the step's own dialog and checks.
  async function move(it, status, column) {
    const id = it.id;
    const step = transitionFor(it.status, status);
    if (!step) {
      toast(errorText({ code: 'feedback.transition_invalid' }), { kind: 'error' });
      reload();
      return;
    }
    // Show the card in its new column while the dialog is open; reload puts it where the core says.
    const el = column.parentElement?.querySelector(`[data-testid="kanban-card"][data-id="${id}"]`);
    if (el) column.querySelector('.fb-column-cards').appendChild(el);
    try {
      await runStep(step, it, refs);
    } catch (err) {
      toast(errorText(err), { kind: 'error' });
    }
    reload();
  }

  const columns = BOARD_STATUSES.map((status) => {
    const mine = items.filter((i) => i.status === status);
    const col = h(
      'section',
      {
        class: ['fb-column', `fb-column-${status}`], 'data-testid': 'kanban-column', dataset: { status }, 'aria-label': t(`feedback.status.${status}`),
        ondragover: (e) => {
          if (dragging == null) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
          col.classList.add('is-over');
        },
        ondragleave: () => col.classList.remove('is-over'),
        ondrop: (e) => {
          e.preventDefault();
          if (dragging == null) dragging = Number(e.dataTransfer.getData('text/plain')) || null;
          drop(col, status);
        },
      },
      h('header', { class: 'fb-column-head' }, statusBadge(status), h('span', { class: 'fb-count', 'data-testid': 'kanban-count' }, String(mine.length))),
      h('div', { class: 'fb-column-cards' }, mine.length ? mine.map(card) : h('p', { class: 'muted fb-column-empty' }, t('feedback.column_empty'))),
    );
    return col;
  });
  const dupes = items.filter((i) => i.status === 'duplicate').length;
  return h(
    'div',
    { class: 'fb-board-wrap' },
    h('div', { class: 'fb-board', 'data-testid': 'feedback-kanban' }, columns),
    dupes ? h('p', { class: 'muted' }, t('feedback.duplicates_hidden', { n: dupes })) : null,
    movable ? h('p', { class: 'muted fb-kanban-keys' }, t('feedback.kanban_keys')) : null,
  );
}
