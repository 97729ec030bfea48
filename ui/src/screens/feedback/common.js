// Shared by the feedback screens: the reference data (categories, departments, users, customer
// names) loaded once per page, labels in the current language, badges for status, priority and
// SLA, and a small dialog with its own submit test id (accept-submit, delay-submit, …).
import './feedback.css';
import { h } from '../../dom.js';
import { t, locale } from '../../i18n.js';
import * as api from '../../api.js';
import { openDialog } from '../../components/dialog.js';
import { formErrors, onSubmit, button } from '../../components/form.js';
import { slaBadge, stageKey } from './sla.js';

/** Categories, departments and users, loaded together. */
export async function loadRefs() {
  const [categories, departments, users] = await Promise.all([api.feedbackCategories(), api.departmentsList(), api.usersList()]);
  return makeRefs(categories, departments, users);
}

/** Lookup helpers over the reference lists. */
export function makeRefs(categories, departments, users) {
  const cat = new Map(categories.map((c) => [c.id, c]));
  const dept = new Map(departments.map((d) => [d.id, d]));
  const user = new Map(users.map((u) => [u.id, u]));
  const customers = new Map();
  return {
    categories, departments, users, cat, dept, user, customers,
    catName(id) {
      const c = cat.get(id);
      if (!c) return `#${id}`;
      return locale() === 'en' ? c.name_en : c.name_zh;
    },
    /** "投诉 › 服务质量类". */
    catPath(id) {
      const c = cat.get(id);
      if (!c) return `#${id}`;
      return c.parent_id ? `${this.catName(c.parent_id)} › ${this.catName(id)}` : this.catName(id);
    },
    catDefinition(id) {
      const c = cat.get(id);
      if (!c) return '';
      return locale() === 'en' ? c.definition_en : c.definition_zh;
    },
    /** Is the item's category under the top-level "complaint"? */
    isComplaint(id) {
      const c = cat.get(id);
      const top = c?.parent_id ? cat.get(c.parent_id) : c;
      return top?.code === 'complaint';
    },
    deptName(id) {
      return id == null ? '' : (dept.get(id)?.name ?? `#${id}`);
    },
    userName(id) {
      return id == null ? '' : (user.get(id)?.display_name ?? `#${id}`);
    },
    customerName(item) {
      if (item.customer_id != null) return customers.get(item.customer_id)?.name ?? `#${item.customer_id}`;
      const parts = [item.unknown_name, item.unknown_phone].filter(Boolean);
      return parts.length ? t('feedback.unknown_customer', { who: parts.join(' ') }) : '—';
    },
    /** Fetch names of the customers these items refer to (ignored when not allowed). */
    async loadCustomers(items) {
      const ids = [...new Set(items.map((i) => i.customer_id).filter((x) => x != null && !customers.has(x)))];
      if (!ids.length) return;
      try {
        for (const c of await api.customerNames(ids)) customers.set(c.id, c);
      } catch {
        /* names are a nicety: keep the ids */
      }
    },
  };
}

/** Status badge. */
export function statusBadge(status, testid) {
  return h('span', { class: ['badge', 'fb-status', `fb-status-${status}`], 'data-testid': testid, dataset: { status } }, t(`feedback.status.${status}`));
}

/** Priority badge (colour by priority). */
export function priorityBadge(priority, testid) {
  return h('span', { class: ['badge', 'fb-priority', `fb-priority-${priority}`], 'data-testid': testid, dataset: { priority } }, t(`feedback.priority.${priority}`));
}

/** SLA badge: time left or overdue in words, coloured by stage. */
export function slaBadgeEl(item, testid = 'feedback-sla-badge', { compact = false } = {}) {
  const b = slaBadge(item);
  const escalated = item.sla && item.status !== 'closed' && item.status !== 'duplicate' && String(item.sla.stage).startsWith('escalated');
  return h(
    'span',
    { class: ['badge', 'fb-sla', `fb-tone-${b.tone}`], 'data-testid': testid, dataset: { stage: item.sla?.stage ?? '' }, title: item.sla ? t(stageKey(item.sla.stage)) : null },
    t(b.key, b.params),
    escalated && !compact ? h('span', { class: 'fb-escalated' }, ` · ${t(stageKey(item.sla.stage))}`) : null,
    escalated && compact ? ' ↑' : null,
  );
}

/** Today as YYYY-MM-DD in local time. */
export function isoToday(now = new Date()) {
  return isoDay(now);
}

/** A Date (or RFC 3339 text) → its local YYYY-MM-DD. */
export function isoDay(value) {
  const d = value instanceof Date ? value : new Date(value);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Can this role do day-to-day feedback work at all (the core checks the rest)? */
export function canWork(actor) {
  return actor.role !== 'viewer';
}

/** May this role assign people? */
export function canAssign(actor) {
  return ['admin', 'supervisor', 'head'].includes(actor.role);
}

/** May this role name departments? */
export function canRoute(actor) {
  return ['admin', 'supervisor'].includes(actor.role);
}

/**
 * A dialog holding one form with a cancel button and a submit button whose test id is given
 * (`submitTestid`). `action()` runs on submit (and on Ctrl+Enter); a rejection shows in the form
 * unless `onError(err)` returns true. Resolves with the action's value, or null when cancelled.
 */
export function actionDialog({ title, testid, prefix, fields, submitTestid, submitLabel, action, onError, initialFocus, wide = false }) {
  const form = h('form', { class: 'form', 'data-testid': `${prefix}-form`, novalidate: true });
  const errors = formErrors(form);
  let dlg;
  onSubmit(form, errors, async () => {
    try {
      const value = await action();
      dlg.close(value ?? true);
    } catch (err) {
      if (onError?.(err)) dlg.close(null);
      else throw err;
    }
  });
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  dlg = openDialog({
    title,
    testid,
    form,
    className: wide ? 'dialog-wide' : null,
    body: [h('div', { class: 'form-error-slot' }), h('div', { class: 'form-grid' }, fields)],
    actions: [
      button({ testid: `${prefix}-cancel`, label: t('common.cancel'), onclick: () => dlg.close(null) }),
      button({ testid: submitTestid, kind: 'primary', type: 'submit', label: submitLabel ?? t('common.save') }),
    ],
    initialFocus,
  });
  return dlg.result;
}

/** A <textarea>. */
export function textarea({ testid, value = '', rows = 3, ...rest }) {
  return h('textarea', { class: 'input textarea', 'data-testid': testid, rows, value, ...rest });
}
