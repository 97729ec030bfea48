// Settings › Users: the account list with role badges; admins add, edit, reset passwords,
// deactivate (after confirming) and re-activate accounts.
import { h } from '../../dom.js';
import { t, formatDateTime } from '../../i18n.js';
import * as api from '../../api.js';
import { can, ROLES } from '../../logic/catalog.js';
import { MIN_PASSWORD_LEN, checkNewPassword } from '../../logic/validate.js';
import { field, input, select, button } from '../../components/form.js';
import { formDialog } from '../../components/form-dialog.js';
import { confirm } from '../../components/dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { icon } from '../../components/icons.js';
import { readOnlyNote, card, asyncPanel } from './common.js';

/** The fields of user_update, taken from a listed user with some changed. */
function updateInput(u, changes = {}) {
  return { display_name: u.display_name, role: u.role, title: u.title, department_id: u.department_id, phone: u.phone, email: u.email, active: u.active, ...changes };
}

export function mountUsersTab({ actor }) {
  const manage = can(actor.role, 'user_manage');
  const resetOk = can(actor.role, 'password_reset');
  const panel = asyncPanel(() => Promise.all([api.usersList(), api.departmentsList()]), ([users, departments]) => table(users, departments));

  function table(users, departments) {
    const deptName = new Map(departments.map((d) => [d.id, d.name]));
    const reload = (changed) => changed && panel.reload();
    const add = manage ? button({ testid: 'user-add', kind: 'primary', onclick: () => openEditor(null, departments).then(reload) }, icon('plus', { size: 16 }), t('settings.users.add')) : null;

    const setActive = async (u, active) => {
      if (!active) {
        const ok = await confirm({
          title: t('settings.users.deactivate_title'),
          message: t('settings.users.deactivate_message', { name: u.display_name }),
          confirmLabel: t('settings.users.deactivate'),
          danger: true,
        });
        if (!ok) return;
      }
      try {
        await api.userUpdate(u.id, updateInput(u, { active }));
        toast(active ? t('settings.users.activated', { name: u.display_name }) : t('settings.users.deactivated', { name: u.display_name }), { kind: 'success' });
        panel.reload();
      } catch (err) {
        toastError(err);
      }
    };

    const row = (u) =>
      h(
        'tr',
        { 'data-testid': 'user-row', dataset: { username: u.username, id: u.id }, class: u.active ? null : 'is-muted' },
        h('td', {}, h('div', { class: 'cell-main' }, u.display_name), h('div', { class: 'cell-sub mono' }, u.username)),
        h('td', {}, h('span', { class: ['badge', `badge-role-${u.role}`], 'data-testid': 'user-role-badge' }, t(`role.${u.role}`))),
        h('td', {}, h('div', {}, u.department_id ? (deptName.get(u.department_id) ?? '') : h('span', { class: 'muted' }, t('settings.users.no_department'))), u.title ? h('div', { class: 'cell-sub' }, u.title) : null),
        h('td', { class: 'contact' }, u.phone ? h('div', {}, u.phone) : null, u.email ? h('div', { class: 'cell-sub' }, u.email) : null, !u.phone && !u.email ? h('span', { class: 'muted' }, '—') : null),
        h('td', { class: 'nowrap' }, u.last_login_at ? formatDateTime(u.last_login_at) : h('span', { class: 'muted' }, t('settings.users.never'))),
        h('td', {}, u.active ? h('span', { class: 'badge badge-ok' }, t('settings.users.active')) : h('span', { class: 'badge badge-muted' }, t('settings.users.inactive'))),
        manage || resetOk
          ? h(
              'td',
              { class: 'col-actions' },
              manage ? button({ testid: 'user-edit', kind: 'ghost', label: t('common.edit'), onclick: () => openEditor(u, departments).then(reload) }) : null,
              resetOk ? button({ testid: 'user-reset-password', kind: 'ghost', label: t('settings.users.reset_password'), onclick: () => openReset(u) }) : null,
              manage && u.id !== actor.user_id
                ? u.active
                  ? button({ testid: 'user-deactivate', kind: 'ghost', class: 'btn btn-ghost btn-danger-text', label: t('settings.users.deactivate'), onclick: () => setActive(u, false) })
                  : button({ testid: 'user-activate', kind: 'ghost', label: t('settings.users.activate'), onclick: () => setActive(u, true) })
                : null,
            )
          : null,
      );

    const body = h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table', 'data-testid': 'user-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, t('settings.users.name')),
            h('th', {}, t('settings.users.role')),
            h('th', {}, t('settings.users.department_title')),
            h('th', {}, t('settings.users.contact')),
            h('th', {}, t('settings.users.last_login')),
            h('th', {}, t('common.status')),
            manage || resetOk ? h('th', { class: 'col-actions' }, h('span', { class: 'sr-only' }, t('common.actions'))) : null,
          ),
        ),
        h('tbody', {}, users.map(row)),
      ),
    );
    return card(t('settings.users.title'), { actions: add }, body);
  }

  return { el: h('div', { class: 'tab-body' }, manage ? null : readOnlyNote(), panel.el), destroy: panel.destroy };
}

