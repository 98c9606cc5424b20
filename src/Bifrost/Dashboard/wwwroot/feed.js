// Live feed: history from GET /api/v1/analyses, then every WebSocket event, filtered by
// service / environment / severity / category / text. The detail panel opens beside the table.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson } from './api.js';
import { normalizeAnalysis, itemsOf, SEVERITIES } from './model.js';
import { store, byNewest } from './store.js';
import { go, errorNotice, severityBadge, statusBadge, categoryChip } from './ui.js';
import * as detail from './detail.js';

const FILTERS = ['service', 'environment', 'severity', 'category', 'q'];
const MAX_ROWS = 300;

let root, tbody, countEl, noticeEl, detailEl, filterBar, unsubscribe, route, paused = false, pendingWhilePaused = 0;
let loadSeq = 0;
const seen = { service: new Set(), environment: new Set(['prod', 'staging', 'dev']), category: new Set() };

const filtersOf = params => Object.fromEntries(FILTERS.map(k => [k, params.get(k) ?? '']));

function matches(a, f) {
  if (f.service && a.service !== f.service) return false;
  if (f.environment && a.environment !== f.environment) return false;
  if (f.severity && a.severity !== f.severity) return false;
  if (f.category && a.category !== f.category) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    const hay = `${a.summary} ${a.rootCause} ${a.recommendation} ${a.logContent ?? ''} ${a.service} ${a.category}`.toLowerCase();
    if (!hay.includes(q)) return false;
  }
  return true;
}

export function mount(container, r) {
  root = container;
  route = r;
  paused = false;
  countEl = h('span', { class: 'muted', id: 'feed-count' });
  noticeEl = h('div');
  tbody = h('tbody', { id: 'feed-rows' });
  filterBar = h('div', { class: 'filters', id: 'filters' });
  detailEl = h('aside', { class: 'detail', id: 'detail' });
  const table = h('table', { class: 'grid feed' },
    h('thead', {}, h('tr', {},
      h('th', { class: 'c-time' }, t('col.time')), h('th', { class: 'c-sev' }, t('col.severity')),
      h('th', {}, t('col.service')), h('th', { class: 'c-env' }, t('col.env')), h('th', {}, t('col.category')),
      h('th', { class: 'c-summary' }, t('col.summary')), h('th', { class: 'num' }, t('col.confidence')),
      h('th', { class: 'c-model' }, t('col.model')), h('th', { class: 'num c-took' }, t('col.duration')))),
    tbody);
  clear(root, h('div', { class: 'feed-layout' },
    h('section', { class: 'panel feed-panel' }, filterBar, noticeEl, h('div', { class: 'table-wrap' }, table)),
    detailEl));
  unsubscribe = store.onChange((changed, live) => {
    changed.forEach(remember);
    if (live && paused) {
      pendingWhilePaused += changed.filter(a => matches(a, filtersOf(route.params))).length;
      renderToolbarCount();
      return;
    }
    renderRows();
    detail.refresh(detailEl, changed);
  });
  update(r, true);
}

export function unmount() { unsubscribe?.(); }

export function update(r, first = false) {
  const before = route;
  route = r;
  const filtersChanged = first || FILTERS.some(k => (before.params.get(k) ?? '') !== (r.params.get(k) ?? ''));
  renderFilters();
  if (filtersChanged) load();
  else renderRows();
  const id = r.params.get('id');
  root.querySelector('.feed-layout').classList.toggle('with-detail', Boolean(id));
  detail.show(detailEl, id, () => go('feed', { ...filtersOf(route.params), id: undefined }));
}

async function load() {
  const seq = ++loadSeq;
  const f = filtersOf(route.params);
  clear(noticeEl);
  tbody.replaceChildren(h('tr', {}, h('td', { colspan: 9, class: 'empty' }, t('feed.loading'))));
  try {
    const data = await getJson('/api/v1/analyses', {
      service: f.service, environment: f.environment, severity: f.severity, category: f.category, q: f.q, limit: 100,
    });
    if (seq !== loadSeq) return;
    store.upsert(itemsOf(data).map(normalizeAnalysis));
    renderRows();
  } catch (err) {
    if (seq !== loadSeq) return;
    clear(noticeEl, errorNotice(err));
    renderRows();
  }
  getJson('/api/v1/stats').then(stats => {
    for (const k of Object.keys(stats?.by_service ?? stats?.byService ?? {})) seen.service.add(k);
    for (const k of Object.keys(stats?.by_category ?? stats?.byCategory ?? {})) seen.category.add(k);
    renderFilters();
  }).catch(() => {});
}

