// Feedback statistics: helpful rate overall and by category, service, engine and day (last 30 days), and the
// fingerprints most often marked not helpful — the queue for improving the engine.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson } from './api.js';
import { errorNotice, go, categoryChip } from './ui.js';
import { sparkline } from './charts.js';
import './knowledge-i18n.js';

let body;

export function mount(container) {
  body = h('div', { id: 'feedback-body' }, h('p', { class: 'muted pad' }, t('feed.loading')));
  clear(container, h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('fb.title'))), body));
  load();
}

export function unmount() {}
export function update() {}

async function load() {
  try {
    render(await getJson('/api/v1/feedback/stats'));
  } catch (err) {
    clear(body, errorNotice(err));
  }
}

const rate = c => (c.helpful_rate === undefined || c.helpful_rate === null ? '—' : fmt.percent(c.helpful_rate));

function table(id, title, rows, keyCell = k => k) {
  return h('div', { class: 'fb-stat' }, h('h3', {}, title),
    rows.length ? h('table', { class: 'grid', id },
      h('thead', {}, h('tr', {}, h('th', {}, t('fb.key')), h('th', { class: 'num' }, t('fb.helpful')), h('th', { class: 'num' }, t('fb.unhelpful')), h('th', { class: 'num' }, t('fb.rate')))),
      h('tbody', {}, rows.map(c => h('tr', { dataset: { key: c.key, rate: String(c.helpful_rate ?? '') } },
        h('td', {}, keyCell(c.key)), h('td', { class: 'num' }, fmt.number(c.helpful)), h('td', { class: 'num' }, fmt.number(c.unhelpful)), h('td', { class: 'num strong' }, rate(c))))))
      : h('p', { class: 'muted' }, t('fb.noVotes')));
}

function render(s) {
  const days = s.by_day ?? [];
  clear(body,
    h('div', { class: 'fb-cards pad' },
      h('div', { class: 'card', id: 'fb-total', dataset: { rate: String(s.total.helpful_rate ?? '') } }, h('div', { class: 'muted small' }, t('fb.total')),
        h('div', { class: 'big' }, rate(s.total)), h('div', { class: 'muted small' }, t('fb.votes', { n: fmt.number(s.total.helpful + s.total.unhelpful) }))),
      h('div', { class: 'card' }, h('div', { class: 'muted small' }, t('fb.corrections')), h('div', { class: 'big', id: 'fb-corrections' }, fmt.number(s.corrections))),
      h('div', { class: 'card' }, h('div', { class: 'muted small' }, t('fb.notes')), h('div', { class: 'big', id: 'fb-notes' }, fmt.number(s.notes))),
      h('div', { class: 'card' }, h('div', { class: 'muted small' }, t('fb.byDay')),
        days.length ? sparkline(days.map(d => Math.round((d.helpful_rate ?? 0) * 100)), { width: 220, height: 40 }) : h('div', { class: 'muted' }, '—'))),
    h('div', { class: 'fb-grid pad' },
      table('fb-by-category', t('fb.byCategory'), s.by_category ?? [], k => categoryChip(k)),
      table('fb-by-service', t('fb.byService'), s.by_service ?? []),
      table('fb-by-engine', t('fb.byEngine'), s.by_engine ?? [])),
    h('div', { class: 'pad' }, h('h3', {}, t('fb.queue')),
      (s.most_unhelpful ?? []).length ? h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, h('th', {}, t('fb.fingerprint')), h('th', {}, t('col.category')), h('th', {}, t('col.service')),
          h('th', { class: 'num' }, t('fb.unhelpful')), h('th', { class: 'num' }, t('fb.helpful')), h('th', { class: 'c-summary' }, t('fb.latest')))),
        h('tbody', { id: 'fb-unhelpful-rows' }, s.most_unhelpful.map(u => h('tr', {
          class: 'row', tabindex: 0, dataset: { fingerprint: u.fingerprint, analysisId: String(u.latest_analysis_id) },
          onclick: () => go('feed', { id: u.latest_analysis_id }),
        },
        h('td', { class: 'mono small' }, u.fingerprint.slice(0, 12)), h('td', {}, categoryChip(u.category)), h('td', {}, u.service_name),
        h('td', { class: 'num strong' }, fmt.number(u.unhelpful)), h('td', { class: 'num' }, fmt.number(u.helpful)),
        h('td', { class: 'c-summary', title: u.summary ?? '' }, u.summary ?? '')))))
        : h('p', { class: 'muted' }, t('fb.noVotes'))));
}
