// Pure customer-screen logic (no DOM): the fixed choices, typed amounts ⇄ minor units, the list
// query built from the filter state, the text of a history value, and base64 for files.

export const STAGES = ['potential', 'signed', 'strategic', 'churned'];
export const TIERS = ['A', 'B', 'C'];
export const PAGE_SIZE = 50;
export const NO_CONTACT_DAYS = [7, 14, 30, 60, 90, 180, 365];
export const DUPLICATE_POLICIES = ['skip', 'update', 'create'];
/** Columns an import maps to (crates/core customer::import::ImportField). */
export const IMPORT_FIELDS = [
  'name', 'number', 'industry', 'products', 'annual_amount', 'contact_name', 'contact_position', 'contact_phone',
  'contact_mobile', 'contact_landline', 'contact_email', 'coop_start', 'contract_term', 'tags', 'source',
  'first_feedback', 'owner', 'owner_contact', 'last_contact', 'next_followup_plan', 'next_followup_on', 'tier', 'stage',
];
/** Sortable list columns: column id → the core's SortKey. */
export const SORT_KEYS = {
  number: 'number', name: 'name', stage: 'stage', tier: 'tier', industry: 'industry', owner: 'owner',
  last_contact: 'last_contact_at', amount: 'annual_amount', department: 'department', coop_start: 'coop_start',
  contract_end: 'contract_end', next_followup: 'next_followup_on', source: 'source', created_at: 'created_at',
  updated_at: 'updated_at',
};
/** Every list column (crates/core customer::views::COLUMNS), and those shown by default. */
export const LIST_COLUMNS = [
  'number', 'name', 'stage', 'tier', 'industry', 'owner', 'department', 'last_contact', 'amount', 'tags', 'coop_start',
  'contract_end', 'next_followup', 'source', 'created_at', 'updated_at',
];
export const DEFAULT_COLUMNS = ['number', 'name', 'stage', 'tier', 'industry', 'owner', 'last_contact', 'amount', 'tags'];
/** The list column sorted by a core SortKey (the inverse of SORT_KEYS), for applying saved views. */
export function columnOfSortKey(key) {
  return Object.keys(SORT_KEYS).find((c) => SORT_KEYS[c] === key) ?? 'number';
}

/** A saved view's query → the list's filter state (the inverse of toQuery). */
export function stateFromQuery(q) {
  const str = (v) => (v == null ? '' : String(v));
  return {
    stage: str(q.stage), tier: str(q.tier), industry: str(q.industry), tag: str(q.tag_id), owner: str(q.owner_user_id),
    department: str(q.department_id), archived: q.archived === true, noContact: str(q.no_contact_days),
    openFeedback: q.has_open_feedback === true, q: str(q.q), sort: columnOfSortKey(q.sort), desc: !!q.desc,
  };
}
/** Fields whose history values are shown as they are named (the rest as text). */
export const HISTORY_FIELDS = [
  'name', 'industry', 'stage', 'tier', 'coop_start', 'contract_end', 'annual_amount', 'currency', 'products', 'source',
  'first_feedback', 'next_followup_on', 'next_followup_plan', 'owner_user_id', 'department_id', 'contact_name',
  'contact_position', 'contact_phone', 'contact_email', 'contact_birthday', 'contact_notes', 'contact_added',
  'contact_removed', 'primary_contact', 'tags', 'archived', 'merged_from', 'review',
];
export const HISTORY_KINDS = ['created', 'updated', 'archived', 'restored', 'merged', 'approved', 'rejected', 'requested', 'imported', 'reviewed'];

/**
 * A typed amount ('12,345.6', '¥1.5', '１２３') → integer minor units; '' → 0; null when it is not
 * an amount with at most two decimals (the core checks again).
 */
export function parseAmount(text) {
  const half = String(text ?? '')
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[,\s_]/g, '')
    .replace(/^(?:[¥￥$]|CNY)/, '')
    .trim();
  if (half === '') return 0;
  const m = /^(-?)(\d*)(?:\.(\d{0,2}))?$/.exec(half);
  if (!m || (m[2] === '' && !m[3]) || m[2].length > 13) return null;
  const minor = Number(m[2] || '0') * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -minor : minor;
}

/** Minor units → what the amount field shows for editing ('12345.60'; '' for 0). */
export function amountInput(minor) {
  const n = Number(minor ?? 0);
  if (!n) return '';
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** The customers_list query for a filter state and page. */
export function toQuery(s, offset = 0, limit = PAGE_SIZE) {
  const num = (v) => (v === '' || v == null ? null : Number(v));
  return {
    stage: s.stage || null,
    tier: s.tier || null,
    industry: s.industry || null,
    tag_id: num(s.tag),
    owner_user_id: num(s.owner),
    department_id: num(s.department),
    archived: s.archived === true,
    no_contact_days: num(s.noContact),
    has_open_feedback: s.openFeedback === true,
    q: s.q?.trim() ? s.q.trim() : null,
    sort: SORT_KEYS[s.sort] ?? 'updated_at',
    desc: !!s.desc,
    offset,
    limit,
  };
}

/** Whole days since a Unix-seconds instant (null when never). */
export function daysSince(unixSecs, now = Date.now()) {
  if (unixSecs == null) return null;
  return Math.max(0, Math.floor((now / 1000 - unixSecs) / 86400));
}

/**
 * A history or change-request value as plain text. `fmt` gives the formatters and names:
 * {money(minor), date(iso), user(id), dept(id), contact(id), stage(s), yes, no, dash}.
 */
export function valueText(field, value, fmt) {
  if (value === null || value === undefined || value === '') return fmt.dash;
  switch (field) {
    case 'annual_amount':
      return fmt.money(value);
    case 'coop_start':
    case 'contract_end':
    case 'next_followup_on':
    case 'contact_birthday':
      return fmt.date(value);
    case 'owner_user_id':
      return fmt.user(value);
    case 'department_id':
      return fmt.dept(value);
    case 'primary_contact':
      return fmt.contact(value);
    case 'stage':
      return fmt.stage(value);
    case 'archived':
      return value ? fmt.yes : fmt.no;
    case 'tags':
      return Array.isArray(value) && value.length ? value.join('、') : fmt.dash;
    case 'contact_phone':
      return [value.mobile, value.landline].filter(Boolean).join(' / ') || fmt.dash;
    case 'contact_added':
    case 'contact_removed':
      return [value.name, value.position, value.mobile, value.landline, value.email].filter(Boolean).join(' · ') || fmt.dash;
    case 'merged_from':
      return [value.number, value.name].filter(Boolean).join(' ');
    case 'review':
      return [`${value.year} Q${value.quarter}`, fmt.outcome ? fmt.outcome(value.outcome) : value.outcome, value.new_stage ? fmt.stage(value.new_stage) : '', value.note]
        .filter(Boolean)
        .join(' · ');
    default:
      if (typeof value === 'object') return JSON.stringify(value);
      return String(value);
  }
}

/** Bytes (ArrayBuffer or Uint8Array) → base64 text, in chunks so large files do not overflow the stack. */
export function toBase64(buffer) {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

/** The duplicate probe for a customer form: name, mobiles and emails typed. */
export function duplicateProbe(name, contacts, excludeId = null) {
  return {
    name: String(name ?? '').trim(),
    mobiles: contacts.map((c) => c.mobile.trim()).filter(Boolean),
    emails: contacts.map((c) => c.email.trim()).filter(Boolean),
    exclude_id: excludeId,
  };
}

/** Tag names typed as 'a, b、c；d' → ['a', 'b', 'c', 'd']. */
export function splitTags(text) {
  return String(text ?? '')
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
