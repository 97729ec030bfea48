// Hash routing (#/today, #/settings/users …) wired to the window; parsing lives in logic/router-core.js.
import { parseHash, buildHash } from './logic/router-core.js';

export { PAGES, SETTINGS_TABS, pageForDigit } from './logic/router-core.js';

/** The route in the address bar now. */
export function currentRoute() {
  return parseHash(window.location.hash);
}

/** Go to a route (a no-op when already there). */
export function navigate(route) {
  const hash = buildHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}

/** Call `fn(route)` on every hash change; returns an unsubscribe function. */
export function onRouteChange(fn) {
  const handler = () => fn(currentRoute());
  window.addEventListener('hashchange', handler);
  return () => window.removeEventListener('hashchange', handler);
}

export { buildHash };
