// The create / edit dialog of a customer (table 1's fields): required fields marked *, a contacts
// sub-form (add, remove, exactly one primary), tags, owner and department; translated errors
// next to the field the core names (for contacts: in the contact concerned); on create, a
// warning about likely duplicates before the first save; on edit by staff, the reason that key
// field changes need. Resolves with the core's answer, or null when cancelled.
import { h, replaceChildren } from '../../dom.js';
import { t, errorText } from '../../i18n.js';
import * as api from '../../api.js';
import { openDialog } from '../../components/dialog.js';
import { formErrors, onSubmit, button, field, input, select } from '../../components/form.js';
import { STAGES, TIERS, parseAmount, amountInput, duplicateProbe, splitTags } from './model.js';
import { needsApproval } from './common.js';

let seq = 0;

const CONTACT_FIELDS = { contact_name: 'name', name: 'name', position: 'position', mobile: 'mobile', landline: 'landline', phone: 'mobile', email: 'email', notes: 'notes', birthday: 'birthday', is_primary: 'primary' };

export function customerDialog({ refs, actor, detail = null }) {
  const editing = !!detail;
  const c = detail?.customer ?? {};
  const form = h('form', { class: 'form cu-form', 'data-testid': 'customer-form', novalidate: true });
  const errors = formErrors(form, { aliases: { amount: 'annual_amount' } });
  const radioName = `cu-primary-${++seq}`;
  let dupChecked = editing;

  const nameIn = input({ testid: 'customer-name', value: c.name ?? '', maxlength: 200, oninput: () => { dupChecked = editing; } });
  const industryList = `cu-industries-${seq}`;
  const industryIn = input({ testid: 'customer-industry', value: c.industry ?? '', list: industryList });
  const stageIn = select({ testid: 'customer-stage', choices: STAGES.map((s) => [s, t(`customer.stage.${s}`)]), value: c.stage ?? 'potential' });
  const tierIn = select({ testid: 'customer-tier', choices: TIERS.map((x) => [x, t('customer.tier_n', { tier: x })]), value: c.tier ?? 'C' });
  const amountIn = input({ testid: 'customer-amount', value: amountInput(c.annual_amount), inputmode: 'decimal', placeholder: '0.00' });
  const dateIn = (testid, value) => input({ testid, type: 'date', value: value ?? '', class: 'input date-input' });
  const coopIn = dateIn('customer-coop-start', c.coop_start);
  const endIn = dateIn('customer-contract-end', c.contract_end);
  const productsIn = input({ testid: 'customer-products', value: c.products ?? '' });
  const sourceIn = input({ testid: 'customer-source', value: c.source ?? '' });
  const feedbackIn = h('textarea', { class: 'input textarea', 'data-testid': 'customer-first-feedback', rows: 2, value: c.first_feedback ?? '' });
  const nextOnIn = dateIn('customer-next-followup-on', c.next_followup_on);
  const nextPlanIn = input({ testid: 'customer-next-followup-plan', value: c.next_followup_plan ?? '' });
  const owners = refs.users.filter((u) => u.active !== false && u.role !== 'viewer');
  const ownerIn = select({ testid: 'customer-owner', choices: owners.map((u) => [u.id, u.display_name]), value: c.owner_user_id ?? actor.user_id, disabled: actor.role === 'staff' && !editing });
  const deptIn = select({ testid: 'customer-department', choices: [['', t('customer.department_of_owner')], ...refs.departments.filter((d) => !d.archived || d.id === c.department_id).map((d) => [d.id, d.name])], value: c.department_id ?? '' });
  const tagList = `cu-tags-${seq}`;
  const tagsIn = input({ testid: 'customer-tags', value: (detail?.tags ?? []).map((x) => x.name).join(', '), list: tagList, placeholder: t('customer.tags_placeholder') });
  const reasonIn = editing && needsApproval(actor) ? h('textarea', { class: 'input textarea', 'data-testid': 'customer-reason', rows: 2 }) : null;

  // Contacts sub-form.
  const contactsBox = h('div', { class: 'cu-contacts', 'data-testid': 'customer-contacts' });
  const contactRows = [];
  function addContact(ct = {}) {
    const row = { id: ct.id ?? null };
    const cin = (testid, key, extra = {}) => input({ testid, value: ct[key] ?? '', ...extra });
    row.name = cin('contact-name', 'name', { 'aria-required': 'true' });
    row.position = cin('contact-position', 'position');
    row.mobile = cin('contact-mobile', 'mobile', { inputmode: 'tel', placeholder: '138 0013 8000', oninput: () => { dupChecked = editing; } });
    row.landline = cin('contact-landline', 'landline', { inputmode: 'tel', placeholder: '010-12345678' });
    row.email = cin('contact-email', 'email', { type: 'email', oninput: () => { dupChecked = editing; } });
    row.birthday = input({ testid: 'contact-birthday', type: 'date', value: ct.birthday ?? '', class: 'input date-input' });
    row.notes = cin('contact-notes', 'notes');
    row.primary = h('input', { type: 'radio', name: radioName, class: 'cu-radio', 'data-testid': 'contact-primary', checked: !!ct.is_primary || contactRows.length === 0 });
    const cf = (key, label, control, required = false) => {
      const wrap = field({ name: `contact-${key}`, label, control, required });
      wrap.dataset.cfield = key;
      delete wrap.dataset.field;
      return wrap;
    };
    row.el = h(
      'fieldset',
      { class: 'cu-contact', 'data-testid': 'contact-row' },
      h(
        'legend',
        { class: 'cu-contact-legend' },
        h('label', { class: 'check-label', 'data-cfield': 'primary' }, row.primary, h('span', {}, t('customer.contact.primary'))),
        button({ testid: 'contact-remove', kind: 'ghost', label: t('customer.contact.remove'), onclick: () => {
          const i = contactRows.indexOf(row);
          contactRows.splice(i, 1);
          row.el.remove();
          if (row.primary.checked && contactRows[0]) contactRows[0].primary.checked = true;
        } }),
      ),
      h(
        'div',
        { class: 'form-grid cu-contact-grid' },
        cf('name', t('customer.contact.name'), row.name, true),
        cf('position', t('customer.contact.position'), row.position),
        cf('mobile', t('customer.contact.mobile'), row.mobile),
        cf('landline', t('customer.contact.landline'), row.landline),
        cf('email', t('customer.contact.email'), row.email),
        cf('birthday', t('customer.contact.birthday'), row.birthday),
        cf('notes', t('customer.contact.notes'), row.notes),
      ),
    );
    contactRows.push(row);
    contactsBox.appendChild(row.el);
    return row;
  }
  for (const ct of detail?.contacts ?? []) addContact(ct);
  if (!editing) addContact();

  // Rows left completely blank are not sent (a new form starts with one).
  const blank = (r) => !r.id && ![r.name, r.position, r.mobile, r.landline, r.email, r.birthday, r.notes].some((x) => x.value.trim());
  let sentRows = [];
  const contactsValue = () => {
    sentRows = contactRows.filter((r) => !blank(r));
    if (sentRows.length && !sentRows.some((r) => r.primary.checked)) sentRows[0].primary.checked = true;
    return sentRows.map((r) => ({
      id: r.id,
      name: r.name.value,
      position: r.position.value,
      mobile: r.mobile.value,
      landline: r.landline.value,
      email: r.email.value,
      birthday: r.birthday.value || null,
      notes: r.notes.value,
      is_primary: r.primary.checked,
    }));
  };

  const dupSlot = h('div', { class: 'cu-dup-slot' });
  const saveBtn = button({ testid: 'customer-save', kind: 'primary', type: 'submit', label: t('common.save') });

  function showDuplicates(matches) {
    replaceChildren(
      dupSlot,
      h(
        'div',
        { class: 'notice cu-dups', role: 'alert', 'data-testid': 'customer-duplicates' },
        h('strong', {}, t('customer.dup.title')),
        h('ul', {}, matches.map((m) => h('li', { 'data-testid': 'duplicate-match', dataset: { id: m.customer_id } }, h('span', { class: 'mono' }, m.number), ' ', m.name, h('span', { class: 'muted' }, ` · ${t(`customer.dup.reason.${m.reason}`)}`)))),
        h('p', { class: 'small' }, t('customer.dup.hint')),
      ),
    );
    saveBtn.textContent = t('customer.dup.save_anyway');
    dupSlot.scrollIntoView?.({ block: 'nearest' });
  }

  // A contact error marks the field in the contact the command named (params.index).
  function showError(err) {
    const key = CONTACT_FIELDS[err?.field];
    const index = err?.params?.index;
    if (!key || (index == null && key !== 'primary')) {
      errors.show(err);
      return;
    }
    errors.show({ code: err.code, message: err.detail ?? err.message, params: err.params, field: null });
    const row = sentRows[index ?? 0] ?? contactRows[0];
    const wrap = row?.el.querySelector(`[data-cfield="${key}"]`);
    if (!wrap) return;
    const control = wrap.querySelector('input');
    const msg = h('div', { class: 'field-error', 'data-testid': `field-error-${err.field}`, id: `${control?.id ?? key}-error` }, errorText(err));
    (key === 'primary' ? wrap.parentElement : wrap).appendChild(msg);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', msg.id);
      control.focus();
    }
  }

  let dlg;
  onSubmit(form, { clear: errors.clear, show: showError }, async () => {
    const amount = parseAmount(amountIn.value);
    if (amount === null) throw { code: 'money.invalid', field: 'annual_amount', params: null };
    if (!nameIn.value.trim()) throw { code: 'customer.name_required', field: 'name', params: null };
    const contacts = contactsValue();
    if (!dupChecked) {
      const matches = await api.customerCheckDuplicates(duplicateProbe(nameIn.value, contacts));
      dupChecked = true;
      if (matches.length) {
        showDuplicates(matches);
        return;
      }
    }
    const customer = {
      name: nameIn.value,
      industry: industryIn.value,
      stage: stageIn.value,
      tier: tierIn.value,
      coop_start: coopIn.value || null,
      contract_end: endIn.value || null,
      annual_amount: amount,
      currency: c.currency || 'CNY',
      products: productsIn.value,
      source: sourceIn.value,
      first_feedback: feedbackIn.value,
      next_followup_on: nextOnIn.value || null,
      next_followup_plan: nextPlanIn.value,
      owner_user_id: ownerIn.value ? Number(ownerIn.value) : null,
      department_id: deptIn.value ? Number(deptIn.value) : null,
    };
    const tags = splitTags(tagsIn.value);
    const result = editing
      ? await api.customerUpdate(c.id, { version: c.version, customer, contacts, tags, reason: reasonIn?.value ?? '' })
      : await api.customerCreate({ customer, contacts, tags });
    dlg.close(result);
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  const section = (title, ...children) => h('div', { class: 'cu-form-section' }, h('h3', { class: 'cu-form-title' }, title), children);
  const body = [
    h('div', { class: 'form-error-slot' }),
    dupSlot,
    h('datalist', { id: industryList }, refs.industries.map((i) => h('option', { value: i }))),
    h('datalist', { id: tagList }, refs.tags.map((x) => h('option', { value: x.name }))),
    section(
      t('customer.section.basic'),
      h(
        'div',
        { class: 'form-grid cu-grid' },
        field({ name: 'name', label: t('customer.field.name'), control: nameIn, required: true, hint: t('customer.name_hint'), className: 'cu-span-2' }),
        field({ name: 'industry', label: t('customer.field.industry'), control: industryIn }),
        field({ name: 'stage', label: t('customer.field.stage'), control: stageIn, required: true }),
        field({ name: 'tier', label: t('customer.field.tier'), control: tierIn, required: true, hint: t('customer.tier_hint') }),
        field({ name: 'annual_amount', label: t('customer.field.annual_amount'), control: amountIn, hint: t('customer.amount_hint') }),
        field({ name: 'coop_start', label: t('customer.field.coop_start'), control: coopIn }),
        field({ name: 'contract_end', label: t('customer.field.contract_end'), control: endIn }),
        field({ name: 'products', label: t('customer.field.products'), control: productsIn }),
        field({ name: 'source', label: t('customer.field.source'), control: sourceIn }),
        field({ name: 'owner_user_id', label: t('customer.field.owner_user_id'), control: ownerIn, required: true }),
        field({ name: 'department_id', label: t('customer.field.department_id'), control: deptIn }),
        field({ name: 'tags', label: t('customer.field.tags'), control: tagsIn, className: 'cu-span-2' }),
        field({ name: 'first_feedback', label: t('customer.field.first_feedback'), control: feedbackIn, className: 'cu-span-2' }),
        field({ name: 'next_followup_on', label: t('customer.field.next_followup_on'), control: nextOnIn }),
        field({ name: 'next_followup_plan', label: t('customer.field.next_followup_plan'), control: nextPlanIn }),
      ),
    ),
    section(
      t('customer.section.contacts'),
      contactsBox,
      button({ testid: 'contact-add', kind: 'ghost', label: `+ ${t('customer.contact.add')}`, onclick: () => addContact().name.focus() }),
    ),
    reasonIn ? section(t('customer.section.reason'), field({ name: 'reason', label: t('customer.field.reason'), control: reasonIn, hint: t('customer.reason_hint') })) : null,
  ];
  dlg = openDialog({
    title: editing ? t('customer.edit_title', { number: c.number }) : t('customer.new_title'),
    testid: 'customer-dialog',
    form,
    className: 'dialog-wide cu-dialog',
    body,
    actions: [button({ testid: 'customer-cancel', label: t('common.cancel'), onclick: () => dlg.close(null) }), saveBtn],
    initialFocus: nameIn,
  });
  return dlg.result;
}
