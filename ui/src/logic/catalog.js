// Pure lists the screens pick from: roles, time zones, theme modes, and who may edit what
// (the UI only hides controls; the core enforces the same table).

/** Roles in picker order (crates/core permission::Role). */
export const ROLES = ['admin', 'supervisor', 'head', 'staff', 'viewer'];

/** Time zones offered in pickers, the team's usual ones first. */
export const TIME_ZONES = [
  'Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Macau', 'Asia/Taipei', 'Asia/Urumqi',
  'Asia/Singapore', 'Asia/Kuala_Lumpur', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Bangkok',
  'Asia/Ho_Chi_Minh', 'Asia/Jakarta', 'Asia/Manila', 'Asia/Kolkata', 'Asia/Dubai',
  'Europe/Moscow', 'Europe/Berlin', 'Europe/Paris', 'Europe/London', 'UTC',
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Sao_Paulo',
  'Australia/Sydney', 'Pacific/Auckland',
];
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The list to show for a current value: ours, plus the value itself if it is not among them. */
export function timeZoneChoices(current) {
  return current && !TIME_ZONES.includes(current) ? [current, ...TIME_ZONES] : [...TIME_ZONES];
}

/** Theme choices; 'system' follows prefers-color-scheme. */
export const THEME_MODES = ['system', 'light', 'dark'];

/** The mode after `mode` when the toggle is pressed. */
export function nextThemeMode(mode) {
  const i = THEME_MODES.indexOf(mode);
  return THEME_MODES[(i + 1) % THEME_MODES.length];
}

/** What each role may change (crates/core permission::allows). */
export function can(role, action) {
  switch (action) {
    case 'team_edit':
    case 'hours_edit':
    case 'user_manage':
    case 'password_reset':
      return role === 'admin';
    case 'calendar_edit':
      return role === 'admin' || role === 'supervisor';
    default:
      return false;
  }
}
