// One feedback item (#/feedback/<id>): number, status, priority and SLA clocks in the header; the
// actions its status and the user's role allow; description and complaint fields (table 3);
// routing (lead + collaborating departments) and assignee; satisfaction; the full history.
import { h, replaceChildren } from '../../dom.js';
import { t, formatDate, formatDateTime, formatMoney } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { button, loading, loadFailed } from '../../components/form.js';
import { toastError } from '../../components/toast.js';
import { loadRefs, statusBadge, priorityBadge, slaBadgeEl, canWork, canAssign, canRoute } from './common.js';
import { stepsFor, stageKey } from './sla.js';
import { runStep, orExplainDelay, responseDialog, delayDialog, satisfactionDialog, assignDialog, departmentsDialog, detailsDialog } from './dialogs.js';

const STEP_TESTIDS = { accept: 'feedback-accept', request_confirmation: 'feedback-await', close: 'feedback-close', reopen: 'feedback-reopen', mark_duplicate: 'feedback-duplicate' };

export function mountFeedbackDetail(ctx, id) {
  const { actor, navigate } = ctx;
  let alive = true;
  let refs = null;
  const el = h('div', { class: 'page-inner fb-detail', 'data-testid': 'feedback-detail', dataset: { id } }, loading());

  async function reload() {
    try {
      refs ??= await loadRefs();
      const detail = await api.feedbackGet(id);
      await refs.loadCustomers([detail.item]);
      if (alive) render(detail);
    } catch (err) {
      if (alive) replaceChildren(el, back(), loadFailed(err, reload, 'feedback-retry'));
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
    return h('a', { class: 'link fb-back', href: buildHash({ page: 'feedback' }), 'data-testid': 'feedback-back', onclick: (e) => { e.preventDefault(); navigate({ page: 'feedback' }); } }, `← ${t('feedback.back')}`);
  }

  function facts(rows) {
    return h('dl', { class: 'facts fb-facts' }, rows.filter(Boolean).flatMap(([label, value, testid]) => [h('dt', {}, label), h('dd', { 'data-testid': testid }, value === '' || value == null ? h('span', { class: 'muted' }, '—') : value)]));
  }

  function card(title, actions, ...children) {
    return h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, title), actions ? h('div', { class: 'card-actions' }, actions) : null), children);
  }

  function actionsFor(it) {
    if (!canWork(actor)) return [];
    const out = [];
    for (const s of stepsFor(it.status)) {
      out.push(button({ testid: STEP_TESTIDS[s], kind: s === 'mark_duplicate' ? 'ghost' : out.length === 0 ? 'primary' : null, label: t(`feedback.step.${s}`), onclick: () => after(runStep(s, it, refs)) }));
    }
    if (it.status !== 'duplicate' && it.status !== 'closed') out.push(button({ testid: 'feedback-respond', label: t('feedback.respond'), onclick: () => after(orExplainDelay(responseDialog(it), it)) }));
    const late = it.status !== 'closed' && it.status !== 'duplicate' && it.expected_resolution_date && it.expected_resolution_date < isoLocalToday();
    if (late || it.delay_explanation_required) out.push(button({ testid: 'feedback-explain-delay', kind: it.delay_explanation_required ? 'danger' : null, label: t('feedback.explain_delay'), onclick: () => after(delayDialog(it)) }));
    if (it.status === 'closed') out.push(button({ testid: 'feedback-satisfaction', label: t('feedback.satisfaction'), onclick: () => after(satisfactionDialog(it)) }));
    return out;
  }

  function slaFacts(it) {
    const s = it.sla;
    const met = (v) => (v === true ? h('span', { class: 'badge fb-tone-ok' }, t('feedback.sla.met')) : v === false ? h('span', { class: 'badge fb-tone-danger' }, t('feedback.sla.missed')) : null);
    const hours = (secs) => t('feedback.hours_n', { n: (secs / 3600).toFixed(1) });
    return facts([
      [t('feedback.sla.response_due'), [formatDateTime(s.response_due), ' ', met(s.response_met)], 'feedback-response-due'],
      [t('feedback.sla.responded_at'), s.responded_at ? formatDateTime(s.responded_at) : '', 'feedback-responded-at'],
      [t('feedback.sla.resolution_due'), [formatDateTime(s.resolution_due), ' ', met(s.resolution_met)], 'feedback-resolution-due'],
      [t('feedback.expected_date'), it.expected_resolution_date ? formatDate(it.expected_resolution_date) : '', 'feedback-expected-date'],
      [t('feedback.sla.stage'), t(stageKey(s.stage)) + (s.paused ? ` · ${t('feedback.sla.paused')}` : ''), 'feedback-stage'],
      [t('feedback.sla.elapsed'), t('feedback.sla.elapsed_value', { business: hours(s.elapsed_business_secs), calendar: hours(s.elapsed_calendar_secs) })],
      it.was_late ? [t('feedback.late'), h('span', { class: 'badge fb-tone-danger' }, t('feedback.late_badge'))] : null,
    ]);
  }

  function historyEntry(ev) {
    const who = ev.user_id ? refs.userName(ev.user_id) : t('feedback.system');
    const d = ev.data ?? {};
    const extra = [];
    if (ev.from_status || ev.to_status) extra.push(h('span', { class: 'fb-move' }, ev.from_status ? statusBadge(ev.from_status) : null, ' → ', ev.to_status ? statusBadge(ev.to_status) : null));
    if (d.expected_resolution_date) extra.push(h('span', {}, t('feedback.history.expected', { date: formatDate(d.expected_resolution_date) })));
    if (ev.kind === 'delay_explained' && d.new_date) extra.push(h('span', {}, t('feedback.history.new_date', { date: formatDate(d.new_date) })));
    if (ev.kind === 'assigned' && d.user_id) extra.push(h('span', {}, refs.userName(d.user_id)));
    if (ev.kind === 'departments' && d.lead) extra.push(h('span', {}, [refs.deptName(d.lead), ...(d.collaborators ?? []).map((c) => refs.deptName(c))].join(' + ')));
    if (ev.kind === 'satisfaction' && d.score) extra.push(h('span', {}, t('feedback.history.score', { n: d.score, satisfied: t(d.satisfied ? 'feedback.satisfied_yes' : 'feedback.satisfied_no') })));
    if (ev.kind === 'merged' && d.number) extra.push(h('span', { class: 'mono' }, d.number));
    return h(
      'li',
      { class: ['fb-event', `fb-event-${ev.kind}`], 'data-testid': 'history-entry', dataset: { kind: ev.kind } },
      h('div', { class: 'fb-event-head' }, h('strong', {}, t(`feedback.event.${ev.kind}`)), ' ', extra, h('span', { class: 'muted fb-event-meta' }, `${who} · ${formatDateTime(ev.at)}`)),
      ev.comment ? h('p', { class: 'fb-event-comment' }, ev.comment) : null,
    );
  }

  function render({ item: it, history }) {
    const complaint = refs.isComplaint(it.category_id);
    const editable = canWork(actor) && it.status !== 'closed' && it.status !== 'duplicate';
    const head = h(
      'div',
      { class: 'page-head fb-head' },
      h(
        'div',
        { class: 'page-head-text' },
        h('h1', { class: 'page-title', 'data-testid': 'page-title' }, h('span', { class: 'mono', 'data-testid': 'feedback-number' }, it.number), ' ', statusBadge(it.status, 'feedback-status'), ' ', priorityBadge(it.priority, 'feedback-priority')),
        h('p', { class: 'page-subtitle' }, `${refs.catPath(it.category_id)} · ${t(`feedback.channel.${it.channel}`)} · ${t('feedback.created_by', { who: refs.userName(it.created_by) || '—', at: formatDateTime(it.created_at) })}`),
      ),
      h('div', { class: 'page-actions fb-sla-head', 'data-testid': 'feedback-sla', dataset: { stage: it.sla.stage } }, slaBadgeEl(it, 'feedback-sla-badge')),
    );
    const actionBar = h('div', { class: 'fb-actions', 'data-testid': 'feedback-actions' }, actionsFor(it));
    const delayNote = it.delay_explanation_required
      ? h('p', { class: 'notice fb-delay-note', role: 'alert', 'data-testid': 'feedback-delay-notice' }, t('error.feedback.delay_explanation_required'))
      : null;
    const dupNote = it.duplicate_of_id ? h('p', { class: 'notice' }, t('feedback.duplicate_of_note'), ' ', h('a', { class: 'link', href: buildHash({ page: 'feedback', tab: String(it.duplicate_of_id) }), 'data-testid': 'feedback-duplicate-of' }, `#${it.duplicate_of_id}`)) : null;

    const main = h(
      'div',
      { class: 'fb-main' },
      card(t('feedback.section.summary'), null, facts([
        [t('feedback.customer'), refs.customerName(it), 'feedback-customer'],
        [t('feedback.description'), it.description ? h('span', { class: 'fb-pre' }, it.description) : '', 'feedback-description'],
      ])),
      card(
        complaint ? t('feedback.section.complaint') : t('feedback.section.handling'),
        editable ? button({ testid: 'feedback-edit-details', kind: 'ghost', label: t('common.edit'), onclick: () => after(detailsDialog(it, refs)) }) : null,
        facts([
          [t('feedback.occurred_at'), it.occurred_at ? formatDateTime(it.occurred_at) : '', 'feedback-occurred-at'],
          [t('feedback.impact'), it.impact, 'feedback-impact'],
          [t('feedback.customer_expectation'), it.customer_expectation, 'feedback-expectation'],
          [t('feedback.investigation_result'), it.investigation_result, 'feedback-investigation'],
          [t('feedback.responsible_department'), refs.deptName(it.responsible_department_id), 'feedback-responsible-department'],
          [t('feedback.root_cause'), it.root_cause, 'feedback-root-cause'],
          [t('feedback.solution'), it.solution ? h('span', { class: 'fb-pre' }, it.solution) : '', 'feedback-solution'],
          [t('feedback.compensation_kind'), it.compensation_kind ? `${t(`feedback.compensation.${it.compensation_kind}`)} · ${formatMoney(it.compensation_amount)}` : '', 'feedback-compensation'],
        ]),
      ),
      card(t('feedback.section.history'), null, h('ol', { class: 'fb-history', 'data-testid': 'feedback-history' }, history.map(historyEntry))),
    );
    const side = h(
      'div',
      { class: 'fb-side' },
      card(t('feedback.section.sla'), null, slaFacts(it)),
      card(
        t('feedback.section.routing'),
        [
          canRoute(actor) && it.status !== 'duplicate' ? button({ testid: 'feedback-set-departments', kind: 'ghost', label: t('feedback.set_departments'), onclick: () => after(departmentsDialog(it, refs)) }) : null,
          canAssign(actor) && editable ? button({ testid: 'feedback-assign', kind: 'ghost', label: t('feedback.assign'), onclick: () => after(assignDialog(it, refs)) }) : null,
        ],
        facts([
          [t('feedback.lead_department'), refs.deptName(it.lead_department_id), 'feedback-lead'],
          [t('feedback.collaborators'), it.collaborator_department_ids.map((d) => refs.deptName(d)).join('、'), 'feedback-collaborators'],
          [t('feedback.assignee'), refs.userName(it.assignee_user_id) || h('span', { class: 'muted' }, t('feedback.unassigned')), 'feedback-assignee'],
        ]),
      ),
      it.status === 'closed' || it.satisfaction_score != null
        ? card(t('feedback.satisfaction'), null, facts([
            [t('feedback.callback_due'), it.callback_due_at ? formatDateTime(it.callback_due_at) : '', 'feedback-callback-due'],
            [t('feedback.score'), it.satisfaction_score != null ? t('feedback.score_n', { n: it.satisfaction_score }) : '', 'feedback-score'],
            [t('feedback.satisfied'), it.satisfied == null ? '' : t(it.satisfied ? 'feedback.satisfied_yes' : 'feedback.satisfied_no'), 'feedback-satisfied'],
          ]))
        : null,
    );
    replaceChildren(el, back(), head, delayNote, dupNote, actionBar, h('div', { class: 'fb-grid' }, main, side));
    document.title = `${it.number} · Rapport`;
  }

  reload();
  return { el, destroy: () => { alive = false; } };
}

function isoLocalToday() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
