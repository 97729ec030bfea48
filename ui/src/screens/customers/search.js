// The header's global search: every keystroke (IME composition waits for the final characters)
// asks the core's customer search — it answers in a few milliseconds, so there is no debounce;
// an answer to an older keystroke is dropped — and shows a dropdown grouped Customers /
// Contacts. ↑/↓ move, Enter opens the customer (a contact opens its customer), Esc closes
// (a second Esc clears and leaves the box); clicking a result opens it.
import { h, replaceChildren } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { stageBadge } from './common.js';

let seq = 0;

export function attachGlobalSearch(inputEl, { navigate }) {
  const listId = `global-search-results-${++seq}`;
  const box = h('div', { class: 'search-results', id: listId, role: 'listbox', 'data-testid': 'search-results', hidden: true, 'aria-label': t('search.results') });
  let items = []; // [{el, customerId}]
  let active = -1;
  let asked = 0;
  let composing = false;

  inputEl.setAttribute('role', 'combobox');
  inputEl.setAttribute('aria-controls', listId);
  inputEl.setAttribute('aria-expanded', 'false');
  inputEl.setAttribute('aria-autocomplete', 'list');
  // Clicks inside the list must not blur the box before they land.
  box.addEventListener('mousedown', (e) => e.preventDefault());

  // While the pop-up is open the customer list under it stops scrolling (customers.css,
  // `.search-open`): WebKit composites that scrolling box in a layer of its own, and drawing
  // the pop-up over it made each keystroke's results take three to four frames.
  // Each keystroke's answer calls this with the pop-up already open: it then changes nothing,
  // so the page's style is not invalidated once more before the results can be painted.
  function show() {
    if (!box.isConnected) inputEl.parentElement?.appendChild(box);
    if (!box.hidden) return;
    box.hidden = false;
    document.body.classList.add('search-open');
    inputEl.setAttribute('aria-expanded', 'true');
  }

  function hide() {
    box.hidden = true;
    document.body.classList.remove('search-open');
    inputEl.setAttribute('aria-expanded', 'false');
    inputEl.removeAttribute('aria-activedescendant');
    active = -1;
  }

  // `reveal` scrolls the active result into view, which lays the page out at once: moving
  // with the arrow keys needs it, fresh results (the first one active, at the top) do not.
  function setActive(i, reveal = true) {
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach((it, j) => it.el.setAttribute('aria-selected', j === active ? 'true' : 'false'));
    inputEl.setAttribute('aria-activedescendant', items[active].el.id);
    if (reveal) items[active].el.scrollIntoView?.({ block: 'nearest' });
  }

  function open(customerId) {
    hide();
    inputEl.value = '';
    items = [];
    inputEl.blur();
    navigate({ page: 'customers', tab: String(customerId) });
  }

  // Each part in its own <bdi>: a right-to-left override typed into a customer's name must not
  // reverse the phone number shown after it.
  const isolated = (parts) => parts.filter(Boolean).flatMap((p, i) => (i ? [' · ', h('bdi', {}, p)] : [h('bdi', {}, p)]));

  function render(q, res) {
    items = [];
    active = -1;
    const option = (kind, id, customerId, main, sub, extra) => {
      const el = h('div', { class: 'search-result', role: 'option', id: `${listId}-${kind}-${id}`, 'data-testid': 'search-result', 'aria-selected': 'false', dataset: { kind, id, customerId }, onclick: () => open(customerId) },
        h('div', { class: 'search-result-main' }, main, extra),
        sub ? h('div', { class: 'search-result-sub muted' }, sub) : null);
      items.push({ el, customerId });
      return el;
    };
    const groups = [];
    if (res.customers.length) {
      groups.push(h('div', { class: 'search-group', role: 'group', 'aria-label': t('search.group.customers') }, h('div', { class: 'search-group-title' }, t('search.group.customers')),
        res.customers.map((c) => option('customer', c.id, c.id, c.name, c.number, [' ', stageBadge(c.stage)]))));
    }
    if (res.contacts.length) {
      groups.push(h('div', { class: 'search-group', role: 'group', 'aria-label': t('search.group.contacts') }, h('div', { class: 'search-group-title' }, t('search.group.contacts')),
        res.contacts.map((c) => option('contact', c.id, c.customer_id, c.name, isolated([c.customer_name, c.mobile, c.email])))));
    }
    // Read before the change: the layout a read may force then covers the typed character
    // only, not the new results.
    const scrolled = box.scrollTop > 0;
    replaceChildren(box, groups.length ? groups : h('div', { class: 'search-empty muted', 'data-testid': 'search-empty' }, t('search.none', { q })));
    if (scrolled) box.scrollTop = 0;
    show();
    if (items.length) setActive(0, false);
  }

  async function run() {
    const q = inputEl.value.trim();
    const mine = ++asked;
    if (!q) {
      hide();
      return;
    }
    try {
      // User Timing marks (no cost worth naming): scripts/measure-app.sh reads them to split
      // keystroke → painted into asking, the command's answer and rendering. Only the latest
      // keystroke's are kept, so a day of typing does not grow the page's timeline.
      for (const name of ['search:ask', 'search:answer', 'search:rendered']) performance.clearMarks(name);
      performance.mark('search:ask');
      const res = await api.customerSearch(q, 8);
      performance.mark('search:answer');
      if (mine === asked && inputEl.value.trim() === q) {
        render(q, res);
        performance.mark('search:rendered');
      }
    } catch {
      if (mine === asked) hide();
    }
  }

  const schedule = run;

  const handlers = {
    input: (e) => {
      if (composing || e.isComposing) return;
      schedule();
    },
    compositionstart: () => {
      composing = true;
    },
    compositionend: () => {
      composing = false;
      schedule();
    },
    keydown: (e) => {
      if (e.isComposing) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (box.hidden && inputEl.value.trim()) run();
        else setActive(active + (e.key === 'ArrowDown' ? 1 : -1));
      } else if (e.key === 'Enter') {
        e.preventDefault();
        if (!box.hidden && active >= 0 && items[active]) open(items[active].customerId);
        else run();
      } else if (e.key === 'Escape') {
        e.preventDefault();
        if (!box.hidden) hide();
        else {
          inputEl.value = '';
          inputEl.blur();
        }
      }
    },
    blur: () => hide(),
    focus: () => {
      if (inputEl.value.trim() && items.length) show();
    },
  };
  for (const [ev, fn] of Object.entries(handlers)) inputEl.addEventListener(ev, fn);

  return {
    destroy() {
      asked += 1;
      for (const [ev, fn] of Object.entries(handlers)) inputEl.removeEventListener(ev, fn);
      box.remove();
      document.body.classList.remove('search-open');
    },
  };
}
