// Bits shared by the settings tabs: the read-only notice, a card section, and an async panel
// that shows loading / failure / content.
import { h, replaceChildren } from '../../dom.js';
import { t } from '../../i18n.js';
import { loading, loadFailed } from '../../components/form.js';

/** "You can look but only an admin can change this." */
export function readOnlyNote(key = 'settings.read_only') {
  return h('p', { class: 'notice', 'data-testid': 'settings-read-only' }, t(key));
}

/** A titled card. */
export function card(title, { actions, testid } = {}, ...children) {
  return h(
    'section',
    { class: 'card', 'data-testid': testid },
    h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, title), actions ? h('div', { class: 'card-actions' }, actions) : null),
    children,
  );
}

/**
 * A container that runs `load()` and renders `render(data)` into itself, with a loading line and
 * a retry on failure. Returns {el, reload()}.
 */
export function asyncPanel(load, render, { retryTestid = 'settings-retry' } = {}) {
  const el = h('div', { class: 'async-panel' }, loading());
  let alive = true;
  const reload = async () => {
    try {
      const data = await load();
      if (alive) replaceChildren(el, render(data));
    } catch (err) {
      if (alive) replaceChildren(el, loadFailed(err, reload, retryTestid));
    }
  };
  reload();
  return { el, reload, destroy: () => { alive = false; } };
}