function openEditor(user, departments) {
  const isNew = !user;
  const username = input({ testid: 'user-username', value: user?.username ?? '', maxlength: 200, disabled: !isNew });
  const display = input({ testid: 'user-display-name', value: user?.display_name ?? '', maxlength: 200 });
  const role = select({ testid: 'user-role', choices: ROLES.map((r) => [r, t(`role.${r}`)]), value: user?.role ?? 'staff' });
  const dept = select({
    testid: 'user-department',
    choices: [['', t('settings.users.no_department')], ...departments.filter((d) => !d.archived || d.id === user?.department_id).map((d) => [d.id, d.name])],
    value: user?.department_id ?? '',
  });
  const title = input({ testid: 'user-title', value: user?.title ?? '', maxlength: 200 });
  const phone = input({ testid: 'user-phone', type: 'tel', value: user?.phone ?? '', maxlength: 200 });
  const email = input({ testid: 'user-email', type: 'email', value: user?.email ?? '', maxlength: 200 });
  const password = isNew ? input({ testid: 'user-password', type: 'password', autocomplete: 'new-password' }) : null;
  const common = () => ({
    display_name: display.value,
    role: role.value,
    title: title.value,
    department_id: dept.value ? Number(dept.value) : null,
    phone: phone.value,
    email: email.value,
  });
  return formDialog({
    title: isNew ? t('settings.users.add_title') : t('settings.users.edit_title', { name: user.display_name }),
    testid: 'user-dialog',
    prefix: 'user',
    fields: [
      field({ name: 'username', label: t('settings.users.username'), control: username, required: isNew, hint: isNew ? t('settings.users.username_hint') : null }),
      field({ name: 'display_name', label: t('settings.users.display_name'), control: display, required: true }),
      field({ name: 'role', label: t('settings.users.role'), control: role, required: true }),
      field({ name: 'department_id', label: t('settings.users.department'), control: dept }),
      field({ name: 'title', label: t('settings.users.title_col'), control: title }),
      field({ name: 'phone', label: t('settings.users.phone'), control: phone }),
      field({ name: 'email', label: t('settings.users.email'), control: email }),
      isNew ? field({ name: 'password', label: t('settings.users.initial_password'), control: password, required: true, hint: t('settings.users.initial_password_hint', { min: MIN_PASSWORD_LEN }) }) : null,
    ],
    action: async () => {
      if (isNew) {
        const problem = checkNewPassword(password.value, password.value);
        if (problem) throw problem;
        const created = await api.userCreate({ username: username.value, ...common(), password: password.value });
        toast(t('settings.users.created', { name: created.display_name }), { kind: 'success' });
        return created;
      }
      const saved = await api.userUpdate(user.id, updateInput(user, common()));
      toast(t('common.saved'), { kind: 'success' });
      return saved;
    },
  });
}

function openReset(user) {
  const password = input({ testid: 'reset-password-new', type: 'password', autocomplete: 'new-password' });
  return formDialog({
    title: t('settings.users.reset_title', { name: user.display_name }),
    testid: 'reset-password-dialog',
    prefix: 'reset-password',
    fields: [
      h('p', { class: 'muted' }, t('settings.users.reset_note')),
      field({ name: 'password', label: t('settings.users.new_password'), control: password, required: true, hint: t('password.rule', { min: MIN_PASSWORD_LEN }) }),
    ],
    action: async () => {
      const problem = checkNewPassword(password.value, password.value);
      if (problem) throw problem;
      await api.userResetPassword(user.id, password.value);
      toast(t('settings.users.reset_done', { name: user.display_name }), { kind: 'success' });
      return true;
    },
  });
}
