// The intake dialog (登记反馈): customer by search-as-you-type or an unknown name + phone,
// channel, two-level category with its definition as a hint, priority with its definition,
// description, and the complaint fields when the category is a complaint. Ctrl+Enter submits.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import * as api from '../../api.js';
import { ApiError } from '../../api.js';
import { field, input, select } from '../../components/form.js';
import { toast } from '../../components/toast.js';
import { actionDialog, textarea } from './common.js';
import { CHANNELS, PRIORITIES } from './sla.js';

/** Open the intake dialog; resolves with the created item's detail, or null. */
export function intakeDialog(refs) {
  let picked = null;
  let seq = 0;
  let timer = null;

  // Customer: type to search; pick from the list (arrow keys + Enter, or click).
  const search = input({ testid: 'intake-customer', type: 'search', placeholder: t('feedback.intake.customer_placeholder'), role: 'combobox', 'aria-expanded': 'false', 'aria-autocomplete': 'list', 'aria-controls': 'intake-customer-list', id: 'intake-customer-input' });
  const list = h('ul', { class: 'fb-options', id: 'intake-customer-list', role: 'listbox', 'data-testid': 'intake-customer-options', hidden: true });
  const chip = h('div', { class: 'fb-picked', hidden: true });
  const unknownName = input({ testid: 'intake-unknown-name', maxlength: 200 });
  const unknownPhone = input({ testid: 'intake-unknown-phone', type: 'tel', maxlength: 50 });
  const unknownBox = h(
    'div',
    { class: 'fb-unknown' },
    h('p', { class: 'field-hint' }, t('feedback.intake.unknown_hint')),
    h('div', { class: 'fb-row2' }, field({ name: 'unknown_name', label: t('feedback.intake.unknown_name'), control: unknownName }), field({ name: 'unknown_phone', label: t('feedback.intake.unknown_phone'), control: unknownPhone })),
  );

  const showOptions = (hits) => {
    list.replaceChildren(
      ...(hits.length
        ? hits.map((c, i) =>
            h(
              'li',
              { class: 'fb-option', role: 'option', id: `intake-opt-${i}`, 'data-testid': 'intake-customer-option', dataset: { id: c.id }, 'aria-selected': i === 0 ? 'true' : 'false', onmousedown: (e) => { e.preventDefault(); pick(c); } },
              h('span', {}, c.name),
              h('span', { class: 'muted mono' }, c.number),
            ),
          )
        : [h('li', { class: 'fb-option muted', role: 'presentation' }, t('feedback.intake.no_match'))]),
    );
    list.hidden = false;
    search.setAttribute('aria-expanded', 'true');
  };
  const hideOptions = () => {
    list.hidden = true;
    search.setAttribute('aria-expanded', 'false');
  };
  const lookup = () => {
    const q = search.value.trim();
    const mine = ++seq;
    if (!q) {
      hideOptions();
      return;
    }
    api.customerLookup(q).then((hits) => {
      if (mine === seq && search.isConnected) showOptions(hits);
    }, () => hideOptions());
  };
  const pick = (c) => {
    picked = c;
    hideOptions();
    search.value = '';
    search.hidden = true;
    unknownBox.hidden = true;
    chip.replaceChildren(
      h('span', { class: 'fb-picked-name', 'data-testid': 'intake-customer-picked' }, c.name),
      h('span', { class: 'muted mono' }, c.number),
      h('button', { type: 'button', class: 'btn btn-ghost btn-icon', 'data-testid': 'intake-customer-clear', 'aria-label': t('feedback.intake.clear_customer'), onclick: unpick }, '×'),
    );
    chip.hidden = false;
    channel.focus();
  };
  const unpick = () => {
    picked = null;
    chip.hidden = true;
    search.hidden = false;
    unknownBox.hidden = false;
    search.focus();
  };
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });
  search.addEventListener('blur', () => setTimeout(hideOptions, 100));
  search.addEventListener('keydown', (e) => {
    const opts = [...list.querySelectorAll('[data-testid="intake-customer-option"]')];
    if (list.hidden || !opts.length) return;
    let i = opts.findIndex((o) => o.getAttribute('aria-selected') === 'true');
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      i = (i + (e.key === 'ArrowDown' ? 1 : -1) + opts.length) % opts.length;
      opts.forEach((o, j) => o.setAttribute('aria-selected', j === i ? 'true' : 'false'));
      search.setAttribute('aria-activedescendant', opts[i].id);
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && i >= 0) {
      e.preventDefault();
      const id = Number(opts[i].dataset.id);
      api.customerLookup(search.value.trim()).then((hits) => {
        const c = hits.find((x) => x.id === id);
        if (c) pick(c);
      });
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      e.preventDefault();
      hideOptions();
    }
  });

  const channel = select({ testid: 'intake-channel', choices: CHANNELS.map((c) => [c, t(`feedback.channel.${c}`)]), value: 'phone_hotline' });

  // Two-level category: <optgroup> per top level, sub-categories (not retired) inside.
  const tops = refs.categories.filter((c) => !c.parent_id && !c.retired);
  const category = h(
    'select',
    { class: 'input select', id: 'intake-category', 'data-testid': 'intake-category' },
    h('option', { value: '' }, t('feedback.choose')),
    tops.map((top) =>
      h('optgroup', { label: refs.catName(top.id) }, refs.categories.filter((c) => c.parent_id === top.id && !c.retired).map((c) => h('option', { value: String(c.id) }, refs.catName(c.id)))),
    ),
  );
  const categoryHint = h('div', { class: 'field-hint', 'data-testid': 'intake-category-hint' }, t('feedback.intake.category_hint'));

  const priority = select({ testid: 'intake-priority', id: 'intake-priority', choices: PRIORITIES.map((p) => [p, t(`feedback.priority.${p}`)]), value: 'normal' });
  const priorityHint = h('div', { class: 'field-hint', 'data-testid': 'intake-priority-hint' }, t('feedback.priority_hint.normal'));
  priority.addEventListener('change', () => {
    priorityHint.textContent = t(`feedback.priority_hint.${priority.value}`);
  });

  const description = textarea({ testid: 'intake-description', rows: 4, placeholder: t('feedback.intake.description_placeholder') });
  const occurred = input({ testid: 'intake-occurred-at', type: 'datetime-local' });
  const impact = input({ testid: 'intake-impact', maxlength: 2000 });
  const expectation = input({ testid: 'intake-expectation', maxlength: 2000 });
  const complaintBox = h(
    'div',
    { class: 'fb-complaint field-wide', hidden: true, 'data-testid': 'intake-complaint-fields' },
    h('div', { class: 'fb-row3' },
      field({ name: 'occurred_at', label: t('feedback.occurred_at'), control: occurred }),
      field({ name: 'impact', label: t('feedback.impact'), control: impact }),
      field({ name: 'customer_expectation', label: t('feedback.customer_expectation'), control: expectation }),
    ),
  );
  category.addEventListener('change', () => {
    const id = Number(category.value);
    categoryHint.textContent = id ? refs.catDefinition(id) || t('feedback.intake.category_hint') : t('feedback.intake.category_hint');
    complaintBox.hidden = !(id && refs.isComplaint(id));
  });

  const customerField = h(
    'div',
    { class: 'field field-wide fb-customer', dataset: { field: 'customer_id' } },
    h('label', { class: 'field-label', for: 'intake-customer-input' }, t('feedback.customer'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    chip,
    h('div', { class: 'fb-combo' }, search, list),
    unknownBox,
  );

  return actionDialog({
    title: t('feedback.intake.title'),
    testid: 'feedback-intake',
    prefix: 'intake',
    submitTestid: 'intake-submit',
    submitLabel: t('feedback.intake.submit'),
    wide: true,
    fields: [
      customerField,
      field({ name: 'channel', label: t('feedback.channel_label'), control: channel, required: true }),
      h('div', { class: 'field', dataset: { field: 'category_id' } }, h('label', { class: 'field-label', for: 'intake-category' }, t('feedback.category'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), category, categoryHint),
      h('div', { class: 'field', dataset: { field: 'priority' } }, h('label', { class: 'field-label', for: 'intake-priority' }, t('feedback.priority_label'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')), priority, priorityHint),
      field({ name: 'description', label: t('feedback.description'), control: description, required: true, className: 'field-wide' }),
      complaintBox,
      h('p', { class: 'muted fb-kbd-hint field-wide' }, t('feedback.intake.ctrl_enter')),
    ],
    initialFocus: search,
    action: async () => {
      if (!category.value) throw new ApiError({ code: 'field.required', field: 'category_id' });
      if (!picked && !unknownName.value.trim() && !unknownPhone.value.trim()) throw new ApiError({ code: 'feedback.customer_required', field: 'customer_id' });
      const detail = await api.feedbackCreate({
        customer_id: picked?.id ?? null,
        unknown_name: picked ? '' : unknownName.value,
        unknown_phone: picked ? '' : unknownPhone.value,
        channel: channel.value,
        category_id: Number(category.value),
        priority: priority.value,
        description: description.value,
        occurred_at: !complaintBox.hidden && occurred.value ? new Date(occurred.value).toISOString() : null,
        impact: complaintBox.hidden ? '' : impact.value,
        customer_expectation: complaintBox.hidden ? '' : expectation.value,
      });
      toast(t('feedback.intake.created', { number: detail.item.number }), { kind: 'success' });
      return detail;
    },
  });
}
