// The top of every page: its h1 (data-testid="page-title") and an optional line and actions.
import { h } from '../dom.js';

export function pageHead(title, { subtitle, actions } = {}) {
  return h(
    'div',
    { class: 'page-head' },
    h('div', { class: 'page-head-text' }, h('h1', { class: 'page-title', 'data-testid': 'page-title' }, title), subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null),
    actions ? h('div', { class: 'page-actions' }, actions) : null,
  );
}
