// The customer list's saved views (per user, stored by the core: name, filters, sort, columns —
// apply, save as new, update, rename, delete with confirmation) and the column chooser (which
// columns show, in which order).
import { h, options } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { button, field, input } from '../../components/form.js';
import { formDialog } from '../../components/form-dialog.js';
import { openDialog, confirm } from '../../components/dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { LIST_COLUMNS, DEFAULT_COLUMNS, toQuery, stateFromQuery } from './model.js';

/** The view picker and its buttons. `apply()` re-renders the list after the state changed. */
export function viewsBar({ state, apply }) {
  let views = [];
  const picker = h('select', { class: 'input select cu-view-select', 'data-testid': 'customer-view-select', 'aria-label': t('customer.view.pick'), title: t('customer.view.pick'), onchange: () => {
    const v = views.find((x) => String(x.id) === picker.value);
    if (v) {
      Object.assign(state, stateFromQuery(v.query), { columns: [...v.columns], viewId: v.id });
    } else {
      state.viewId = null;
    }
    apply();
  } });
  const current = () => views.find((v) => v.id === state.viewId) ?? null;
  const nameDialog = (title, initial, action) => {
    const name = input({ testid: 'view-name', value: initial, maxlength: '80' });
    return formDialog({ title, testid: 'view-dialog', prefix: 'view', fields: [field({ name: 'name', label: t('customer.view.name'), control: name, required: true })], action: () => action(name.value) });
  };
  const payload = (name) => ({ name, query: toQuery(state, 0, 0), columns: state.columns });

  const saveNew = button({ testid: 'customer-view-save', kind: 'ghost', label: t('customer.view.save_new'), onclick: async () => {
    const v = await nameDialog(t('customer.view.save_new'), '', (name) => api.customerViewSave(null, payload(name)));
    if (v && v !== true) {
      state.viewId = v.id;
      toast(t('customer.view.saved', { name: v.name }), { kind: 'success' });
      apply();
    }
  } });
  const update = button({ testid: 'customer-view-update', kind: 'ghost', label: t('customer.view.update'), onclick: async () => {
    const v = current();
    if (!v) return;
    try {
      await api.customerViewSave(v.id, payload(v.name));
      toast(t('customer.view.saved', { name: v.name }), { kind: 'success' });
      apply();
    } catch (err) {
      toastError(err);
    }
  } });
  const rename = button({ testid: 'customer-view-rename', kind: 'ghost', label: t('customer.view.rename'), onclick: async () => {
    const v = current();
    if (!v) return;
    const done = await nameDialog(t('customer.view.rename'), v.name, (name) => api.customerViewRename(v.id, name));
    if (done) apply();
  } });
  const remove = button({ testid: 'customer-view-delete', kind: 'ghost', label: t('customer.view.delete'), onclick: async () => {
    const v = current();
    if (!v) return;
    if (!(await confirm({ title: t('customer.view.delete'), message: t('customer.view.delete_confirm', { name: v.name }), confirmLabel: t('customer.view.delete'), danger: true }))) return;
    try {
      await api.customerViewDelete(v.id);
      state.viewId = null;
      apply();
    } catch (err) {
      toastError(err);
    }
  } });
  const forCurrent = [update, rename, remove];
  const bar = h('div', { class: 'cu-views', 'data-testid': 'customer-views' }, picker, saveNew, forCurrent);

  const fill = () => {
    picker.replaceChildren(...options([['', t('customer.view.none')], ...views.map((v) => [v.id, v.name])], state.viewId ?? ''));
    for (const b of forCurrent) b.hidden = !current();
  };
  fill();
  api.customerViewsList().then(
    (list) => {
      views = list;
      if (state.viewId !== null && !current()) state.viewId = null;
      fill();
    },
    toastError,
  );
  return bar;
}

/** The "Columns" button: a dialog of every column with a checkbox and up / down buttons. */
export function columnChooser({ state, onChange }) {
  return button({ testid: 'customer-columns', kind: 'ghost', onclick: () => openChooser(state, onChange) }, t('customer.columns'));
}

function openChooser(state, onChange) {
  // Shown columns first in their order, then the hidden ones.
  let order = [...state.columns, ...LIST_COLUMNS.filter((c) => !state.columns.includes(c))];
  const shown = new Set(state.columns);
  const list = h('ol', { class: 'cu-columns', 'data-testid': 'columns-list' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true }, t('error.view.columns_empty'));
  const move = (col, by) => {
    const i = order.indexOf(col);
    const j = i + by;
    if (j < 0 || j >= order.length) return;
    order = order.slice();
    [order[i], order[j]] = [order[j], order[i]];
    render(col, by < 0 ? 'up' : 'down');
  };
  function render(focusCol, focusDir) {
    list.replaceChildren(...order.map((col, i) => {
      const box = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'column-toggle', dataset: { column: col }, checked: shown.has(col), onchange: () => {
        if (box.checked) shown.add(col);
        else shown.delete(col);
      } });
      return h(
        'li',
        { class: 'cu-column-row', 'data-testid': 'column-row', dataset: { column: col } },
        h('label', { class: 'check-label' }, box, h('span', {}, t(`customer.col.${col}`))),
        h('span', { class: 'cu-column-move' },
          button({ testid: 'column-up', kind: 'ghost', label: '↑', 'aria-label': t('customer.columns_up', { col: t(`customer.col.${col}`) }), disabled: i === 0, onclick: () => move(col, -1) }),
          button({ testid: 'column-down', kind: 'ghost', label: '↓', 'aria-label': t('customer.columns_down', { col: t(`customer.col.${col}`) }), disabled: i === order.length - 1, onclick: () => move(col, 1) })),
      );
    }));
    if (focusCol) list.querySelector(`li[data-column="${focusCol}"] [data-testid="column-${focusDir}"]:not([disabled])`)?.focus();
  }
  render();
  let dlg;
  dlg = openDialog({
    title: t('customer.columns'),
    testid: 'columns-dialog',
    body: [h('p', { class: 'muted' }, t('customer.columns_hint')), error, list],
    actions: [
      button({ testid: 'columns-reset', kind: 'ghost', label: t('customer.columns_reset'), onclick: () => {
        order = [...DEFAULT_COLUMNS, ...LIST_COLUMNS.filter((c) => !DEFAULT_COLUMNS.includes(c))];
        shown.clear();
        DEFAULT_COLUMNS.forEach((c) => shown.add(c));
        render();
      } }),
      button({ testid: 'columns-cancel', label: t('common.cancel'), onclick: () => dlg.close(null) }),
      button({ testid: 'columns-apply', kind: 'primary', label: t('customer.columns_apply'), onclick: () => {
        const cols = order.filter((c) => shown.has(c));
        if (!cols.length) {
          error.hidden = false;
          return;
        }
        state.columns = cols;
        dlg.close(true);
        onChange();
      } }),
    ],
  });
}
