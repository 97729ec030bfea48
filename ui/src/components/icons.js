// Line icons drawn with the DOM's SVG API (no icon fonts, no HTML strings). icon(name) → <svg>.
import { svg } from '../dom.js';

const line = (d) => ['path', { d }];
const circle = (cx, cy, r, fill) => ['circle', { cx, cy, r, fill: fill ? 'currentColor' : 'none' }];
const rect = (x, y, width, height, rx = 2) => ['rect', { x, y, width, height, rx }];

const SHAPES = {
  today: [rect(3, 4, 14, 13), line('M3 8h14'), line('M7 2.5v3'), line('M13 2.5v3'), circle(10, 12.5, 1.6, true)],
  customers: [circle(7.5, 7, 2.6), line('M2.8 16.5c0-2.7 2.1-4.5 4.7-4.5s4.7 1.8 4.7 4.5'), circle(14, 7.5, 2), line('M13.4 12c2.2 0 3.8 1.5 3.8 3.8')],
  interactions: [line('M4 4h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H9.5L6 17v-3H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z'), line('M6.5 8h7'), line('M6.5 11h4.5')],
  feedback: [line('M3 11l2-6.5h10l2 6.5v5.5H3z'), line('M3 11h4l1 2h4l1-2h4')],
  plans: [rect(4, 3, 12, 14, 1.5), line('M7 8l1.6 1.6L12.5 6'), line('M7 13h6')],
  reports: [line('M3 17h14'), line('M5 15v-4'), line('M8.7 15V5'), line('M12.3 15V8'), line('M16 15v-6')],
  settings: [line('M3 6h14'), line('M3 10h14'), line('M3 14h14'), circle(7.5, 6, 1.9, true), circle(13, 10, 1.9, true), circle(6, 14, 1.9, true)],
  search: [circle(8.8, 8.8, 5), line('M12.6 12.6l4.4 4.4')],
  sun: [circle(10, 10, 3.4), line('M10 2.5v2M10 15.5v2M2.5 10h2M15.5 10h2M4.7 4.7l1.4 1.4M13.9 13.9l1.4 1.4M4.7 15.3l1.4-1.4M13.9 6.1l1.4-1.4')],
  moon: [line('M15.5 12.6A6.5 6.5 0 1 1 7.4 4.5a5.2 5.2 0 0 0 8.1 8.1z')],
  system: [rect(3, 4, 14, 10, 1.5), line('M7 17h6'), line('M10 14v3')],
  user: [circle(10, 7, 3.2), line('M3.8 17c0-3.2 2.8-5.2 6.2-5.2s6.2 2 6.2 5.2')],
  chevron: [line('M6 8l4 4 4-4')],
  command: [line('M7 7h6v6H7z'), line('M7 7V5.5A1.5 1.5 0 1 0 5.5 7H7M13 7V5.5A1.5 1.5 0 1 1 14.5 7H13M7 13v1.5A1.5 1.5 0 1 1 5.5 13H7M13 13v1.5a1.5 1.5 0 1 0 1.5-1.5H13')],
  plus: [line('M10 4v12M4 10h12')],
  close: [line('M5 5l10 10M15 5L5 15')],
  upload: [line('M10 13V3.5'), line('M6 7l4-4 4 4'), line('M3.5 13v3.5h13V13')],
  inbox: [line('M3 11l2-6.5h10l2 6.5v5.5H3z'), line('M3 11h4l1 2h4l1-2h4')],
  bell: [line('M5 14V9a5 5 0 0 1 10 0v5l1.5 1.5h-13z'), line('M8.5 17.5a1.6 1.6 0 0 0 3 0')],
};

/** An inline icon; decorative (aria-hidden) unless a label is given. */
export function icon(name, { label, size = 20 } = {}) {
  const parts = SHAPES[name] ?? SHAPES.inbox;
  return svg(
    'svg',
    {
      class: `icon icon-${name}`,
      viewBox: '0 0 20 20',
      width: size,
      height: size,
      fill: 'none',
      stroke: 'currentColor',
      'stroke-width': 1.6,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
      'aria-hidden': label ? null : 'true',
      role: label ? 'img' : null,
      'aria-label': label ?? null,
      focusable: 'false',
    },
    parts.map(([tag, attrs]) => svg(tag, attrs)),
  );
}
