// Pure i18n logic (no DOM, no globals): locale choice, message lookup with fallbacks,
// `{name}` interpolation and the locale-aware formatters. src/i18n.js binds these to app state.

/** The UI languages, in picker order. */
export const LOCALES = ['zh-CN', 'en'];
/** Used when nothing else tells us which language to show. */
export const DEFAULT_LOCALE = 'zh-CN';

/** A supported locale id exactly as stored, or null ('' means "no preference"). */
export function supportedLocale(value) {
  return LOCALES.includes(value) ? value : null;
}

/** The language the OS/browser reports, mapped onto ours: any zh* → zh-CN, else en. */
export function localeFromNavigator(language) {
  if (typeof language !== 'string' || language.trim() === '') return DEFAULT_LOCALE;
  return language.trim().toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * Which language to show: the user's saved preference, else the one last picked on this device
 * (before anyone logged in), else the OS language.
 */
export function pickLocale({ userPref, devicePref, navigatorLanguage } = {}) {
  return supportedLocale(userPref) ?? supportedLocale(devicePref) ?? localeFromNavigator(navigatorLanguage);
}

/** Replace `{name}` placeholders with params; unknown or null params leave the placeholder. */
export function interpolate(template, params) {
  if (!params) return template;
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name) => {
    const value = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
    return value === undefined || value === null ? whole : String(value);
  });
}

/** Does a catalog (flat object of dotted keys) define `key`? */
export function hasKey(catalog, key) {
  return !!catalog && Object.prototype.hasOwnProperty.call(catalog, key) && typeof catalog[key] === 'string';
}

/**
 * Look `key` up in the locale's catalog, then in the default locale's, then in any other;
 * a key found nowhere is returned as-is (so a gap is visible, never blank).
 */
export function translate(catalogs, locale, key, params) {
  const order = [locale, DEFAULT_LOCALE, ...LOCALES];
  for (const loc of order) {
    if (hasKey(catalogs[loc], key)) return interpolate(catalogs[loc][key], params);
  }
  return key;
}

/** 'YYYY-MM-DD' → a local Date at midnight (not UTC, so the day never shifts). */
export function parseIsoDay(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return date;
}

/** A Date → 'YYYY-MM-DD' in local time. */
export function isoDay(date) {
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(date.getFullYear(), 4)}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
}

function toDate(value) {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value * 1000); // epoch seconds, as the core sends
  if (typeof value === 'string') return parseIsoDay(value) ?? new Date(value);
  return new Date(NaN);
}

/** A calendar date, e.g. 2026年5月4日 / May 4, 2026; `{long: true}` adds the weekday. */
export function formatDate(locale, value, { long = false, timeZone } = {}) {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '';
  const opts = long
    ? { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }
    : { year: 'numeric', month: 'short', day: 'numeric' };
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone }).format(date);
}

/** A date and time; numbers are epoch seconds. */
export function formatDateTime(locale, value, { timeZone } = {}) {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone,
  }).format(date);
}

/** A weekday name; `weekday` is 1 = Monday … 7 = Sunday as in the core. */
export function formatWeekday(locale, weekday, width = 'long') {
  // 2024-01-01 was a Monday.
  const date = new Date(2024, 0, weekday);
  return new Intl.DateTimeFormat(locale, { weekday: width }).format(date);
}

/** A plain number with the locale's grouping. */
export function formatNumber(locale, value) {
  return new Intl.NumberFormat(locale).format(value);
}

/** Money from integer minor units (分): 123456 → ¥1,234.56. */
export function formatMoney(locale, minorUnits) {
  const n = Number(minorUnits);
  if (!Number.isFinite(n)) return '';
  return new Intl.NumberFormat(locale, {
    style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2, maximumFractionDigits: 2,
  }).format(n / 100);
}
