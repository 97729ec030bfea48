// The Plans page's date grid, pure and unit-tested: month and week views over ISO dates
// ('YYYY-MM-DD'), weeks from Monday (as the team calendar counts them), moving by a month or a
// week, the range to ask the core for, entries grouped by day, and the page's keys.
// All arithmetic is on UTC dates, so the machine's own time zone never shifts a day.

/** The two views of the Plans page. */
export const VIEWS = ['month', 'week'];

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parse 'YYYY-MM-DD' to a UTC Date, or null when it is not a real day. */
export function parseIso(iso) {
  const m = ISO.exec(String(iso ?? ''));
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) ? d : null;
}

/** A UTC Date → 'YYYY-MM-DD'. */
export function toIso(d) {
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `iso` moved by `n` days. */
export function addDays(iso, n) {
  return toIso(new Date(parseIso(iso).getTime() + n * DAY_MS));
}

/** The Monday of `iso`'s week. */
export function weekStart(iso) {
  const d = parseIso(iso);
  const offset = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(iso, -offset);
}

/** The first of `iso`'s month. */
export function monthStart(iso) {
  return `${iso.slice(0, 7)}-01`;
}

/** The first of the month `n` months after `iso`'s (the day is dropped, so 31 Jan + 1 is 1 Feb). */
export function addMonths(iso, n) {
  const d = parseIso(monthStart(iso));
  return toIso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)));
}

/** The seven days (Monday to Sunday) of the week holding `iso`. */
export function weekDays(iso) {
  const first = weekStart(iso);
  return Array.from({ length: 7 }, (_, i) => addDays(first, i));
}

/**
 * The month holding `iso` as whole weeks: rows of seven {date, inMonth}, from the Monday on or
 * before the 1st to the Sunday on or after the last day (4 to 6 rows).
 */
export function monthGrid(iso) {
  const first = monthStart(iso);
  const next = addMonths(first, 1);
  const rows = [];
  for (let start = weekStart(first); start < next; start = addDays(start, 7)) {
    rows.push(weekDays(start).map((date) => ({ date, inMonth: date >= first && date < next })));
  }
  return rows;
}

/** The days the view shows, as {from, to} (inclusive): what to ask the core for. */
export function rangeFor(view, anchor) {
  if (view === 'week') {
    const days = weekDays(anchor);
    return { from: days[0], to: days[6] };
  }
  const grid = monthGrid(anchor);
  return { from: grid[0][0].date, to: grid[grid.length - 1][6].date };
}

/** The anchor `delta` steps away: months in the month view, weeks in the week view. */
export function shift(view, anchor, delta) {
  return view === 'week' ? addDays(anchor, 7 * delta) : addMonths(anchor, delta);
}

/** Entries (each with a `date`) grouped by day, keeping their order: Map date → entries. */
export function groupByDate(entries) {
  const out = new Map();
  for (const e of entries) {
    if (!out.has(e.date)) out.set(e.date, []);
    out.get(e.date).push(e);
  }
  return out;
}

/** The distinct owners of `entries` as [{id, name}], sorted by name, for the owner filter. */
export function ownersOf(entries) {
  const seen = new Map();
  for (const e of entries) if (e.owner != null && !seen.has(e.owner)) seen.set(e.owner, e.owner_name ?? `#${e.owner}`);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

/**
 * What a key does on the Plans page (outside text fields): {move: ±1} for PageUp/PageDown or
 * Alt+←/→, {today: true} for T, {view} for M and W; null for any other key.
 */
export function keyAction(e) {
  if (e.ctrlKey || e.metaKey) return null;
  if (e.key === 'PageUp' || (e.altKey && e.key === 'ArrowLeft')) return { move: -1 };
  if (e.key === 'PageDown' || (e.altKey && e.key === 'ArrowRight')) return { move: 1 };
  if (e.altKey) return null;
  const k = String(e.key).toLowerCase();
  if (k === 't') return { today: true };
  if (k === 'm') return { view: 'month' };
  if (k === 'w') return { view: 'week' };
  return null;
}

/** The day a roving focus moves to from `iso` with an arrow key (±1 day, ±7 days), or null. */
export function arrowTarget(iso, key) {
  const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[key];
  return step === undefined ? null : addDays(iso, step);
}

/** Today's date in a time zone (the team's), as 'YYYY-MM-DD'. */
export function todayIn(timeZone, now = new Date()) {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
    const get = (type) => parts.find((p) => p.type === type)?.value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return toIso(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
  }
}
