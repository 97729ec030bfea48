// Shared by the customer screens: reference data (users, departments, industries, tags) loaded
// once per page, badges for stage, tier and tags, role checks, and the value formatter that
// history and change requests use.
import './customers.css';
import { h } from '../../dom.js';
import { t, tOr, formatDate, formatMoney, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { valueText } from './model.js';

/** Users, departments, industries and tags, loaded together. */
export async function loadRefs() {
  const [users, departments, industries, tags] = await Promise.all([api.usersList(), api.departmentsList(), api.customerIndustries(), api.customerTags()]);
  const user = new Map(users.map((u) => [u.id, u]));
  const dept = new Map(departments.map((d) => [d.id, d]));
  return {
    users, departments, industries, tags, user, dept,
    userName: (id) => (id == null ? '' : (user.get(id)?.display_name ?? `#${id}`)),
    deptName: (id) => (id == null ? '' : (dept.get(id)?.name ?? `#${id}`)),
    async reloadTags() {
      this.tags = await api.customerTags();
    },
  };
}

/** Stage badge. */
export function stageBadge(stage, testid) {
  return h('span', { class: ['badge', 'cu-stage', `cu-stage-${stage}`], 'data-testid': testid, dataset: { stage } }, t(`customer.stage.${stage}`));
}

/** Tier badge (A, B, C). */
export function tierBadge(tier, testid) {
  return h('span', { class: ['badge', 'cu-tier', `cu-tier-${tier}`], 'data-testid': testid, dataset: { tier }, title: t('customer.tier_hint') }, tier);
}

/** A tag chip in the tag's own colour (set through the CSSOM, never a style attribute). */
export function tagChip(tag) {
  const colour = /^#[0-9a-fA-F]{6}$/.test(tag.colour ?? '') ? tag.colour : null;
  return h('span', { class: 'cu-tag', 'data-testid': 'customer-tag', ref: (el) => colour && el.style.setProperty('--tag-colour', colour) }, tag.name);
}

/** May this role create and edit customers? */
export const canEdit = (actor) => actor.role !== 'viewer';
/** May this role decide change requests (the core narrows heads to their department)? */
export const canApprove = (actor) => actor.role === 'admin' || actor.role === 'head';
/** May this role import and export? */
export const canBulk = (actor) => ['admin', 'supervisor', 'head'].includes(actor.role);
/** Are this role's key-field edits filed as change requests? */
export const needsApproval = (actor) => actor.role === 'staff';

/** The label of a customer or contact field (history, change requests). */
export function fieldLabel(field) {
  return tOr(`customer.field.${field}`, field);
}

/** Text of one history / change-request value. */
export function valueOf(field, value, refs, contacts = []) {
  return valueText(field, value, {
    money: (m) => formatMoney(m),
    date: (d) => formatDate(d),
    user: (id) => refs.userName(id),
    dept: (id) => refs.deptName(id),
    contact: (id) => contacts.find((c) => c.id === id)?.name ?? `#${id}`,
    stage: (s) => tOr(`customer.stage.${s}`, s),
    outcome: (o) => tOr(`review.outcome.${o}`, o),
    yes: t('customer.yes'),
    no: t('customer.no'),
    dash: '—',
  });
}

/** A definition list of facts; empty values show a dash. */
export function facts(rows) {
  return h('dl', { class: 'facts cu-facts' }, rows.filter(Boolean).flatMap(([label, value, testid]) => [h('dt', {}, label), h('dd', { 'data-testid': testid }, value === '' || value == null ? h('span', { class: 'muted' }, '—') : value)]));
}

/** A card with a title and optional actions. */
export function card(title, actions, ...children) {
  return h('section', { class: 'card' }, h('div', { class: 'card-head' }, h('h2', { class: 'card-title' }, title), actions ? h('div', { class: 'card-actions' }, actions) : null), children);
}

/** "Today", "Yesterday" or "N days ago". */
export function agoText(days) {
  if (days === 0) return t('customer.today');
  if (days === 1) return t('customer.yesterday');
  return t('customer.days_ago', { n: formatNumber(days) });
}