function remember(a) {
  if (a.service) seen.service.add(a.service);
  if (a.environment) seen.environment.add(a.environment);
  if (a.category) seen.category.add(a.category);
}

function setFilter(key, value) {
  go('feed', { ...filtersOf(route.params), [key]: value, id: route.params.get('id') ?? undefined });
}

function select(key, label, options, optionLabel = v => v) {
  const current = route.params.get(key) ?? '';
  const values = [...new Set([...options, ...(current ? [current] : [])])];
  return h('label', { class: 'field' }, h('span', {}, label),
    h('select', { id: `filter-${key}`, onchange: e => setFilter(key, e.target.value) },
      h('option', { value: '', selected: !current }, t('filter.all')),
      values.map(v => h('option', { value: v, selected: v === current }, optionLabel(v)))));
}

function renderFilters() {
  const sorted = set => [...set].sort((a, b) => a.localeCompare(b));
  const q = h('input', { id: 'filter-q', type: 'search', placeholder: t('filter.text'), value: route.params.get('q') ?? '' });
  q.addEventListener('change', () => setFilter('q', q.value.trim()));
  const active = FILTERS.some(k => route.params.get(k));
  const hadFocus = document.activeElement?.id === 'filter-q';
  clear(filterBar,
    select('service', t('filter.service'), sorted(seen.service)),
    select('environment', t('filter.environment'), sorted(seen.environment)),
    select('severity', t('filter.severity'), SEVERITIES, v => t(`sev.${v}`)),
    select('category', t('filter.category'), sorted(seen.category)),
    h('label', { class: 'field grow' }, h('span', {}, '⌕'), q),
    active ? h('button', { class: 'btn ghost', id: 'filter-clear', onclick: () => go('feed', {}) }, t('filter.clear')) : null,
    h('span', { class: 'spacer' }),
    countEl,
    h('button', { class: 'btn', id: 'feed-pause', onclick: togglePause }, paused ? t('feed.resume') : t('feed.pause')));
  if (hadFocus) q.focus();
  renderToolbarCount();
}

function togglePause() {
  paused = !paused;
  pendingWhilePaused = 0;
  renderFilters();
  if (!paused) renderRows();
}

function renderToolbarCount() {
  countEl.textContent = paused
    ? t('feed.paused', { n: pendingWhilePaused })
    : t('feed.shown', { n: fmt.number(tbody.querySelectorAll('tr[data-id]').length) });
}

function renderRows() {
  const f = filtersOf(route.params);
  const rows = store.all().filter(a => matches(a, f)).sort(byNewest).slice(0, MAX_ROWS);
  const selected = route.params.get('id');
  if (!rows.length) {
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: 9, class: 'empty', id: 'feed-empty' }, t('feed.empty'))));
  } else {
    tbody.replaceChildren(...rows.map(a => row(a, a.id === selected)));
  }
  renderToolbarCount();
}

function row(a, selected) {
  const fresh = a.arrivedAt && Date.now() - a.arrivedAt < 2500;
  const done = a.status === 'COMPLETED';
  return h('tr', {
    // data-arrived: when the page got the last live event for this row (ms since epoch), for the end-to-end tests.
    dataset: { id: a.id, severity: a.severity ?? '', service: a.service, environment: a.environment, category: a.category, status: a.status, arrived: a.arrivedAt ? String(a.arrivedAt) : '' },
    class: ['row', fresh && 'fresh', selected && 'selected', !done && 'pending'],
    tabindex: 0,
    onclick: () => go('feed', { ...filtersOf(route.params), id: a.id }),
    onkeydown: e => { if (e.key === 'Enter') go('feed', { ...filtersOf(route.params), id: a.id }); },
  },
  h('td', { class: 'c-time mono', title: fmt.dateTime(a.completedAt ?? a.receivedAt) }, fmt.when(a.completedAt ?? a.receivedAt)),
  h('td', { class: 'c-sev' }, done ? severityBadge(a.severity) : statusBadge(a.status)),
  h('td', { class: 'c-service' }, a.service),
  h('td', { class: 'c-env' }, h('span', { class: ['env', /^prod/.test(a.environment) && 'env-prod'] }, a.environment)),
  h('td', { class: 'c-cat' }, categoryChip(a.category)),
  h('td', { class: 'c-summary', title: a.summary }, a.summary || (a.error ?? '')),
  h('td', { class: 'num mono' }, fmt.percent(a.confidence)),
  h('td', { class: 'c-model mono muted', title: a.model }, a.model ?? ''),
  h('td', { class: 'num mono c-took' }, fmt.seconds(a.durationSeconds)));
}
