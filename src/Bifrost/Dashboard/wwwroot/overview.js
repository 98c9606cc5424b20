// Throughput, latency and lag: analyses from the API (30 min of history + live events) for throughput and
// analysis time, Prometheus /metrics (polled) for consumer lag, DLQ and in-flight counts, /api/v1/stats for the mix.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson, getMetricsText } from './api.js';
import { normalizeAnalysis, itemsOf, nextCursorOf, SEVERITIES } from './model.js';
import { store } from './store.js';
import { errorNotice } from './ui.js';
import { timeChart, legend, hbars, sizeBars, quantile } from './charts.js';
import { parsePrometheus, sum } from './prom.js';

const WINDOW_MIN = 30;
const LAG_SAMPLES = 120; // 10 min at 5 s

let root, els, timers = [], unsubscribe;
const lagHistory = new Map(); // partition label → [{t, v}]
let lastMetrics;

export function mount(container) {
  root = container;
  els = {
    kpis: h('div', { class: 'kpis', id: 'kpis' }),
    throughput: h('div', { class: 'chart-box', id: 'chart-throughput' }),
    latency: h('div', { class: 'chart-box', id: 'chart-latency' }),
    lag: h('div', { class: 'chart-box', id: 'chart-lag' }),
    severity: h('div', { class: 'chart-box', id: 'mix-severity' }),
    categories: h('div', { class: 'chart-box', id: 'mix-categories' }),
    services: h('div', { class: 'chart-box', id: 'mix-services' }),
    notice: h('div'),
  };
  const card = (key, el) => h('section', { class: 'panel card' }, h('h3', {}, t(key)), el);
  clear(root, els.notice, els.kpis,
    h('div', { class: 'cards three' }, card('overview.throughput', els.throughput), card('overview.latency', els.latency), card('overview.lagChart', els.lag)),
    h('div', { class: 'cards three' }, card('overview.severityMix', els.severity), card('overview.categories', els.categories), card('overview.services', els.services)));
  loadHistory();
  loadStats();
  pollMetrics();
  timers = [setInterval(pollMetrics, 5000), setInterval(loadStats, 30000), setInterval(renderCharts, 10000)];
  unsubscribe = store.onChange((_, live) => { if (live) renderCharts(); });
}

export function unmount() { timers.forEach(clearInterval); unsubscribe?.(); }
export function update() {}

async function loadHistory() {
  const from = new Date(Date.now() - 60 * 60e3).toISOString();
  try {
    let cursor;
    for (let i = 0; i < 5; i++) {
      const page = await getJson('/api/v1/analyses', { from, limit: 200, cursor });
      store.upsert(itemsOf(page).map(normalizeAnalysis));
      cursor = nextCursorOf(page);
      if (!cursor) break;
    }
  } catch (err) {
    clear(els.notice, errorNotice(err));
  }
  renderCharts();
}

async function loadStats() {
  try {
    const st = await getJson('/api/v1/stats');
    const entries = obj => Object.entries(obj ?? {}).map(([k, v]) => [k, Number(v)]).sort((a, b) => b[1] - a[1]);
    const bySev = st.by_severity ?? st.bySeverity ?? {};
    const sev = SEVERITIES.map(s => [t(`sev.${s}`), Number(bySev[s] ?? 0), `sev-fill-${s.toLowerCase()}`]);
    clear(els.severity, hbars(sev, { fmt: fmt.number }));
    const cats = entries(st.by_category ?? st.byCategory).slice(0, 8);
    clear(els.categories, cats.length ? hbars(cats, { fmt: fmt.number }) : h('p', { class: 'muted' }, t('overview.noData')));
    const svcs = entries(st.by_service ?? st.byService).slice(0, 8);
    clear(els.services, svcs.length ? hbars(svcs, { fmt: fmt.number }) : h('p', { class: 'muted' }, t('overview.noData')));
    sizeBars(root);
  } catch (err) {
    clear(els.notice, errorNotice(err));
  }
}

async function pollMetrics() {
  let text = '';
  try { text = await getMetricsText(); } catch { /* no metrics endpoint */ }
  const m = parsePrometheus(text);
  lastMetrics = m;
  const now = Date.now();
  for (const s of m.filter(x => x.name === 'bifrost_consumer_lag')) {
    const p = s.labels.messaging_destination_partition_id ?? s.labels.partition ?? '?';
    const topic = s.labels.messaging_destination_name ?? s.labels.topic ?? '';
    const key = `${topic}#${p}`;
    const pts = lagHistory.get(key) ?? [];
    pts.push({ t: now, v: s.value });
    if (pts.length > LAG_SAMPLES) pts.shift();
    lagHistory.set(key, pts);
  }
  renderLag();
  renderKpis();
}

