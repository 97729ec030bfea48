// Pure client-side checks that give quick, translated feedback before a command is sent. The core
// checks everything again; these return ApiError-shaped objects ({code, field, params}).

/** Shortest password the core accepts (crates/core account::MIN_PASSWORD_LEN). */
export const MIN_PASSWORD_LEN = 8;

/** A new password and its repetition: too short, or not the same. */
export function checkNewPassword(password, repeat, { field = 'password', repeatField = 'password2' } = {}) {
  if ([...String(password)].length < MIN_PASSWORD_LEN) {
    return { code: 'password.too_short', field, params: { min: MIN_PASSWORD_LEN } };
  }
  if (password !== repeat) return { code: 'password.mismatch', field: repeatField, params: null };
  return null;
}

/** A required text field left blank. */
export function checkRequired(fields) {
  for (const [field, value] of Object.entries(fields)) {
    if (String(value ?? '').trim() === '') return { code: 'field.required', field, params: null };
  }
  return null;
}

/** 'HH:MM' (24:00 allowed) → minutes, or null. */
export function parseTime(text) {
  const m = /^(\d{2}):(\d{2})$/.exec(String(text ?? '').trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/**
 * A weekly-hours draft ({days: [{weekday, intervals: [{start, end}]}]}) → the first problem found
 * ({code, field: 'intervals', params: {weekday}}) or null.
 */
export function checkWeeklyHours(hours) {
  let any = false;
  for (const day of hours.days) {
    const spans = [];
    for (const iv of day.intervals) {
      const s = parseTime(iv.start);
      const e = parseTime(iv.end);
      if (s === null || e === null) return { code: 'calendar.time_invalid', field: 'intervals', params: { weekday: day.weekday } };
      if (s >= e) return { code: 'calendar.interval_invalid', field: 'intervals', params: { weekday: day.weekday } };
      spans.push([s, e]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) {
      if (spans[i][0] < spans[i - 1][1]) return { code: 'calendar.interval_overlap', field: 'intervals', params: { weekday: day.weekday } };
    }
    if (spans.length) any = true;
  }
  if (!any) return { code: 'calendar.no_working_time', field: 'intervals', params: null };
  return null;
}

/** All seven weekdays in order, filling the ones the core left out with no hours. */
export function fullWeek(hours) {
  const byDay = new Map((hours?.days ?? []).map((d) => [Number(d.weekday), d.intervals ?? []]));
  return {
    days: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
      weekday,
      intervals: (byDay.get(weekday) ?? []).map((iv) => ({ start: iv.start, end: iv.end })),
    })),
  };
}

/** 'YYYY-MM-DD' that is a real date. */
export function isIsoDay(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text ?? '').trim());
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Total business minutes in a week draft (intervals that do not parse count as 0). */
export function weeklyMinutes(hours) {
  let total = 0;
  for (const day of hours.days) {
    for (const iv of day.intervals) {
      const s = parseTime(iv.start);
      const e = parseTime(iv.end);
      if (s !== null && e !== null && e > s) total += e - s;
    }
  }
  return total;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a 'YYYY-MM-DD' date, or null. */
export function isoWeekday(text) {
  if (!isIsoDay(text)) return null;
  const [y, m, d] = String(text).trim().split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}
