// Pure helpers of the Insight dashboard: the filter bar's state → the core's filter, chart series
// from the dashboard figures, "62% (5/8)" texts, and the drill-down filters a click on a bar or a
// slice hands to the feedback or customer list. No DOM, so node --test covers them.

/** The period presets of the filter bar, in order. */
export const PRESETS = ['this_month', 'this_quarter', 'this_year', 'custom'];

/** The filter bar's initial state. */
export function emptyState() {
  return { preset: 'this_year', from: '', to: '', department: '', owner: '' };
}

/** Filter bar state → the `InsightFilter` of `insight_dashboard`. */
export function toFilter(s) {
  const num = (v) => (v === '' || v === null || v === undefined ? null : Number(v));
  const custom = s.preset === 'custom';
  return {
    preset: s.preset || 'this_year',
    from: custom && s.from ? s.from : null,
    to: custom && s.to ? s.to : null,
    department_id: num(s.department),
    owner_user_id: num(s.owner),
  };
}

/** A percentage with one decimal at most ("62.5"), or null. */
export function pctText(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return null;
  return String(Math.round(value * 10) / 10);
}

/** "62.5% (5/8)", or "— (0)" when nothing was counted: counts always beside percentages. */
export function pctWithCounts(value, part, whole) {
  const p = pctText(value);
  return p === null ? `— (${whole})` : `${p}% (${part}/${whole})`;
}

/** An NPS as text with its sample size: "+25 (n=4)", "−10 (n=12)", "— (n=0)". */
export function npsText(nps, n) {
  if (nps === null || nps === undefined) return `— (n=${n})`;
  const r = Math.round(nps);
  return `${r > 0 ? '+' : r < 0 ? '−' : ''}${Math.abs(r)} (n=${n})`;
}

/** Seconds → hours with one decimal, or null. */
export function hours(secs) {
  return secs === null || secs === undefined ? null : Math.round(secs / 360) / 10;
}

/**
 * Month × key counts → one series per key over the period's months (zeros filled in).
 * `rows` are `{month, key, count}`; returns `[{key, data}]` in the order of `keys`, then any
 * other key found, sorted.
 */
export function seriesByKey(months, rows, keys = []) {
  const found = [...new Set(rows.map((r) => r.key))].filter((k) => !keys.includes(k)).sort();
  const all = [...keys.filter((k) => rows.some((r) => r.key === k)), ...found];
  return all.map((key) => ({
    key,
    data: months.map((m) => rows.filter((r) => r.month === m && r.key === key).reduce((a, r) => a + r.count, 0)),
  }));
}

/** The first and last day of a `YYYY-MM` month inside the period `{from, to}` (ISO dates). */
export function monthWithin(month, period) {
  const [y, m] = month.split('-').map(Number);
  const first = `${month}-01`;
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = `${month}-${String(lastDay).padStart(2, '0')}`;
  return { from: first < period.from ? period.from : first, to: last > period.to ? period.to : last };
}

/**
 * The feedback list filter for a drill-down: the period (or one month of it), the dashboard's
 * department and owner (as assignee), plus what was clicked ({category, channel, status}).
 */
export function feedbackDrill(period, state, pick = {}) {
  const range = pick.month ? monthWithin(pick.month, period) : { from: period.from, to: period.to };
  return {
    queue: 'all',
    status: pick.status ?? '',
    priority: '',
    category: pick.category !== undefined && pick.category !== null ? String(pick.category) : '',
    channel: pick.channel ?? '',
    department: pick.department !== undefined && pick.department !== null ? String(pick.department) : state.department || '',
    assignee: state.owner || '',
    stage: '',
    from: range.from,
    to: range.to,
  };
}

/** The customer list filter for a drill-down ({stage, tier, tag}), with the dashboard's owner and department. */
export function customerDrill(state, pick = {}) {
  return {
    stage: pick.stage ?? '',
    tier: pick.tier ?? '',
    industry: '',
    tag: pick.tag !== undefined && pick.tag !== null ? String(pick.tag) : '',
    owner: state.owner || '',
    department: state.department || '',
    archived: false,
    noContact: '',
    openFeedback: false,
    q: '',
  };
}

/** Customers by stage and tier → `{stages, tiers: [{tier, data}]}` for a stacked bar chart. */
export function stageTierSeries(rows, stages, tiers) {
  return {
    stages,
    tiers: tiers.map((tier) => ({
      tier,
      data: stages.map((s) => rows.filter((r) => r.stage === s && r.tier === tier).reduce((a, r) => a + r.count, 0)),
    })),
  };
}

/** Is there anything to chart? (every value zero or missing → an empty state instead). */
export function hasData(...arrays) {
  return arrays.flat(Infinity).some((v) => typeof v === 'number' && v !== 0);
}
