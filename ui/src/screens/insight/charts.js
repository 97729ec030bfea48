// Chart.js wiring for the Insight dashboard. Chart.js (npm `chart.js`, tree-shaken to the bar,
// line and doughnut controllers) draws on a <canvas> and only touches element.style through the
// CSSOM, so it runs under the app's strict CSP (no injected <style>, no eval). Colours come from
// the theme's CSS variables. Each chart records the centres of its bars or slices in
// data-hits (JSON) after drawing, so tests and assistive tooling can find what a click opens.
import {
  Chart, BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement,
  CategoryScale, LinearScale, Legend, Tooltip,
} from 'chart.js';
import { h } from '../../dom.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Legend, Tooltip);

/** A palette readable on light and dark backgrounds. */
export const COLOURS = ['#2563c9', '#e07b1a', '#1d9a6c', '#c7322b', '#7b4fc9', '#0e8fa3', '#b58900', '#8a8f98'];
/** Promoters, passives, detractors. */
export const NPS_COLOURS = ['#1d9a6c', '#b8bec7', '#c7322b'];

function cssVar(name, fallback) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Record the centres of the drawn elements for tests and tooling. */
const hitsPlugin = {
  id: 'rapportHits',
  afterRender(chart) {
    const hits = [];
    chart.data.datasets.forEach((ds, d) => {
      const meta = chart.getDatasetMeta(d);
      if (meta.hidden || meta.type === 'line') return;
      meta.data.forEach((el, i) => {
        const value = ds.data[i];
        if (!value) return;
        const p = el.tooltipPosition ? el.tooltipPosition(true) : { x: el.x, y: el.y };
        hits.push({ d, i, x: Math.round(p.x), y: Math.round(p.y), v: value });
      });
    });
    chart.canvas.dataset.hits = JSON.stringify(hits);
  },
};

/**
 * A chart in a sized box. `config` is a Chart.js config; `onPick({datasetIndex, index})` runs
 * when a bar or slice is clicked. Returns `{el, destroy}`.
 */
export function chartBox({ testid, label, config, onPick, tall = false }) {
  const canvas = h('canvas', { 'data-testid': testid, role: 'img', 'aria-label': label });
  const el = h('div', { class: ['in-chart', tall ? 'is-tall' : null] }, canvas);
  const text = cssVar('--muted', '#5f6670');
  const grid = cssVar('--border', '#dfe3e8');
  const scales = config.options?.scales ?? {};
  for (const axis of Object.values(scales)) {
    axis.ticks = { color: text, ...(axis.ticks ?? {}) };
    axis.grid = { color: grid, ...(axis.grid ?? {}) };
  }
  const chart = new Chart(canvas, {
    ...config,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...config.options,
      plugins: { legend: { labels: { color: text, boxWidth: 12 } }, ...(config.options?.plugins ?? {}) },
      onHover: (evt, els) => {
        canvas.classList.toggle('is-pickable', !!onPick && els.length > 0);
      },
      onClick: (evt, els) => {
        if (!onPick || !els.length) return;
        onPick({ datasetIndex: els[0].datasetIndex, index: els[0].index });
      },
    },
    plugins: [hitsPlugin],
  });
  return { el, destroy: () => chart.destroy() };
}
