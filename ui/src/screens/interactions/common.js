// Shared by the interaction, task and Today screens: reference data (channels, users) loaded
// once per session, channel names in the current language, a search-as-you-type customer picker
// and small badges.
import './interactions.css';
import { h } from '../../dom.js';
import { t, locale, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { input } from '../../components/form.js';

let refsPromise = null;

/** Channels (archived ones too, for old records) and users, cached until `fresh`. */
export function loadRefs({ fresh = false } = {}) {
  if (!refsPromise || fresh) {
    refsPromise = Promise.all([api.interactionChannels(true), api.usersList()]).then(([channels, users]) => makeRefs(channels, users));
    refsPromise.catch(() => {
      refsPromise = null;
    });
  }
  return refsPromise;
}

/** Lookups over the reference lists. */
export function makeRefs(channels, users) {
  const byCode = new Map(channels.map((c) => [c.code, c]));
  const byId = new Map(users.map((u) => [u.id, u]));
  return {
    channels,
    users,
    /** Channels offered for new interactions. */
    liveChannels: () => channels.filter((c) => !c.archived),
    channelName(code) {
      const c = byCode.get(code);
      if (!c) return code;
      return locale() === 'en' ? c.name_en : c.name_zh;
    },
    userName(id) {
      return id == null ? '' : (byId.get(id)?.display_name ?? `#${id}`);
    },
    /** People who can own a to-do: active, not read-only. */
    owners: () => users.filter((u) => u.active && u.role !== 'viewer'),
  };
}

/** The channel name from an interaction row (names travel with it). */
export function rowChannel(row) {
  return locale() === 'en' ? row.channel_name_en : row.channel_name_zh;
}

/** A channel badge. */
export function channelBadge(code, name) {
  return h('span', { class: ['badge', 'ix-channel', `ix-channel-${code}`], dataset: { channel: code } }, name);
}

/** A when-line: local date and time. */
export function when(value) {
  return h('time', { class: 'ix-when', datetime: value }, formatDateTime(value));
}

/**
 * A customer search box: type to search (customer_lookup), pick with the arrow keys + Enter or
 * a click. `testid` names the box, `${optionTestid}` each option. onPick(customer|null).
 */
export function customerPicker({ testid, optionTestid, picked = null, onPick, placeholder, id }) {
  let current = picked;
  let seq = 0;
  let timer = null;
  let hits = [];
  const listId = `${id}-list`;
  const search = input({ testid, type: 'search', id, placeholder: placeholder ?? t('interactions.customer_placeholder'), role: 'combobox', 'aria-expanded': 'false', 'aria-autocomplete': 'list', 'aria-controls': listId });
  const list = h('ul', { class: 'ix-options', id: listId, role: 'listbox', hidden: true });
  const chip = h('div', { class: 'ix-picked', hidden: true });
  const hide = () => {
    list.hidden = true;
    search.setAttribute('aria-expanded', 'false');
  };
  const show = () => {
    list.replaceChildren(
      ...(hits.length
        ? hits.map((c, i) =>
            h('li', { class: 'ix-option', role: 'option', id: `${listId}-${i}`, 'data-testid': optionTestid, dataset: { id: c.id }, 'aria-selected': i === 0 ? 'true' : 'false', onmousedown: (e) => { e.preventDefault(); pick(c); } },
              h('span', {}, c.name), h('span', { class: 'muted mono' }, c.number)),
          )
        : [h('li', { class: 'ix-option muted', role: 'presentation' }, t('interactions.no_match'))]),
    );
    list.hidden = false;
    search.setAttribute('aria-expanded', 'true');
  };
  const lookup = () => {
    const q = search.value.trim();
    const mine = ++seq;
    if (!q) return hide();
    api.customerLookup(q).then((found) => {
      if (mine !== seq || !search.isConnected) return;
      hits = found;
      show();
    }, hide);
  };
  const render = () => {
    if (current) {
      chip.replaceChildren(
        h('span', { class: 'ix-picked-name', 'data-testid': `${testid}-picked` }, current.name),
        current.number ? h('span', { class: 'muted mono' }, current.number) : null,
        h('button', { type: 'button', class: 'btn btn-ghost btn-icon', 'data-testid': `${testid}-clear`, 'aria-label': t('interactions.clear_customer'), onclick: () => pick(null) }, '×'),
      );
    }
    chip.hidden = !current;
    search.hidden = !!current;
  };
  const pick = (c) => {
    current = c;
    hide();
    search.value = '';
    render();
    onPick?.(c);
    if (!c) search.focus();
  };
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });
  search.addEventListener('blur', () => setTimeout(hide, 100));
  search.addEventListener('keydown', (e) => {
    const opts = [...list.querySelectorAll('[role="option"]')];
    if (list.hidden || !opts.length) return;
    let i = opts.findIndex((o) => o.getAttribute('aria-selected') === 'true');
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      i = (i + (e.key === 'ArrowDown' ? 1 : -1) + opts.length) % opts.length;
      opts.forEach((o, j) => o.setAttribute('aria-selected', j === i ? 'true' : 'false'));
      search.setAttribute('aria-activedescendant', opts[i].id);
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && i >= 0) {
      e.preventDefault();
      const c = hits.find((x) => x.id === Number(opts[i].dataset.id));
      if (c) pick(c);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      e.preventDefault();
      hide();
    }
  });
  render();
  return { el: h('div', { class: 'ix-customer' }, chip, h('div', { class: 'ix-combo' }, search, list)), input: search, get value() { return current; }, set: (c) => { current = c; render(); } };
}

/** Can this role log interactions and work on tasks (the core checks the rest)? */
export function canLog(actor) {
  return actor?.role !== 'viewer';
}

/** The signed-in actor, fetched once per page where it is not handed over. */
let actorPromise = null;
export function currentActor() {
  if (!actorPromise) actorPromise = api.currentSession().finally(() => setTimeout(() => { actorPromise = null; }, 5000));
  return actorPromise;
}
