// One customer (#/customers/<id>): number, name, stage, tier and header facts; contacts; tags;
// pending key-field change requests (approve / reject with a comment for heads and admins);
// the interaction timeline (mounted from the interactions screens); the history (who, when,
// field, old → new, through which request); edit, archive / restore and, for admins, erase.
import { h, replaceChildren } from '../../dom.js';
import { t, errorText, formatDate, formatDateTime, formatMoney } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { button, loading, loadFailed, field, input } from '../../components/form.js';
import { confirm } from '../../components/dialog.js';
import { toast, toastError } from '../../components/toast.js';
import { actionDialog } from '../feedback/common.js';
import { loadRefs, stageBadge, tierBadge, tagChip, canEdit, canApprove, canBulk, fieldLabel, valueOf, facts, card, agoText } from './common.js';
import { daysSince, duplicateProbe } from './model.js';
import { customerDialog } from './edit.js';
import { mergeDialog } from './merge.js';
import { mountCustomerTimeline } from '../interactions/timeline.js';
import { mountCustomerSurveys } from './surveys.js';

export function mountCustomerDetail(ctx, id) {
  const { actor, navigate } = ctx;
  let alive = true;
  let refs = null;
  let timeline = null;
  const timelineEl = h('div', { 'data-testid': 'customer-timeline', class: 'cu-timeline' });
  const el = h('div', { class: 'page-inner cu-detail', 'data-testid': 'customer-detail', dataset: { id } }, loading());

  async function reload() {
    try {
      refs ??= await loadRefs();
      const [detail, history] = await Promise.all([api.customerGet(id), api.customerHistory(id)]);
      if (alive) render(detail, history);
    } catch (err) {
      if (alive) replaceChildren(el, back(), loadFailed(err, reload, 'customer-retry'));
    }
  }

  const after = (promise) =>
    promise.then(
      (r) => {
        reload();
        return r;
      },
      (err) => {
        toastError(err);
        reload();
      },
    );

  function back() {
    return h('a', { class: 'link cu-back', href: buildHash({ page: 'customers' }), 'data-testid': 'customer-back', onclick: (e) => { e.preventDefault(); navigate({ page: 'customers' }); } }, `← ${t('customer.back')}`);
  }

  async function edit(detail) {
    const out = await customerDialog({ refs, actor, detail });
    if (!out) return;
    if (out.requested?.length) toast(t('customer.requested_n', { n: out.requested.length }), { kind: 'info', timeout: 6000 });
    else toast(t('common.saved'), { kind: 'success' });
    reload();
  }

  async function archive(c) {
    const ok = await confirm({
      title: t(c.archived ? 'customer.restore_title' : 'customer.archive_title', { name: c.name }),
      message: t(c.archived ? 'customer.restore_body' : 'customer.archive_body'),
      confirmLabel: t(c.archived ? 'customer.restore' : 'customer.archive'),
      danger: !c.archived,
    });
    if (!ok) return;
    await after(c.archived ? api.customerRestore(c.id) : api.customerArchive(c.id));
  }

  async function erase(c) {
    const typed = input({ testid: 'erase-number', placeholder: c.number });
    const done = await actionDialog({
      title: t('customer.erase_title', { name: c.name }),
      testid: 'erase-dialog',
      prefix: 'erase',
      submitTestid: 'erase-submit',
      submitLabel: t('customer.erase'),
      fields: [h('p', { class: 'notice cu-danger-note' }, t('customer.erase_body')), field({ name: 'confirmation', label: t('customer.erase_type', { number: c.number }), control: typed, required: true })],
      action: () => api.customerErase(c.id, typed.value),
    });
    if (done) {
      toast(t('customer.erased', { number: c.number }), { kind: 'success' });
      navigate({ page: 'customers' });
    }
  }

  // Likely duplicates of this customer (same name key, mobile or email), each with a way to merge.
  async function duplicateNotice(detail, slot) {
    const c = detail.customer;
    const contacts = detail.contacts.map((x) => ({ mobile: x.mobile ?? '', email: x.email ?? '' }));
    let matches = [];
    try {
      matches = await api.customerCheckDuplicates(duplicateProbe(c.name, contacts, c.id));
    } catch {
      return; // the page works without the hint
    }
    // One line per customer, however many reasons it matched on.
    const byId = new Map();
    for (const m of matches) {
      const seen = byId.get(m.customer_id);
      if (seen) seen.reasons.push(m.reason);
      else byId.set(m.customer_id, { ...m, reasons: [m.reason] });
    }
    matches = [...byId.values()];
    if (!matches.length || !slot.isConnected) return;
    slot.append(
      h(
        'div',
        { class: 'notice cu-dups', 'data-testid': 'customer-duplicates-notice' },
        h('strong', {}, t('merge.dup_title')),
        h('ul', {}, matches.map((m) => h('li', { 'data-testid': 'duplicate-match', dataset: { id: m.customer_id } }, h('span', { class: 'mono' }, m.number), ' ', m.name, h('span', { class: 'muted' }, ` · ${m.reasons.map((r) => t(`customer.dup.reason.${r}`)).join('、')} `), button({ testid: 'duplicate-merge', kind: 'ghost', label: t('merge.open'), onclick: () => merge(c, { id: m.customer_id, number: m.number, name: m.name }) })))),
      ),
    );
  }

  async function merge(c, preset = null) {
    const survivor = await mergeDialog(c, preset);
    if (survivor == null) return;
    toast(t('merge.done'), { kind: 'success' });
    if (survivor === c.id) reload();
    else navigate({ page: 'customers', tab: String(survivor) });
  }

  function changeRow(cr, contacts) {
    const comment = h('input', { class: 'input', 'data-testid': 'change-comment', placeholder: t('customer.change.comment'), 'aria-label': t('customer.change.comment') });
    const err = h('div', { class: 'cu-change-error' });
    const decide = async (approve, btn) => {
      replaceChildren(err);
      btn.disabled = true;
      try {
        await api.customerChangeDecide(cr.id, approve, comment.value);
        toast(t(approve ? 'customer.change.approved' : 'customer.change.rejected'), { kind: 'success' });
        reload();
      } catch (e) {
        btn.disabled = false;
        replaceChildren(err, h('div', { class: 'field-error', 'data-testid': e.field ? `field-error-${e.field}` : 'form-error', role: 'alert' }, errorText(e)));
      }
    };
    const overdue = Date.now() / 1000 - cr.requested_at > 24 * 3600;
    const approveBtn = button({ testid: 'change-approve', kind: 'primary', label: t('customer.change.approve'), onclick: () => decide(true, approveBtn) });
    const rejectBtn = button({ testid: 'change-reject', kind: 'danger', label: t('customer.change.reject'), onclick: () => decide(false, rejectBtn) });
    return h(
      'li',
      { class: ['cu-change', overdue ? 'is-overdue' : null], 'data-testid': 'change-request', dataset: { id: cr.id, field: cr.field } },
      h(
        'div',
        { class: 'cu-change-head' },
        h('strong', {}, fieldLabel(cr.field)),
        ' ',
        h('span', { class: 'cu-old' }, valueOf(cr.field, cr.old_value, refs, contacts)),
        ' → ',
        h('span', { class: 'cu-new' }, valueOf(cr.field, cr.new_value, refs, contacts)),
        overdue ? h('span', { class: 'badge cu-overdue' }, t('customer.change.overdue')) : null,
      ),
      h('div', { class: 'muted small' }, t('customer.change.by', { who: refs.userName(cr.requested_by) || '—', at: formatDateTime(cr.requested_at) })),
      cr.reason ? h('p', { class: 'cu-reason' }, t('customer.change.reason', { reason: cr.reason })) : null,
      canApprove(actor) ? h('div', { class: 'cu-change-actions' }, comment, approveBtn, rejectBtn) : h('p', { class: 'muted small' }, t('customer.change.waiting')),
      err,
    );
  }

  function historyRow(e, contacts) {
    const who = e.user_id ? refs.userName(e.user_id) : t('customer.system');
    const showValues = e.field && !['created', 'imported', 'reviewed', 'merged'].includes(e.kind);
    return h(
      'li',
      { class: ['cu-event', `cu-event-${e.kind}`], 'data-testid': 'history-row', dataset: { kind: e.kind, field: e.field } },
      h(
        'div',
        { class: 'cu-event-head' },
        h('strong', {}, t(`customer.event.${e.kind}`)),
        e.field && e.field !== 'archived' ? [' · ', h('span', { 'data-testid': 'history-field' }, fieldLabel(e.field))] : null,
        h('span', { class: 'muted cu-event-meta' }, `${who} · ${formatDateTime(e.at)}`),
      ),
      showValues && e.field !== 'archived'
        ? h('div', { class: 'cu-event-change' }, h('span', { class: 'cu-old' }, valueOf(e.field, e.old_value, refs, contacts)), ' → ', h('span', { class: 'cu-new' }, valueOf(e.field, e.new_value, refs, contacts)))
        : null,
      e.kind === 'reviewed' ? h('div', { class: 'cu-event-change', 'data-testid': 'history-review' }, valueOf('review', e.new_value, refs, contacts)) : null,
      e.kind === 'merged' ? h('div', { class: 'cu-event-change', 'data-testid': 'history-merged' }, valueOf('merged_from', e.old_value ?? e.new_value, refs, contacts)) : null,
      e.change_request_id ? h('div', { class: 'muted small' }, t('customer.via_request', { id: e.change_request_id })) : null,
    );
  }

  function contactCard(ct) {
    return h(
      'li',
      { class: 'cu-contact-card', 'data-testid': 'customer-contact', dataset: { id: ct.id, primary: ct.is_primary ? 'true' : 'false' } },
      h('div', {}, h('strong', {}, ct.name), ct.position ? h('span', { class: 'muted' }, ` · ${ct.position}`) : null, ct.is_primary ? h('span', { class: 'badge badge-ok cu-primary' }, t('customer.contact.primary')) : null),
      h(
        'div',
        { class: 'cu-contact-lines' },
        ct.mobile ? h('span', { class: 'mono' }, ct.mobile) : null,
        ct.landline ? h('span', { class: 'mono' }, ct.landline) : null,
        ct.email ? h('span', {}, ct.email) : null,
        ct.birthday ? h('span', { class: 'muted' }, t('customer.contact.birthday_on', { date: formatDate(ct.birthday) })) : null,
      ),
      ct.notes ? h('p', { class: 'muted small' }, ct.notes) : null,
    );
  }

  // The survey card keeps its own state across reloads of the page (mounted once).
  let surveyCard = null;
  function surveys(c) {
    surveyCard ??= mountCustomerSurveys(actor, c.id, { archived: c.archived });
    return surveyCard.el;
  }

  function render(detail, history) {
    const c = detail.customer;
    const editable = canEdit(actor) && !c.archived;
    const days = daysSince(c.last_contact_at);
    const head = h(
      'div',
      { class: 'page-head cu-head' },
      h(
        'div',
        { class: 'page-head-text' },
        h('h1', { class: 'page-title', 'data-testid': 'page-title' }, h('span', { 'data-testid': 'customer-name-title' }, c.name), ' ', stageBadge(c.stage, 'customer-stage-badge'), ' ', tierBadge(c.tier, 'customer-tier-badge'), c.archived ? h('span', { class: 'badge badge-muted', 'data-testid': 'customer-archived' }, t('customer.archived')) : null),
        h('p', { class: 'page-subtitle' }, h('span', { class: 'mono', 'data-testid': 'customer-number' }, c.number), ` · ${c.industry || t('customer.no_industry')} · ${t('customer.owner_is', { who: refs.userName(c.owner_user_id) || '—' })}`),
      ),
      h(
        'div',
        { class: 'page-actions' },
        editable ? button({ testid: 'customer-edit', kind: 'primary', label: t('common.edit'), onclick: () => edit(detail) }) : null,
        canEdit(actor) ? button({ testid: c.archived ? 'customer-restore' : 'customer-archive', label: t(c.archived ? 'customer.restore' : 'customer.archive'), onclick: () => archive(c) }) : null,
        canBulk(actor) && !c.archived ? button({ testid: 'customer-merge', label: t('merge.open'), onclick: () => merge(c) }) : null,
        actor.role === 'admin' ? button({ testid: 'customer-erase', kind: 'ghost', label: t('customer.erase'), onclick: () => erase(c) }) : null,
      ),
    );
    const pending = detail.pending_changes;
    const main = h(
      'div',
      { class: 'cu-main' },
      pending.length
        ? card(t('customer.section.pending', { n: pending.length }), null, h('ul', { class: 'cu-changes', 'data-testid': 'customer-changes' }, pending.map((cr) => changeRow(cr, detail.contacts))))
        : null,
      h('section', { class: 'card', 'aria-label': t('customer.section.timeline') }, timelineEl),
      surveys(c),
      card(t('customer.section.history'), null, h('ol', { class: 'cu-history', 'data-testid': 'customer-history' }, history.map((e) => historyRow(e, detail.contacts)))),
    );
    const side = h(
      'div',
      { class: 'cu-side' },
      card(t('customer.section.facts'), null, facts([
        [t('customer.field.annual_amount'), c.annual_amount ? formatMoney(c.annual_amount) : '', 'customer-amount-value'],
        [t('customer.field.coop_start'), c.coop_start ? formatDate(c.coop_start) : '', 'customer-coop-start-value'],
        [t('customer.field.contract_end'), c.contract_end ? formatDate(c.contract_end) : '', 'customer-contract-end-value'],
        [t('customer.field.products'), c.products, 'customer-products-value'],
        [t('customer.field.source'), c.source, 'customer-source-value'],
        [t('customer.field.owner_user_id'), refs.userName(c.owner_user_id), 'customer-owner-value'],
        [t('customer.field.department_id'), refs.deptName(c.department_id), 'customer-department-value'],
        [t('customer.col.last_contact'), c.last_contact_at == null ? t('customer.never_contacted') : `${formatDateTime(c.last_contact_at)} (${agoText(days)})`, 'customer-last-contact'],
        [t('customer.next_followup'), [c.next_followup_on ? formatDate(c.next_followup_on) : '', c.next_followup_plan ? ` ${c.next_followup_plan}` : ''].join('').trim(), 'customer-next-followup'],
        [t('customer.field.first_feedback'), c.first_feedback, 'customer-first-feedback-value'],
        [t('customer.created'), t('customer.by_at', { who: refs.userName(c.created_by) || '—', at: formatDateTime(c.created_at) })],
        [t('customer.updated'), t('customer.by_at', { who: refs.userName(c.updated_by) || '—', at: formatDateTime(c.updated_at) })],
      ])),
      card(
        t('customer.section.contacts'),
        null,
        detail.contacts.length ? h('ul', { class: 'cu-contact-list', 'data-testid': 'customer-contacts' }, detail.contacts.map(contactCard)) : h('p', { class: 'muted' }, t('customer.no_contacts')),
      ),
      card(t('customer.field.tags'), null, h('div', { class: 'cu-tags', 'data-testid': 'customer-tags' }, detail.tags.length ? detail.tags.map(tagChip) : h('span', { class: 'muted' }, t('customer.no_tags')))),
    );
    const dupSlot = h('div', { class: 'cu-dup-slot' });
    if (canBulk(actor) && !c.archived) duplicateNotice(detail, dupSlot);
    replaceChildren(el, back(), head, dupSlot, c.archived ? h('p', { class: 'notice', 'data-testid': 'customer-archived-note' }, t('customer.archived_note')) : null, h('div', { class: 'cu-grid-2' }, main, side));
    if (!timeline) timeline = mountCustomerTimeline(timelineEl, c.id, { customerName: c.name });
    else timeline.refresh?.();
    document.title = `${c.number} ${c.name} · Rapport`;
  }

  reload();
  return {
    el,
    destroy() {
      alive = false;
      timeline?.destroy?.();
    },
  };
}
