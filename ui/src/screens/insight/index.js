// The Reports page's dashboard (#/reports): satisfaction (CSAT, NPS), feedback volume and
// overdue items, timeliness per department, complaint causes (Pareto) and relationship health
// (call-backs vs plan, customers by stage and tier, churn risk) for a period, department and
// owner. Every figure comes from one `insight_dashboard` call; the core applies the role's scope.
// Clicking a bar or a slice opens the feedback or customer list with the matching filter.
import './insight.css';
import { h, replaceChildren, options } from '../../dom.js';
import { t, locale, formatNumber } from '../../i18n.js';
import * as api from '../../api.js';
import { buildHash } from '../../router.js';
import { button, loading, loadFailed } from '../../components/form.js';
import { icon } from '../../components/icons.js';
import { pageHead } from '../page-head.js';
import { presetFeedbackFilter } from '../feedback/list.js';
import { presetCustomerFilter } from '../customers/list.js';
import { chartBox, COLOURS, NPS_COLOURS } from './charts.js';
import { reportsCard } from './reports.js';
import { surveyImportDialog } from './survey-import.js';
import {
  PRESETS, emptyState, toFilter, pctWithCounts, npsText, hours, seriesByKey, feedbackDrill, customerDrill,
  stageTierSeries, hasData,
} from '../../logic/insight.js';

const STAGES = ['potential', 'signed', 'strategic', 'churned'];
const TIERS = ['A', 'B', 'C'];
const CATEGORY_KEYS = ['complaint', 'suggestion', 'inquiry'];

// Kept across visits within a session, like the lists' filters.
const state = emptyState();

function card(testid, title, ...children) {
  return h('section', { class: 'card in-card', 'data-testid': testid }, h('h2', { class: 'in-card-title' }, title), children);
}

function emptyNote(testid, text) {
  return h('p', { class: 'muted in-empty', 'data-testid': testid }, text);
}

function kpi(testid, label, value, sub) {
  return h(
    'div',
    { class: 'in-kpi' },
    h('div', { class: 'in-kpi-label' }, label),
    h('div', { class: 'in-kpi-value', 'data-testid': testid }, value),
    sub ? h('div', { class: 'in-kpi-sub muted' }, sub) : null,
  );
}

