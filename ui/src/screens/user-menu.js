// The header's user menu: a button with the user's name opening change password / switch user /
// log out. Arrow keys move between items, Esc closes.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { icon } from '../components/icons.js';

export function userMenu({ actor, onChangePassword, onSwitchUser, onLogout }) {
  const item = (testid, label, fn) =>
    h('button', { type: 'button', role: 'menuitem', class: 'menu-item', 'data-testid': testid, tabindex: '-1', onclick: () => {
      close(false);
      fn();
    } }, label);
  const items = [
    item('menu-change-password', t('menu.change_password'), onChangePassword),
    item('menu-switch-user', t('menu.switch_user'), onSwitchUser),
    item('menu-logout', t('menu.logout'), onLogout),
  ];
  const menu = h(
    'div',
    { class: 'menu', role: 'menu', id: 'user-menu-list', hidden: true },
    h('div', { class: 'menu-head', role: 'presentation' }, h('div', { class: 'menu-head-name' }, actor.display_name), h('div', { class: 'muted small' }, `${actor.username} · ${t(`role.${actor.role}`)}`)),
    items,
  );
  const button = h(
    'button',
    { type: 'button', class: 'btn btn-ghost user-menu', 'data-testid': 'user-menu', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'user-menu-list', onclick: () => (menu.hidden ? openMenu() : close(true)) },
    icon('user'),
    h('span', { class: 'user-menu-name', 'data-testid': 'user-menu-name' }, actor.display_name),
    icon('chevron', { size: 16 }),
  );
  const wrap = h('div', { class: 'user-menu-wrap' }, button, menu);

  function openMenu() {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    items[0].focus();
    document.addEventListener('mousedown', onOutside, true);
  }
  function close(focusButton) {
    if (menu.hidden) return;
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('mousedown', onOutside, true);
    if (focusButton) button.focus();
  }
  function onOutside(e) {
    if (!wrap.contains(e.target)) close(false);
  }
  menu.addEventListener('keydown', (e) => {
    const i = items.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = items.length;
      items[(i + (e.key === 'ArrowDown' ? 1 : -1) + n) % n].focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      items[e.key === 'Home' ? 0 : items.length - 1].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
    } else if (e.key === 'Tab') {
      close(false);
    }
  });
  return { el: wrap, destroy: () => document.removeEventListener('mousedown', onOutside, true) };
}
