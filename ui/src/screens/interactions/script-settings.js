// Settings › Interactions: the attachment size limit (admins change it; 50 MB by default) and
// the call scripts (话术): every script by purpose, in both languages side by side, with
// which ones were changed from the shipped default. Supervisors and admins edit a script's
// title and text (with the placeholders listed, a click inserts one) or put it back to the
// default; a save made on a stale copy is refused by the core (template.version_conflict) and
// the tab reloads so nobody's edit is silently overwritten. Everyone else may look.
import './interactions.css';
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { field, input, button, formErrors, onSubmit } from '../../components/form.js';
import { formDialog } from '../../components/form-dialog.js';
import { confirm } from '../../components/dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { readOnlyNote, card, asyncPanel } from '../settings/common.js';

/** The placeholders a script may use: Chinese name, English name, and what fills it. */
export const PLACEHOLDER_HELP = [
  ['客户名称', 'customer', 'script.ph.customer'],
  ['联系人', 'contact', 'script.ph.contact'],
  ['职位', 'position', 'script.ph.position'],
  ['我的名字', 'my_name', 'script.ph.my_name'],
  ['我的电话', 'my_phone', 'script.ph.my_phone'],
  ['上次回访日期', 'last_callback_date', 'script.ph.last_callback_date'],
];

const LOCALES = ['zh-CN', 'en'];

function insertAt(area, text) {
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? start;
  area.value = area.value.slice(0, start) + text + area.value.slice(end);
  area.focus();
  area.setSelectionRange(start + text.length, start + text.length);
  area.dispatchEvent(new Event('input', { bubbles: true }));
}

function placeholderHelp(area, lang) {
  return h('div', { class: 'field field-wide', 'data-testid': 'script-placeholders' },
    h('span', { class: 'field-label' }, t('script.placeholders')),
    h('p', { class: 'muted small' }, t('script.placeholders_hint')),
    h('div', { class: 'ix-ph-list' }, PLACEHOLDER_HELP.map(([zh, en, key]) => {
      const name = `{${lang === 'en' ? en : zh}}`;
      return h('button', { type: 'button', class: 'btn btn-ghost btn-sm ix-ph', 'data-testid': 'script-ph-insert', dataset: { name }, title: t(key), onclick: () => insertAt(area, name) },
        h('span', { class: 'mono' }, name), h('span', { class: 'muted small' }, t(key)));
    })));
}

function editScript(tpl, onConflict) {
  const title = input({ testid: 'script-edit-title', maxlength: 200, value: tpl.title });
  const body = h('textarea', { class: 'input textarea', 'data-testid': 'script-edit-body', rows: 10, value: tpl.body });
  return formDialog({
    title: t('script.edit_title', { purpose: t(`script.purpose.${tpl.purpose}`), lang: t(`script.lang.${tpl.locale}`) }),
    testid: 'script-edit-dialog',
    prefix: 'script-edit',
    fields: [
      field({ name: 'title', label: t('script.field.title'), control: title, required: true, className: 'field-wide' }),
      field({ name: 'body', label: t('script.field.body'), control: body, required: true, className: 'field-wide' }),
      placeholderHelp(body, tpl.locale),
    ],
    action: async () => {
      try {
        return await api.templateUpdate(tpl.id, tpl.version, title.value, body.value);
      } catch (err) {
        // Someone saved meanwhile: the form shows why; the list behind it shows their version.
        if (err?.code === 'template.version_conflict') onConflict();
        throw err;
      }
    },
    initialFocus: body,
  });
}

const MB = 1024 * 1024;

