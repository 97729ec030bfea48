// Light / dark / follow-the-OS theme: the choice is kept in localStorage, the resolved theme is
// set as <html data-theme> so styles.css can switch its colour variables.
import { THEME_MODES } from './logic/catalog.js';

const KEY = 'rapport.theme';
const media = globalThis.matchMedia ? matchMedia('(prefers-color-scheme: dark)') : null;
const listeners = new Set();

/** The stored choice: 'system' (default), 'light' or 'dark'. */
export function themeMode() {
  try {
    const v = localStorage.getItem(KEY);
    return THEME_MODES.includes(v) ? v : 'system';
  } catch {
    return 'system';
  }
}

/** 'light' or 'dark' after resolving 'system'. */
export function resolvedTheme(mode = themeMode()) {
  if (mode === 'system') return media?.matches ? 'dark' : 'light';
  return mode;
}

/** Put the current theme on <html>. */
export function applyTheme() {
  const mode = themeMode();
  document.documentElement.dataset.theme = resolvedTheme(mode);
  document.documentElement.dataset.themeMode = mode;
  for (const fn of listeners) fn(mode);
}

/** Store and apply a new choice. */
export function setThemeMode(mode) {
  if (!THEME_MODES.includes(mode)) return;
  try {
    localStorage.setItem(KEY, mode);
  } catch {
    /* not stored; still applied for this run */
  }
  applyTheme();
}

/** Call `fn(mode)` whenever the theme changes; returns an unsubscribe function. */
export function onThemeChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

media?.addEventListener?.('change', () => {
  if (themeMode() === 'system') applyTheme();
});
