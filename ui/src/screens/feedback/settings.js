// Settings › Feedback: categories (two levels; add, rename, retire), routing rules (which
// departments handle each sub-category, the first leads), the SLA policy per priority, and each
// department's assignment mode. Everyone may look; only admins change anything.
import { h, options } from '../../dom.js';
import { t, errorText } from '../../i18n.js';
import * as api from '../../api.js';
import { field, input, select, button } from '../../components/form.js';
import { formDialog } from '../../components/form-dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { icon } from '../../components/icons.js';
import { readOnlyNote, card, asyncPanel } from '../settings/common.js';
import { makeRefs, textarea } from './common.js';
import { PRIORITIES } from './sla.js';

export function mountFeedbackSettingsTab({ actor }) {
  const editable = actor.role === 'admin';
  const load = async () => {
    const [categories, departments, users, rules, policy, modes] = await Promise.all([
      api.feedbackCategories(), api.departmentsList(), api.usersList(), api.feedbackRoutingRules(), api.feedbackSlaPolicyGet(), api.feedbackAssignmentModes(),
    ]);
    return { refs: makeRefs(categories, departments, users), rules, policy, modes };
  };
  const panel = asyncPanel(load, render, { retryTestid: 'feedback-settings-retry' });
  const reload = () => panel.reload();

  function render({ refs, rules, policy, modes }) {
    return h('div', { class: 'tab-body' }, categoriesCard(refs), routingCard(refs, rules), slaCard(policy), modesCard(refs, modes));
  }

  function categoriesCard(refs) {
    const tops = refs.categories.filter((c) => !c.parent_id);
    const row = (c, sub) =>
      h(
        'tr',
        { 'data-testid': 'category-row', dataset: { code: c.code, id: c.id }, class: c.retired ? 'is-muted' : null },
        h('td', { class: sub ? 'fb-sub' : 'fb-top' }, sub ? `　${refs.catName(c.id)}` : refs.catName(c.id)),
        h('td', { class: 'mono' }, c.code),
        h('td', { class: 'muted fb-def' }, refs.catDefinition(c.id)),
        h('td', {}, c.retired ? h('span', { class: 'badge badge-muted' }, t('feedback.settings.retired')) : h('span', { class: 'badge badge-ok' }, t('feedback.settings.in_use'))),
        editable
          ? h('td', { class: 'col-actions' },
              sub ? null : button({ testid: 'category-add-sub', kind: 'ghost', label: t('feedback.settings.add_sub'), onclick: () => categoryEditor(null, c).then((ok) => ok && reload()) }),
              button({ testid: 'category-edit', kind: 'ghost', label: t('common.edit'), onclick: () => categoryEditor(c, null).then((ok) => ok && reload()) }),
              button({ testid: 'category-retire', kind: 'ghost', label: t(c.retired ? 'feedback.settings.restore' : 'feedback.settings.retire'), onclick: () => api.feedbackCategoryRetire(c.id, !c.retired).then(reload, toastError) }),
            )
          : null,
      );
    const add = editable ? button({ testid: 'category-add', kind: 'primary', onclick: () => categoryEditor(null, null).then((ok) => ok && reload()) }, icon('plus', { size: 16 }), t('feedback.settings.add_top')) : null;
    return card(
      t('feedback.settings.categories'),
      { actions: add, testid: 'feedback-categories' },
      h('p', { class: 'muted' }, t('feedback.settings.categories_hint')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('feedback.settings.name')), h('th', {}, t('feedback.settings.code')), h('th', {}, t('feedback.settings.definition')), h('th', {}, t('common.status')), editable ? h('th', { class: 'col-actions' }, h('span', { class: 'sr-only' }, t('common.actions'))) : null)),
        h('tbody', {}, tops.flatMap((top) => [row(top, false), ...refs.categories.filter((c) => c.parent_id === top.id).map((c) => row(c, true))])),
      )),
    );
  }

  function categoryEditor(cat, parent) {
    const code = input({ testid: 'category-code', value: cat?.code ?? '', maxlength: 60, disabled: !!cat });
    const nameZh = input({ testid: 'category-name-zh', value: cat?.name_zh ?? '', maxlength: 200 });
    const nameEn = input({ testid: 'category-name-en', value: cat?.name_en ?? '', maxlength: 200 });
    const defZh = textarea({ testid: 'category-definition-zh', value: cat?.definition_zh ?? '', rows: 2 });
    const defEn = textarea({ testid: 'category-definition-en', value: cat?.definition_en ?? '', rows: 2 });
    return formDialog({
      title: cat ? t('feedback.settings.edit_category') : parent ? t('feedback.settings.add_sub_to', { name: parent.name_zh }) : t('feedback.settings.add_top'),
      testid: 'category-dialog',
      prefix: 'category',
      fields: [
        field({ name: 'code', label: t('feedback.settings.code'), control: code, required: true, hint: t('feedback.settings.code_hint') }),
        field({ name: 'name_zh', label: t('feedback.settings.name_zh'), control: nameZh, required: true }),
        field({ name: 'name_en', label: t('feedback.settings.name_en'), control: nameEn, required: true }),
        field({ name: 'definition_zh', label: t('feedback.settings.definition_zh'), control: defZh }),
        field({ name: 'definition_en', label: t('feedback.settings.definition_en'), control: defEn }),
      ],
      action: async () => {
        const body = { name_zh: nameZh.value, name_en: nameEn.value, definition_zh: defZh.value, definition_en: defEn.value };
        const saved = cat ? await api.feedbackCategoryRename(cat.id, body) : await api.feedbackCategoryAdd(parent?.id ?? null, code.value, body);
        toast(t('common.saved'), { kind: 'success' });
        return saved;
      },
    });
  }

  function routingCard(refs, rules) {
    const byCode = new Map(refs.departments.map((d) => [d.code, d]));
    const rows = rules.map((r) =>
      h(
        'tr',
        { 'data-testid': 'routing-row', dataset: { category: r.category_id } },
        h('td', {}, refs.catPath(r.category_id)),
        h('td', {}, r.department_codes.length
          ? r.department_codes.map((c, i) => h('span', { class: ['badge', i === 0 ? 'fb-lead' : null] }, `${byCode.get(c)?.name ?? c}${i === 0 ? ` (${t('feedback.settings.lead')})` : ''}`))
          : h('span', { class: 'muted' }, t('feedback.settings.no_route'))),
        editable ? h('td', { class: 'col-actions' }, button({ testid: 'routing-edit', kind: 'ghost', label: t('common.edit'), onclick: () => routingEditor(refs, r).then((ok) => ok && reload()) })) : null,
      ),
    );
    return card(
      t('feedback.settings.routing'),
      { testid: 'feedback-routing' },
      h('p', { class: 'muted' }, t('feedback.settings.routing_hint')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('feedback.category')), h('th', {}, t('feedback.settings.departments')), editable ? h('th', { class: 'col-actions' }, h('span', { class: 'sr-only' }, t('common.actions'))) : null)),
        h('tbody', {}, rows),
      )),
    );
  }

  function routingEditor(refs, rule) {
    const active = refs.departments.filter((d) => !d.archived);
    const lead = select({ testid: 'routing-lead', choices: [['', t('feedback.settings.no_route')], ...active.map((d) => [d.code, d.name])], value: rule.department_codes[0] ?? '' });
    const boxes = active.map((d) => {
      const box = h('input', { type: 'checkbox', class: 'checkbox', 'data-testid': 'routing-collaborator', dataset: { code: d.code }, checked: rule.department_codes.slice(1).includes(d.code) });
      return h('label', { class: 'check-label' }, box, h('span', {}, d.name));
    });
    return formDialog({
      title: t('feedback.settings.edit_routing', { name: refs.catPath(rule.category_id) }),
      testid: 'routing-dialog',
      prefix: 'routing',
      fields: [
        field({ name: 'department_codes', label: t('feedback.lead_department'), control: lead }),
        h('fieldset', { class: 'fieldset fb-checks' }, h('legend', {}, t('feedback.collaborators')), boxes),
      ],
      action: async () => {
        const collab = boxes.map((b) => b.querySelector('input')).filter((b) => b.checked).map((b) => b.dataset.code).filter((c) => c !== lead.value);
        const codes = lead.value ? [lead.value, ...collab] : [];
        const saved = await api.feedbackRoutingSet({ category_id: rule.category_id, department_codes: codes });
        toast(t('common.saved'), { kind: 'success' });
        return saved;
      },
    });
  }

  function slaCard(policy) {
    const controls = [];
    const target = (p, which) => {
      const tg = policy[p][which];
      const amount = h('input', { class: 'input fb-amount', type: 'number', min: '1', step: '1', 'data-testid': `sla-${p}-${which}-amount`, value: String(tg.amount), disabled: !editable, 'aria-label': `${t(`feedback.priority.${p}`)} ${t(`feedback.settings.${which}`)}` });
      const unit = h('select', { class: 'input select fb-unit', 'data-testid': `sla-${p}-${which}-unit`, disabled: !editable }, options(['minutes', 'hours', 'days'].map((u) => [u, t(`feedback.unit.${u}`)]), tg.unit));
      const basis = h('select', { class: 'input select fb-basis', 'data-testid': `sla-${p}-${which}-basis`, disabled: !editable }, options(['calendar', 'business'].map((b) => [b, t(`feedback.basis.${b}`)]), tg.basis));
      controls.push({ p, which, amount, unit, basis });
      return h('td', {}, h('div', { class: 'fb-target' }, amount, unit, basis));
    };
    const errorSlot = h('div', { class: 'form-error-slot' });
    const save = editable
      ? button({ testid: 'sla-save', kind: 'primary', label: t('common.save'), onclick: async () => {
          const next = structuredClone(policy);
          for (const c of controls) next[c.p][c.which] = { amount: Number(c.amount.value), unit: c.unit.value, basis: c.basis.value };
          errorSlot.replaceChildren();
          try {
            await api.feedbackSlaPolicySet(next);
            toast(t('common.saved'), { kind: 'success' });
            reload();
          } catch (err) {
            errorSlot.replaceChildren(h('div', { class: 'form-error', role: 'alert', 'data-testid': 'form-error' }, errorText(err)));
          }
        } })
      : null;
    return card(
      t('feedback.settings.sla'),
      { actions: save, testid: 'feedback-sla-policy' },
      h('p', { class: 'muted' }, t('feedback.settings.sla_hint')),
      errorSlot,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('feedback.priority_label')), h('th', {}, t('feedback.settings.response')), h('th', {}, t('feedback.settings.resolution')))),
        h('tbody', {}, PRIORITIES.map((p) => h('tr', { 'data-testid': 'sla-row', dataset: { priority: p } }, h('td', {}, h('span', { class: ['badge', 'fb-priority', `fb-priority-${p}`] }, t(`feedback.priority.${p}`)), h('div', { class: 'muted fb-def' }, t(`feedback.priority_hint.${p}`))), target(p, 'response'), target(p, 'resolution')))),
      )),
    );
  }

  function modesCard(refs, modes) {
    const rows = refs.departments.filter((d) => !d.archived).map((d) => {
      const sel = h('select', { class: 'input select', 'data-testid': 'assignment-mode', dataset: { code: d.code }, disabled: !editable, 'aria-label': d.name, onchange: async () => {
        try {
          await api.feedbackAssignmentModeSet(d.code, sel.value);
          toast(t('common.saved'), { kind: 'success' });
        } catch (err) {
          toast(errorText(err), { kind: 'error' });
          reload();
        }
      } }, options(['manual', 'round_robin'].map((m) => [m, t(`feedback.assignment.${m}`)]), modes[d.code] ?? 'manual'));
      return h('tr', {}, h('td', {}, d.name), h('td', {}, sel));
    });
    return card(
      t('feedback.settings.assignment'),
      { testid: 'feedback-assignment-modes' },
      h('p', { class: 'muted' }, t('feedback.settings.assignment_hint')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' }, h('thead', {}, h('tr', {}, h('th', {}, t('feedback.settings.department')), h('th', {}, t('feedback.settings.mode')))), h('tbody', {}, rows))),
    );
  }

  return { el: h('div', { class: 'tab-body' }, editable ? null : readOnlyNote(), panel.el), destroy: panel.destroy };
}