function recent(minutes) {
  const since = Date.now() - minutes * 60e3;
  return store.all().filter(a => a.status === 'COMPLETED' && (a.completedAt ?? a.receivedAt)?.getTime() >= since);
}

function renderKpis() {
  const hour = recent(60);
  const durations = recent(WINDOW_MIN).map(a => a.durationSeconds).filter(Number.isFinite);
  const m = lastMetrics ?? [];
  const has = name => m.some(s => s.name === name);
  const kpi = (id, key, value, cls) => h('div', { class: ['kpi', cls], id }, h('div', { class: 'kpi-label' }, t(key)), h('div', { class: 'kpi-value' }, value));
  const lag = sum(m, 'bifrost_consumer_lag');
  clear(els.kpis,
    kpi('kpi-analyses', 'overview.analyses', fmt.number(hour.length)),
    kpi('kpi-severe', 'overview.severe', fmt.number(hour.filter(a => a.severity === 'HIGH' || a.severity === 'CRITICAL').length), 'warn'),
    kpi('kpi-p95', 'overview.p95', fmt.seconds(quantile(durations, 0.95))),
    kpi('kpi-lag', 'overview.lag', has('bifrost_consumer_lag') ? fmt.number(lag) : '—', lag > 1000 ? 'bad' : undefined),
    // Counters appear on /metrics with their first increment: a scrape without one means none since start.
    kpi('kpi-dlq', 'overview.dlq', m.length ? fmt.number(sum(m, 'bifrost_dlq_records_total')) : '—'),
    kpi('kpi-inflight', 'overview.inflight', has('bifrost_requests_in_flight') ? fmt.number(sum(m, 'bifrost_requests_in_flight')) : '—'));
}

function renderCharts() {
  if (!els) return;
  const to = Date.now();
  const from = to - WINDOW_MIN * 60e3;
  const perMinute = new Array(WINDOW_MIN).fill(0).map(() => []);
  for (const a of recent(WINDOW_MIN)) {
    const at = (a.completedAt ?? a.receivedAt).getTime();
    const i = Math.min(WINDOW_MIN - 1, Math.floor((at - from) / 60e3));
    if (i >= 0) perMinute[i].push(a.durationSeconds);
  }
  const minuteT = i => from + (i + 0.5) * 60e3;
  const timeFmt = d => fmt.time(d).slice(0, 5);
  clear(els.throughput, timeChart([{ label: t('nav.overview'), cls: 'accent', points: perMinute.map((b, i) => ({ t: minuteT(i), v: b.length })) }],
    { from, to, bars: true, yFmt: v => fmt.number(Math.round(v * 10) / 10), xFmt: timeFmt, minMax: 4 }));
  const lat = [
    { label: 'p50', cls: 's0', points: perMinute.map((b, i) => ({ t: minuteT(i), v: quantile(b.filter(Number.isFinite), 0.5) })) },
    { label: 'p95', cls: 's1', points: perMinute.map((b, i) => ({ t: minuteT(i), v: quantile(b.filter(Number.isFinite), 0.95) })) },
  ];
  clear(els.latency, timeChart(lat, { from, to, yFmt: v => (v === 0 ? '0' : v < 1 ? `${+(v * 1000).toFixed(2)} ms` : `${+v.toFixed(2)} s`), xFmt: timeFmt, minMax: 0.001 }), legend(lat));
  renderKpis();
}

function renderLag() {
  if (!lagHistory.size) {
    clear(els.lag, h('p', { class: 'muted', id: 'lag-empty' }, t('overview.noMetrics')));
    return;
  }
  const series = [...lagHistory.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([key, points], i) => ({ label: `${key.split('#')[0]} ${t('overview.partition', { p: key.split('#')[1] })}`, cls: `s${i % 6}`, points }));
  const to = Date.now();
  const from = Math.min(to - 60e3, ...series.flatMap(s => s.points.map(p => p.t)));
  clear(els.lag, timeChart(series, { from, to, yFmt: v => fmt.number(Math.round(v * 10) / 10), xFmt: d => fmt.time(d), minMax: 4 }), legend(series));
}
