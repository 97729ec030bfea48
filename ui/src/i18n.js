// The app's i18n state: the current language, t(), the formatters bound to it, and change
// notification so the current screen re-renders at once. Catalogs live in ./locales/*.json.
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';
import * as core from './logic/i18n-core.js';
import { errorMessage } from './logic/errors.js';

const catalogs = { 'zh-CN': zhCN, en };
const DEVICE_KEY = 'rapport.locale';
const listeners = new Set();
let current = core.DEFAULT_LOCALE;

function devicePref() {
  try {
    return localStorage.getItem(DEVICE_KEY);
  } catch {
    return null;
  }
}

/** The current language id ('zh-CN' or 'en'). */
export function locale() {
  return current;
}

/** Translate `key`, filling `{name}` placeholders from params. */
export function t(key, params) {
  return core.translate(catalogs, current, key, params);
}

/** Does the catalog know `key`? (for keys built at run time) */
export function has(key) {
  return core.hasKey(catalogs[current], key) || core.hasKey(catalogs[core.DEFAULT_LOCALE], key);
}

/** `t(key)` when the key exists, else `fallback` (e.g. a raw value from the core). */
export function tOr(key, fallback, params) {
  return has(key) ? t(key, params) : fallback;
}

/** Choose the language from the user's preference, this device's last pick, or the OS. */
export function initLocale(userPref) {
  apply(core.pickLocale({ userPref, devicePref: devicePref(), navigatorLanguage: globalThis.navigator?.language }), false);
}

/** Switch language now; listeners re-render. */
export function setLocale(next) {
  const loc = core.supportedLocale(next);
  if (!loc) return;
  try {
    localStorage.setItem(DEVICE_KEY, loc);
  } catch {
    /* storage unavailable: the choice still holds for this run */
  }
  apply(loc, true);
}

function apply(loc, notify) {
  const changed = loc !== current;
  current = loc;
  document.documentElement.lang = loc;
  if (changed && notify) for (const fn of listeners) fn(loc);
}

/** Call `fn(locale)` after every language switch; returns an unsubscribe function. */
export function onLocaleChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export const formatDate = (value, opts) => core.formatDate(current, value, opts);
export const formatDateTime = (value, opts) => core.formatDateTime(current, value, opts);
export const formatNumber = (value) => core.formatNumber(current, value);
export const formatMoney = (minorUnits) => core.formatMoney(current, minorUnits);
export const formatWeekday = (weekday, width) => core.formatWeekday(current, weekday, width);

/** Translated text for any error (ApiError or not). */
export function errorText(err) {
  return errorMessage(err, { t, has });
}

export { LOCALES } from './logic/i18n-core.js';
