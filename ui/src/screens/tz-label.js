// How a time zone is shown in pickers: its IANA id with the current UTC offset.
import { locale } from '../i18n.js';

export function timeZoneLabel(zone) {
  try {
    const parts = new Intl.DateTimeFormat(locale(), { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date());
    const offset = parts.find((p) => p.type === 'timeZoneName')?.value;
    return offset ? `${zone} (${offset})` : zone;
  } catch {
    return zone;
  }
}
