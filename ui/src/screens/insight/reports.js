// The Reports card of the Insight page: monthly complaint analysis, quarterly call-back summary
// and per-department service quality as tables on screen, exported as XLSX into the data
// folder's exports/ (like the customer export), or printed with the web view's print dialog.
import { h, replaceChildren, options } from '../../dom.js';
import { t, locale, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { button, loadFailed } from '../../components/form.js';
import { exportButton } from '../../components/export-button.js';
import { pctWithCounts, npsText, hours } from '../../logic/insight.js';

const KINDS = ['monthly_complaints', 'quarterly_callbacks', 'service_quality'];

function table(testid, headers, rows) {
  return h(
    'table',
    { class: 'table in-table', 'data-testid': testid },
    h('thead', {}, h('tr', {}, headers.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-testid': `${testid}-row` }, r.map((c) => h('td', {}, c ?? '—'))))),
  );
}

const yes = (v) => (v === null || v === undefined ? '—' : t(v ? 'insight.yes' : 'insight.no'));

function body(report) {
  const p = h('p', { class: 'muted' }, t('insight.period', { from: report.period.from, to: report.period.to }));
  if (report.kind === 'monthly_complaints') {
    return [
      p,
      table('insight-report-causes', [t('insight.report.col.cause'), t('insight.complaints'), t('insight.cumulative')], report.causes.bars.map((b) => [locale().startsWith('zh') ? b.label : b.label_en, formatNumber(b.count), `${Math.round(b.cumulative)}%`])),
      report.rows.length
        ? table('insight-report-complaints', [t('insight.report.col.number'), t('insight.col.customer'), t('insight.report.col.date'), t('insight.report.col.cause'), t('insight.col.department'), t('insight.response_on_time'), t('insight.resolution_on_time')], report.rows.map((r) => [r.number, r.customer, r.date, locale().startsWith('zh') ? r.category_zh : r.category_en, r.department, yes(r.response_on_time), yes(r.resolved_on_time)]))
        : h('p', { class: 'muted', 'data-testid': 'insight-report-empty' }, t('insight.empty.causes')),
    ];
  }
  if (report.kind === 'quarterly_callbacks') {
    return [
      p,
      table('insight-report-tiers', [t('insight.col.tier'), t('insight.planned'), t('insight.done'), t('insight.logged')], report.tiers.map((x) => [t('insight.tier_interval', { tier: x.tier, months: x.interval_months }), formatNumber(x.planned), pctWithCounts(x.completion_pct, x.done, x.planned), formatNumber(x.logged)])),
      report.rows.length
        ? table('insight-report-callbacks', [t('insight.col.customer'), t('insight.report.col.date'), t('insight.report.col.caller'), t('insight.report.col.goal'), t('insight.col.owner')], report.rows.map((r) => [r.customer, r.date, r.caller, r.goal, r.owner]))
        : h('p', { class: 'muted', 'data-testid': 'insight-report-empty' }, t('insight.empty.callbacks')),
    ];
  }
  return [
    p,
    table('insight-report-quality', [t('insight.col.department'), t('insight.col.items'), t('insight.response_on_time'), t('insight.resolution_on_time'), t('insight.col.median'), t('insight.col.csat_good'), 'NPS'], report.departments.map((d) => [
      d.timeliness.name || t('insight.no_department'),
      formatNumber(d.timeliness.items),
      pctWithCounts(d.timeliness.response_on_time_pct, d.timeliness.response_on_time, d.timeliness.response_decided),
      pctWithCounts(d.timeliness.resolution_on_time_pct, d.timeliness.resolution_on_time, d.timeliness.closed),
      hours(d.timeliness.median_handling_secs),
      pctWithCounts(d.satisfaction.csat_good_pct, d.satisfaction.csat_good, d.satisfaction.csat_count),
      npsText(d.satisfaction.nps, d.satisfaction.nps_count),
    ])),
  ];
}

/** The Reports card. `period()` gives the dashboard's current period and filter state. */
export function reportsCard(period, filterState) {
  const today = new Date().toISOString().slice(0, 10);
  const state = { kind: KINDS[0], day: today };
  const out = h('div', { class: 'in-report', 'data-testid': 'insight-report' });
  const request = () => {
    const p = period();
    const quality = state.kind === 'service_quality';
    const num = (v) => (v === '' ? null : Number(v));
    return {
      kind: state.kind,
      from: quality ? p.from : state.day,
      to: quality ? p.to : null,
      department_id: num(filterState.department),
      owner_user_id: num(filterState.owner),
    };
  };
  async function show() {
    try {
      replaceChildren(out, body(await api.reportBuild(request())));
    } catch (err) {
      replaceChildren(out, loadFailed(err, show, 'insight-report-retry'));
    }
  }
  const kind = h('select', { class: 'input select', 'data-testid': 'insight-report-kind', 'aria-label': t('insight.report.kind'), onchange: () => { state.kind = kind.value; day.disabled = state.kind === 'service_quality'; show(); } }, options(KINDS.map((k) => [k, t(`insight.report.${k}`)]), state.kind));
  const day = h('input', { class: 'input in-date', type: 'date', 'data-testid': 'insight-report-day', 'aria-label': t('insight.report.day'), title: t('insight.report.day_hint'), value: state.day, onchange: () => { state.day = day.value || today; show(); } });
  const el = h(
    'section',
    { class: 'card in-card', 'data-testid': 'insight-reports' },
    h('h2', { class: 'in-card-title' }, t('insight.reports')),
    h(
      'div',
      { class: 'in-filters' },
      kind,
      day,
      exportButton({ testid: 'insight-report-export', kind: 'primary', label: t('insight.report.export'), run: () => api.reportExport(request(), locale()) }),
      button({ testid: 'insight-report-print', label: t('insight.print'), onclick: () => window.print() }),
    ),
    out,
  );
  show();
  return el;
}