export function mountInsight({ navigate, actor }) {
  let alive = true;
  let charts = [];
  let refs = null;
  let db = null;
  const content = h('div', { class: 'in-content' }, loading());
  const filterBar = h('div', { class: 'in-filters', role: 'search', 'aria-label': t('insight.filters') });

  const zh = () => locale().startsWith('zh');
  const catLabel = (code) => {
    const c = db.feedback.categories.find((x) => x.code === code);
    return c ? (zh() ? c.name_zh : c.name_en) : code;
  };
  const catId = (code) => db.feedback.categories.find((x) => x.code === code)?.id ?? null;

  function openFeedback(pick) {
    presetFeedbackFilter(feedbackDrill(db.period, state, pick));
    navigate({ page: 'feedback' });
  }
  function openCustomers(pick) {
    presetCustomerFilter(customerDrill(state, pick));
    navigate({ page: 'customers' });
  }

  function addChart(opts) {
    const c = chartBox(opts);
    charts.push(c);
    return c.el;
  }

  function destroyCharts() {
    for (const c of charts) c.destroy();
    charts = [];
  }

  async function reload() {
    try {
      if (!refs) {
        const [departments, users] = await Promise.all([api.departmentsList(), api.usersList()]);
        refs = { departments: departments.filter((d) => !d.archived), users: users.filter((u) => u.role !== 'viewer') };
        if (alive) renderFilters();
      }
      const next = await api.insightDashboard(toFilter(state));
      if (!alive) return;
      db = next;
      render();
    } catch (err) {
      if (alive) {
        destroyCharts();
        replaceChildren(content, loadFailed(err, reload, 'insight-retry'));
      }
    }
  }

  function renderFilters() {
    const sel = (key, testid, label, choices, withEmpty = true) => {
      const el = h('select', { class: 'input select', 'data-testid': testid, 'aria-label': label, title: label, onchange: () => { state[key] = el.value; renderFilters(); reload(); } }, options(withEmpty ? [['', label], ...choices] : choices, state[key]));
      return el;
    };
    const date = (key, testid, label) => {
      const el = h('input', { class: 'input in-date', type: 'date', 'data-testid': testid, 'aria-label': label, title: label, value: state[key], onchange: () => { state[key] = el.value; if (state.from && state.to) reload(); } });
      return el;
    };
    replaceChildren(
      filterBar,
      sel('preset', 'insight-filter-preset', t('insight.filter.period'), PRESETS.map((p) => [p, t(`insight.preset.${p}`)]), false),
      state.preset === 'custom' ? [date('from', 'insight-filter-from', t('insight.filter.from')), date('to', 'insight-filter-to', t('insight.filter.to'))] : null,
      sel('department', 'insight-filter-department', t('insight.filter.department'), refs.departments.map((d) => [d.id, d.name])),
      sel('owner', 'insight-filter-owner', t('insight.filter.owner'), refs.users.map((u) => [u.id, u.display_name])),
    );
  }

  function render() {
    destroyCharts();
    const p = db.period;
    replaceChildren(
      content,
      h('p', { class: 'muted in-period', 'data-testid': 'insight-period' }, t('insight.period', { from: p.from, to: p.to })),
      kpis(),
      h('div', { class: 'in-grid' }, satisfactionCard(), feedbackCard(), timelinessCard(), causesCard(), relationshipCard()),
      riskCard(),
      reportsCard(() => db.period, state),
    );
  }

  function kpis() {
    const s = db.satisfaction_total;
    const v = db.feedback.volume;
    return h(
      'div',
      { class: 'in-kpis' },
      kpi('insight-kpi-nps', t('insight.kpi.nps'), npsText(s.nps, s.nps_count), t('insight.kpi.nps_split', { p: s.promoters, n: s.passives, d: s.detractors })),
      kpi('insight-kpi-csat', t('insight.kpi.csat_good'), pctWithCounts(s.csat_good_pct, s.csat_good, s.csat_count), s.csat_average === null ? null : t('insight.kpi.csat_avg', { avg: (Math.round(s.csat_average * 100) / 100).toFixed(2) })),
      kpi('insight-kpi-feedback', t('insight.kpi.feedback'), formatNumber(v.total), t('insight.kpi.open_closed', { open: v.open, closed: v.closed })),
      kpi('insight-kpi-overdue', t('insight.kpi.overdue'), formatNumber(db.feedback.overdue_now), t('insight.kpi.overdue_hint')),
      kpi('insight-kpi-risk', t('insight.kpi.risk'), formatNumber(db.relationship.churn_risk_total), t('insight.kpi.risk_hint', { days: db.relationship.no_contact_days })),
    );
  }

  function satisfactionCard() {
    const months = db.period.months;
    const pts = db.satisfaction;
    if (!hasData(pts.map((x) => [x.nps_count, x.csat_count]))) {
      return card('insight-satisfaction', t('insight.satisfaction'), emptyNote('insight-empty-satisfaction', t('insight.empty.satisfaction')));
    }
    const nps = addChart({
      testid: 'insight-chart-nps',
      label: t('insight.chart.nps'),
      config: {
        type: 'bar',
        data: {
          labels: months,
          datasets: [
            { label: t('insight.promoters'), data: pts.map((x) => x.promoters), backgroundColor: NPS_COLOURS[0], stack: 'n' },
            { label: t('insight.passives'), data: pts.map((x) => x.passives), backgroundColor: NPS_COLOURS[1], stack: 'n' },
            { label: t('insight.detractors'), data: pts.map((x) => x.detractors), backgroundColor: NPS_COLOURS[2], stack: 'n' },
            { type: 'line', label: 'NPS', data: pts.map((x) => x.nps), borderColor: COLOURS[0], backgroundColor: COLOURS[0], yAxisID: 'y1', spanGaps: true },
          ],
        },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y1: { position: 'right', min: -100, max: 100, grid: { drawOnChartArea: false } } } },
      },
    });
    const csat = addChart({
      testid: 'insight-chart-csat',
      label: t('insight.chart.csat'),
      config: {
        type: 'bar',
        data: {
          labels: months,
          datasets: [
            { label: t('insight.csat_good_pct'), data: pts.map((x) => x.csat_good_pct), backgroundColor: COLOURS[2] },
            { type: 'line', label: t('insight.csat_avg'), data: pts.map((x) => x.csat_average), borderColor: COLOURS[1], backgroundColor: COLOURS[1], yAxisID: 'y1', spanGaps: true },
          ],
        },
        options: { scales: { y: { min: 0, max: 100 }, y1: { position: 'right', min: 1, max: 5, grid: { drawOnChartArea: false } } } },
      },
    });
    const table = h(
      'table',
      { class: 'table in-table', 'data-testid': 'insight-satisfaction-table' },
      h('thead', {}, h('tr', {}, [t('insight.col.month'), 'NPS', t('insight.col.csat_good'), t('insight.col.csat_avg')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, pts.map((x) => h('tr', {}, h('td', {}, x.month), h('td', {}, npsText(x.nps, x.nps_count)), h('td', {}, pctWithCounts(x.csat_good_pct, x.csat_good, x.csat_count)), h('td', {}, x.csat_average === null ? '—' : x.csat_average.toFixed(2))))),
    );
    return card('insight-satisfaction', t('insight.satisfaction'), h('div', { class: 'in-pair' }, nps, csat), table);
  }

  function feedbackCard() {
    const months = db.period.months;
    const v = db.feedback.volume;
    if (!v.total) return card('insight-feedback', t('insight.feedback'), emptyNote('insight-empty-feedback', t('insight.empty.feedback')));
    const cats = seriesByKey(months, v.by_category, CATEGORY_KEYS);
    const chans = seriesByKey(months, v.by_channel);
    const byCat = addChart({
      testid: 'insight-chart-category',
      label: t('insight.chart.category'),
      config: {
        type: 'bar',
        data: { labels: months, datasets: cats.map((s, i) => ({ label: catLabel(s.key), data: s.data, backgroundColor: COLOURS[i % COLOURS.length], stack: 'c' })) },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
      },
      onPick: ({ datasetIndex, index }) => openFeedback({ month: months[index], category: catId(cats[datasetIndex].key) }),
    });
    const byChan = addChart({
      testid: 'insight-chart-channel',
      label: t('insight.chart.channel'),
      config: {
        type: 'bar',
        data: { labels: months, datasets: chans.map((s, i) => ({ label: t(`feedback.channel.${s.key}`), data: s.data, backgroundColor: COLOURS[i % COLOURS.length], stack: 'c' })) },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
      },
      onPick: ({ datasetIndex, index }) => openFeedback({ month: months[index], channel: chans[datasetIndex].key }),
    });
    const status = addChart({
      testid: 'insight-chart-status',
      label: t('insight.chart.status'),
      config: {
        type: 'doughnut',
        data: { labels: [t('insight.open'), t('insight.closed')], datasets: [{ data: [v.open, v.closed], backgroundColor: [COLOURS[1], COLOURS[2]] }] },
        options: { plugins: { legend: { position: 'bottom' } } },
      },
      onPick: ({ index }) => openFeedback({ status: index === 0 ? 'open' : 'closed' }),
    });
    return card('insight-feedback', t('insight.feedback'), h('div', { class: 'in-pair' }, byCat, byChan), h('div', { class: 'in-small' }, status), h('p', { class: 'muted in-hint' }, t('insight.drill_hint')));
  }

  function timelinessCard() {
    const rows = db.timeliness;
    const name = (r) => r.name || t('insight.no_department');
    const body = [];
    if (hasData(rows.map((r) => r.items))) {
      body.push(addChart({
        testid: 'insight-chart-timeliness',
        label: t('insight.chart.timeliness'),
        config: {
          type: 'bar',
          data: {
            labels: rows.map(name),
            datasets: [
              { label: t('insight.response_on_time'), data: rows.map((r) => r.response_on_time_pct), backgroundColor: COLOURS[0] },
              { label: t('insight.resolution_on_time'), data: rows.map((r) => r.resolution_on_time_pct), backgroundColor: COLOURS[2] },
            ],
          },
          options: { scales: { y: { min: 0, max: 100 } } },
        },
        onPick: ({ index }) => openFeedback({ department: rows[index].department_id }),
      }));
    } else body.push(emptyNote('insight-empty-timeliness', t('insight.empty.feedback')));
    body.push(h(
      'table',
      { class: 'table in-table', 'data-testid': 'insight-timeliness-table' },
      h('thead', {}, h('tr', {}, [t('insight.col.department'), t('insight.col.items'), t('insight.response_on_time'), t('insight.resolution_on_time'), t('insight.col.median'), t('insight.col.p90')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((r) => h(
        'tr',
        { 'data-testid': 'insight-timeliness-row', dataset: { department: r.department_id ?? '' } },
        h('td', {}, r.items && r.department_id !== null ? h('a', { href: buildHash({ page: 'feedback' }), onclick: (e) => { e.preventDefault(); openFeedback({ department: r.department_id }); } }, name(r)) : name(r)),
        h('td', { class: 'num' }, formatNumber(r.items)),
        h('td', {}, pctWithCounts(r.response_on_time_pct, r.response_on_time, r.response_decided)),
        h('td', {}, pctWithCounts(r.resolution_on_time_pct, r.resolution_on_time, r.closed)),
        h('td', { class: 'num' }, hours(r.median_handling_secs) ?? '—'),
        h('td', { class: 'num' }, hours(r.p90_handling_secs) ?? '—'),
      ))),
    ));
    return card('insight-timeliness', t('insight.timeliness'), body, h('p', { class: 'muted in-hint' }, t('insight.timeliness_hint')));
  }

  function paretoChart(testid, label, pareto, onPick) {
    const labels = pareto.bars.map((b) => (zh() ? b.label : b.label_en));
    return addChart({
      testid,
      label,
      config: {
        type: 'bar',
        data: {
          labels,
          datasets: [
            { label: t('insight.complaints'), data: pareto.bars.map((b) => b.count), backgroundColor: COLOURS[3] },
            { type: 'line', label: t('insight.cumulative'), data: pareto.bars.map((b) => b.cumulative), borderColor: COLOURS[0], backgroundColor: COLOURS[0], yAxisID: 'y1' },
          ],
        },
        options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } }, y1: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } } } },
      },
      onPick: ({ index }) => onPick(pareto.bars[index]),
    });
  }

  function causesCard() {
    const c = db.causes;
    if (!c.by_category.total) return card('insight-causes', t('insight.causes'), emptyNote('insight-empty-causes', t('insight.empty.causes')));
    const share = (p) => pctWithCounts(p.top3_share, p.top3, p.total);
    return card(
      'insight-causes',
      t('insight.causes'),
      h('p', { 'data-testid': 'insight-top3' }, t('insight.top3', { share: share(c.by_category) })),
      paretoChart('insight-chart-pareto-category', t('insight.chart.pareto_category'), c.by_category, (b) => openFeedback({ category: Number(b.key) })),
      c.by_tag.total
        ? [h('p', { 'data-testid': 'insight-top3-tags' }, t('insight.top3_tags', { share: share(c.by_tag) })), paretoChart('insight-chart-pareto-tag', t('insight.chart.pareto_tag'), c.by_tag, (b) => openCustomers({ tag: b.key }))]
        : emptyNote('insight-empty-tags', t('insight.empty.tags')),
    );
  }

  function relationshipCard() {
    const r = db.relationship;
    const cb = r.callbacks;
    const st = stageTierSeries(r.customers, STAGES, TIERS);
    const body = [];
    if (hasData(cb.map((x) => [x.planned, x.logged]))) {
      body.push(addChart({
        testid: 'insight-chart-callbacks',
        label: t('insight.chart.callbacks'),
        config: {
          type: 'bar',
          data: {
            labels: cb.map((x) => t('insight.tier_interval', { tier: x.tier, months: x.interval_months })),
            datasets: [
              { label: t('insight.planned'), data: cb.map((x) => x.planned), backgroundColor: COLOURS[7] },
              { label: t('insight.done'), data: cb.map((x) => x.done), backgroundColor: COLOURS[2] },
              { label: t('insight.logged'), data: cb.map((x) => x.logged), backgroundColor: COLOURS[0] },
            ],
          },
          options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
        },
        onPick: ({ index }) => openCustomers({ tier: cb[index].tier }),
      }));
    } else body.push(emptyNote('insight-empty-callbacks', t('insight.empty.callbacks')));
    body.push(h('ul', { class: 'in-tiers', 'data-testid': 'insight-callback-rates' }, cb.map((x) => h('li', {}, t('insight.tier_rate', { tier: x.tier, rate: pctWithCounts(x.completion_pct, x.done, x.planned) })))));
    if (hasData(st.tiers.map((x) => x.data))) {
      body.push(addChart({
        testid: 'insight-chart-stages',
        label: t('insight.chart.stages'),
        config: {
          type: 'bar',
          data: { labels: STAGES.map((s) => t(`customer.stage.${s}`)), datasets: st.tiers.map((x, i) => ({ label: t('customer.tier_n', { tier: x.tier }), data: x.data, backgroundColor: COLOURS[i], stack: 's' })) },
          options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
        },
        onPick: ({ datasetIndex, index }) => openCustomers({ stage: STAGES[index], tier: st.tiers[datasetIndex].tier }),
      }));
    } else body.push(emptyNote('insight-empty-customers', t('insight.empty.customers')));
    return card('insight-relationship', t('insight.relationship'), body);
  }

  function riskCard() {
    const r = db.relationship;
    if (!r.churn_risk.length) return card('insight-risk', t('insight.risk'), emptyNote('insight-empty-risk', t('insight.empty.risk')));
    return card(
      'insight-risk',
      t('insight.risk'),
      h('p', { class: 'muted' }, t('insight.risk_count', { shown: r.churn_risk.length, total: r.churn_risk_total })),
      h(
        'table',
        { class: 'table in-table', 'data-testid': 'insight-risk-table' },
        h('thead', {}, h('tr', {}, [t('insight.col.customer'), t('insight.col.tier'), t('insight.col.owner'), t('insight.col.reasons'), t('insight.col.callback_due'), t('insight.col.last_contact')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, r.churn_risk.map((x) => h(
          'tr',
          { 'data-testid': 'insight-risk-row', dataset: { customerId: x.customer_id } },
          h('td', {}, h('a', { href: buildHash({ page: 'customers', tab: String(x.customer_id) }) }, `${x.name} (${x.number})`)),
          h('td', {}, x.tier),
          h('td', {}, x.owner || '—'),
          h('td', {}, x.reasons.map((k) => h('span', { class: 'badge in-reason' }, t(`insight.reason.${k}`)))),
          h('td', {}, x.callback_due_on),
          h('td', {}, x.days_since_contact === null ? t('insight.never') : t('insight.days_ago', { n: x.days_since_contact })),
        ))),
      ),
    );
  }

  const el = h(
    'div',
    { class: 'page-inner in-page', 'data-testid': 'insight-page' },
    pageHead(t('page.reports'), {
      subtitle: t('insight.subtitle'),
      actions: [
        actor && actor.role !== 'viewer'
          ? button({ testid: 'insight-survey-import', label: t('survey.import.open'), onclick: async () => { if (await surveyImportDialog()) reload(); } }, icon('upload', { size: 16 }))
          : null,
        button({ testid: 'insight-print', label: t('insight.print'), onclick: () => window.print() }, icon('reports', { size: 16 })),
      ].filter(Boolean),
    }),
    filterBar,
    content,
  );
  reload();
  return {
    el,
    destroy() {
      alive = false;
      destroyCharts();
    },
  };
}

