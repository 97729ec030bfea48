// Settings › Departments: list; admins add and edit (code, name, head, archived).
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { can } from '../../logic/catalog.js';
import { field, input, select, checkbox, button } from '../../components/form.js';
import { formDialog } from '../../components/form-dialog.js';
import { toast } from '../../components/toast.js';
import { icon } from '../../components/icons.js';
import { readOnlyNote, card, asyncPanel } from './common.js';

export function mountDepartmentsTab({ actor }) {
  const editable = can(actor.role, 'team_edit');
  const load = () => Promise.all([api.departmentsList(), api.usersList()]);
  const panel = asyncPanel(load, ([departments, users]) => table(departments, users));

  function table(departments, users) {
    const userName = new Map(users.map((u) => [u.id, u.display_name]));
    const edit = (dept) => openEditor(dept, users).then((saved) => saved && panel.reload());
    const add = editable ? button({ testid: 'department-add', kind: 'primary', onclick: () => edit(null) }, icon('plus', { size: 16 }), t('settings.departments.add')) : null;
    const body = departments.length
      ? h(
          'table',
          { class: 'table', 'data-testid': 'department-table' },
          h('thead', {}, h('tr', {}, h('th', {}, t('settings.departments.code')), h('th', {}, t('settings.departments.name')), h('th', {}, t('settings.departments.head')), h('th', {}, t('common.status')), editable ? h('th', { class: 'col-actions' }, h('span', { class: 'sr-only' }, t('common.actions'))) : null)),
          h(
            'tbody',
            {},
            departments.map((d) =>
              h(
                'tr',
                { 'data-testid': 'department-row', dataset: { code: d.code, id: d.id }, class: d.archived ? 'is-muted' : null },
                h('td', { class: 'mono' }, d.code),
                h('td', {}, d.name),
                h('td', {}, d.head_user_id ? (userName.get(d.head_user_id) ?? `#${d.head_user_id}`) : h('span', { class: 'muted' }, t('settings.departments.no_head'))),
                h('td', {}, d.archived ? h('span', { class: 'badge badge-muted' }, t('settings.departments.archived')) : h('span', { class: 'badge badge-ok' }, t('settings.departments.active'))),
                editable ? h('td', { class: 'col-actions' }, button({ testid: 'department-edit', kind: 'ghost', label: t('common.edit'), 'aria-label': t('settings.departments.edit_named', { name: d.name }), onclick: () => edit(d) })) : null,
              ),
            ),
          ),
        )
      : h('div', { class: 'empty-state' }, h('p', {}, t('settings.departments.empty')), editable ? h('p', { class: 'muted' }, t('settings.departments.empty_next')) : null);
    return card(t('settings.departments.title'), { actions: add }, body);
  }

  return { el: h('div', { class: 'tab-body' }, editable ? null : readOnlyNote(), panel.el), destroy: panel.destroy };
}

function openEditor(dept, users) {
  const code = input({ testid: 'department-code', value: dept?.code ?? '', maxlength: 200 });
  const name = input({ testid: 'department-name', value: dept?.name ?? '', maxlength: 200 });
  const heads = users.filter((u) => u.active || u.id === dept?.head_user_id);
  const head = select({ testid: 'department-head', choices: [['', t('settings.departments.no_head')], ...heads.map((u) => [u.id, `${u.display_name} (${u.username})`])], value: dept?.head_user_id ?? '' });
  const archived = checkbox({ testid: 'department-archived', name: 'archived', label: t('settings.departments.archived_label'), checked: !!dept?.archived, hint: t('settings.departments.archived_hint') });
  return formDialog({
    title: dept ? t('settings.departments.edit_title') : t('settings.departments.add_title'),
    testid: 'department-dialog',
    prefix: 'department',
    fields: [
      field({ name: 'code', label: t('settings.departments.code'), control: code, required: true, hint: t('settings.departments.code_hint') }),
      field({ name: 'name', label: t('settings.departments.name'), control: name, required: true }),
      field({ name: 'head_user_id', label: t('settings.departments.head'), control: head }),
      archived,
    ],
    action: async () => {
      const saved = await api.departmentSave(dept?.id ?? null, {
        code: code.value,
        name: name.value,
        head_user_id: head.value ? Number(head.value) : null,
        archived: archived.querySelector('input').checked,
      });
      toast(t('common.saved'), { kind: 'success' });
      return saved;
    },
  });
}