/** The attachment size limit card: the limit in MB, editable by admins. */
function limitCard(bytes, { editable, onSaved }) {
  const mb = input({ testid: 'attachment-limit', type: 'number', min: 1, max: 2048, step: 1, value: String(Math.round(bytes / MB)), disabled: !editable, id: 'attachment-limit' });
  const form = h('form', { class: 'form', 'data-testid': 'attachment-limit-form', novalidate: true });
  const errors = formErrors(form, { aliases: { max_bytes: 'max_bytes' } });
  onSubmit(form, errors, async () => {
    const n = Number(mb.value);
    const saved = await api.attachmentLimitSet(Number.isFinite(n) ? Math.round(n * MB) : 0);
    toast(t('attachments.limit_saved', { mb: Math.round(saved / MB) }), { kind: 'success' });
    onSaved?.();
  });
  form.append(
    h('div', { class: 'form-error-slot' }),
    h('div', { class: 'form-grid' }, field({ name: 'max_bytes', label: t('attachments.limit_label'), control: mb, hint: t('attachments.limit_hint') })),
    editable ? h('div', { class: 'form-actions' }, button({ testid: 'attachment-limit-save', kind: 'primary', type: 'submit', label: t('common.save') })) : null,
  );
  return card(t('attachments.limit_title'), { testid: 'attachment-limit-card' }, form);
}

export function mountInteractionSettingsTab({ actor }) {
  const editable = actor.role === 'admin' || actor.role === 'supervisor';
  const load = async () => {
    const [list, limit] = await Promise.all([api.templateList(null), api.attachmentLimitGet()]);
    return { list, limit };
  };
  const panel = asyncPanel(load, render, { retryTestid: 'scripts-settings-retry' });
  const reload = () => panel.reload();

  /** After a failed save or reset: say why, and reload when someone else changed it. */
  const failed = (err) => {
    toastError(err);
    if (err?.code === 'template.version_conflict') reload();
  };

  function column(tpl) {
    if (!tpl) return h('div', { class: 'ix-script-col muted' }, '—');
    const edit = editable
      ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'script-edit', onclick: async () => {
          try {
            const saved = await editScript(tpl, reload);
            if (saved) {
              toast(t('script.saved'), { kind: 'success' });
              reload();
            }
          } catch (err) {
            failed(err);
          }
        } }, t('common.edit'))
      : null;
    const reset = editable && tpl.customised
      ? h('button', { type: 'button', class: 'btn btn-ghost btn-sm', 'data-testid': 'script-reset', onclick: async () => {
          const ok = await confirm({ title: t('script.reset_title'), message: t('script.reset_message', { title: tpl.title }), confirmLabel: t('script.reset') });
          if (!ok) return;
          try {
            await api.templateReset(tpl.id, tpl.version);
            toast(t('script.reset_done'), { kind: 'success' });
            reload();
          } catch (err) {
            failed(err);
          }
        } }, t('script.reset'))
      : null;
    return h('div', { class: 'ix-script-col', 'data-testid': 'script-settings-item', dataset: { id: tpl.id, purpose: tpl.purpose, locale: tpl.locale, customised: String(tpl.customised) } },
      h('div', { class: 'ix-script-col-head' },
        h('span', { class: 'badge badge-muted' }, t(`script.lang.${tpl.locale}`)),
        h('strong', { 'data-testid': 'script-settings-title' }, tpl.title),
        tpl.customised ? h('span', { class: 'badge', 'data-testid': 'script-customised' }, t('script.customised')) : null,
        h('span', { class: 'ix-script-col-actions' }, edit, reset)),
      h('p', { class: 'ix-text small', 'data-testid': 'script-settings-body' }, tpl.body));
  }

  function render({ list, limit }) {
    const purposes = [...new Set(list.map((x) => x.purpose))];
    const find = (purpose, locale) => list.find((x) => x.purpose === purpose && x.locale === locale);
    return h('div', { class: 'tab-body' },
      limitCard(limit, { editable: actor.role === 'admin', onSaved: reload }),
      h('h2', { class: 'ix-settings-heading' }, t('script.settings_title')),
      editable ? null : readOnlyNote('script.read_only'),
      h('p', { class: 'muted' }, t('script.settings_hint')),
      purposes.length
        ? purposes.map((p) => card(t(`script.purpose.${p}`), { testid: `script-purpose-${p}` }, h('div', { class: 'ix-script-pair' }, LOCALES.map((l) => column(find(p, l))))))
        : h('p', { class: 'empty-state', 'data-testid': 'scripts-empty' }, t('script.none')));
  }

  return { el: panel.el, destroy: panel.destroy };
}
