// Top recurring failures: GET /api/v1/patterns for the ranking, the last 24 h of analyses for hourly sparklines.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson } from './api.js';
import { normalizeAnalysis, itemsOf, nextCursorOf, pick } from './model.js';
import { store } from './store.js';
import { go, errorNotice, severityBadge, categoryChip } from './ui.js';
import { sparkline } from './charts.js';

const HOURS = 24;
const SAMPLE_PAGES = 5;

let root, body, unsubscribe, patterns = [], timer, loadedAt = 0;

export function mount(container, r) {
  root = container;
  body = h('tbody', { id: 'pattern-rows' }, h('tr', {}, h('td', { colspan: 8, class: 'empty' }, t('feed.loading'))));
  clear(root, h('section', { class: 'panel' },
    h('div', { class: 'panel-head' }, h('h2', {}, t('patterns.title'))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid patterns' },
      h('thead', {}, h('tr', {},
        h('th', { class: 'num' }, t('patterns.rank')), h('th', {}, t('col.severity')), h('th', {}, t('col.category')),
        h('th', { class: 'num' }, t('patterns.count')), h('th', {}, t('patterns.trend')), h('th', {}, t('patterns.lastSeen')),
        h('th', { class: 'c-summary' }, t('patterns.latest')), h('th', {}, t('patterns.fingerprint')))),
      body))));
  update(r);
  load();
  // New analyses of a known fingerprint bump its count and sparkline without a reload.
  unsubscribe = store.onChange((changed, live) => { if (live) renderRows(); });
  timer = setInterval(load, 60000);
}

export function unmount() { unsubscribe?.(); clearInterval(timer); }

export function update(r) {
  root.dataset.highlight = r.params.get('fp') ?? '';
  renderRows();
}

async function load() {
  try {
    const [data] = await Promise.all([getJson('/api/v1/patterns', { limit: 20 }), loadSample()]);
    loadedAt = Date.now();
    patterns = itemsOf(data).map(p => {
      const latest = normalizeAnalysis(pick(p, 'latest', 'latest_analysis') ?? {});
      return {
        fingerprint: pick(p, 'fingerprint') ?? latest?.fingerprint,
        count: Number(pick(p, 'count') ?? 0),
        lastSeen: pick(p, 'last_seen') ? new Date(pick(p, 'last_seen')) : latest?.completedAt ?? latest?.receivedAt,
        trend: pick(p, 'trend', 'buckets'),
        latest,
      };
    });
    renderRows();
  } catch (err) {
    clear(body, h('tr', {}, h('td', { colspan: 8 }, errorNotice(err))));
  }
}

/** Recent history (newest first, a few pages) so sparklines have data even for analyses from before the page opened. */
async function loadSample() {
  const from = new Date(Date.now() - HOURS * 3600e3).toISOString();
  let cursor;
  for (let i = 0; i < SAMPLE_PAGES; i++) {
    const page = await getJson('/api/v1/analyses', { from, status: 'COMPLETED', limit: 200, cursor });
    store.upsert(itemsOf(page).map(normalizeAnalysis));
    cursor = nextCursorOf(page);
    if (!cursor) break;
  }
}

function hourly(fingerprint) {
  const now = Date.now();
  const buckets = new Array(HOURS).fill(0);
  for (const a of store.all()) {
    if (a.fingerprint !== fingerprint) continue;
    const at = (a.completedAt ?? a.receivedAt)?.getTime();
    if (!at) continue;
    const age = Math.floor((now - at) / 3600e3);
    if (age >= 0 && age < HOURS) buckets[HOURS - 1 - age]++;
  }
  return buckets;
}

function renderRows() {
  if (!body) return;
  if (!patterns.length) {
    clear(body, h('tr', {}, h('td', { colspan: 8, class: 'empty' }, t('patterns.empty'))));
    return;
  }
  const highlight = root.dataset.highlight;
  clear(body, patterns.map((p, i) => {
    // Counted by the server at load time; add what completed live since then.
    const live = store.all().filter(a => a.fingerprint === p.fingerprint && a.arrivedAt > loadedAt && a.status === 'COMPLETED').length;
    const trend = Array.isArray(p.trend) && p.trend.length ? p.trend.map(Number) : hourly(p.fingerprint);
    const latest = p.latest ?? {};
    return h('tr', {
      class: ['row', highlight && highlight === p.fingerprint && 'selected'],
      dataset: { fingerprint: p.fingerprint ?? '' },
      tabindex: 0,
      onclick: () => latest.id && go('feed', { id: latest.id }),
    },
    h('td', { class: 'num muted' }, String(i + 1)),
    h('td', {}, severityBadge(latest.severity)),
    h('td', {}, categoryChip(latest.category)),
    h('td', { class: 'num mono strong' }, fmt.number(p.count + live)),
    h('td', { class: 'c-spark' }, sparkline(trend, { width: 140, height: 26 })),
    h('td', { class: 'mono muted', title: fmt.dateTime(p.lastSeen) }, fmt.ago(p.lastSeen)),
    h('td', { class: 'c-summary', title: latest.summary }, latest.summary ?? ''),
    h('td', { class: 'mono muted small' }, (p.fingerprint ?? '').slice(0, 12)));
  }));
}
