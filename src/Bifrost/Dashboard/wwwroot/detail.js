// Analysis detail: the conclusions, the facts around them, and the redacted excerpt with the evidence lines marked.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson } from './api.js';
import { normalizeAnalysis } from './model.js';
import { store } from './store.js';
import { go, errorNotice, severityBadge, statusBadge, categoryChip } from './ui.js';
import { knowledgeBlock } from './knowledge.js';

let shownId, onClose;

export function show(el, id, close) {
  onClose = close;
  if (!id) { shownId = undefined; clear(el); return; }
  const known = store.get(id);
  if (shownId !== id || !known?.logContent) {
    shownId = id;
    if (known) render(el, known);
    else clear(el, h('div', { class: 'muted pad' }, t('feed.loading')));
    getJson(`/api/v1/analysis/result/${encodeURIComponent(id)}`).then(raw => {
      const a = normalizeAnalysis(raw);
      if (a?.id) store.upsert([{ ...a, id: String(id) }]);
      if (shownId === id) render(el, store.get(id) ?? a);
    }).catch(err => {
      if (shownId !== id) return;
      clear(el, err.status === 404 ? h('div', { class: 'notice warn' }, t('detail.notFound', { id })) : errorNotice(err));
    });
  } else {
    render(el, known);
  }
}

/** Re-renders when a live event changes the analysis on screen (e.g. PROCESSING → COMPLETED). */
export function refresh(el, changed) {
  if (shownId && changed.some(a => a.id === shownId)) {
    const a = store.get(shownId);
    if (a.status === 'COMPLETED' && !a.logContent) show(el, shownId, onClose);
    else render(el, a);
  }
}

const field = (label, value, opts = {}) => h('div', { class: 'kv' },
  h('dt', {}, label), h('dd', { class: opts.mono ? 'mono' : undefined, title: typeof value === 'string' ? value : undefined }, value ?? '—'));

function excerpt(a) {
  const lines = (a.logContent ?? '').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  const byNumber = new Set(a.evidence.map(e => e.line).filter(Number.isFinite));
  const byText = new Set(a.evidence.filter(e => !Number.isFinite(e.line)).map(e => e.text.trim()));
  let marked = 0;
  const body = lines.map((text, i) => {
    const isEvidence = byNumber.has(i + 1) || byText.has(text.trim());
    if (isEvidence) marked++;
    return h('div', { class: ['line', isEvidence && 'evidence'], dataset: { line: String(i + 1) } },
      h('span', { class: 'ln' }, String(i + 1)), h('span', { class: 'lt' }, text || ' '));
  });
  return { body, marked, total: lines.length };
}

/** `code` spans in engine/LLM text become <code> (as text nodes: nothing is parsed as HTML). */
const rich = text => String(text ?? '').split(/`([^`\n]+)`/).map((part, i) => (i % 2 ? h('code', {}, part) : part));

/** "1. Do x. 2. Do y." reads better as a list; anything else stays a paragraph. Same text either way. */
function steps(text) {
  const items = (text ?? '').split(/\s+(?=\d{1,2}\.\s)/).map(s => s.trim()).filter(Boolean);
  if (items.length < 2 || !items.every((s, i) => s.startsWith(`${i + 1}. `))) return h('p', {}, text ? rich(text) : '—');
  return h('ol', {}, items.map(s => h('li', {}, rich(s.replace(/^\d{1,2}\.\s+/, '')))));
}

/** The steps, then the lines added after them (team runbook, "Last time: …" notes) as paragraphs of their own. */
function recommendation(text) {
  const lines = (text ?? '').split('\n');
  const extra = [];
  while (lines.length > 1 && !/^\s*\d{1,2}\.\s/.test(lines.at(-1))) extra.unshift(lines.pop());
  const hasSteps = lines.some(l => /^\s*\d{1,2}\.\s/.test(l));
  const main = hasSteps ? lines.join('\n') : [...lines, ...extra.splice(0)].join('\n');
  return h('div', { id: 'detail-recommendation', dataset: { text: text ?? '' } },
    steps(main), extra.filter(l => l.trim()).map(l => h('p', { class: 'recommend-extra' }, rich(l.trim()))));
}

function render(el, a) {
  const done = a.status === 'COMPLETED';
  const ex = excerpt(a);
  const latency = a.completedAt && a.receivedAt ? (a.completedAt - a.receivedAt) / 1000 : undefined;
  clear(el,
    h('div', { class: 'detail-head' },
      h('div', { class: 'detail-badges' }, done ? severityBadge(a.severity) : statusBadge(a.status), categoryChip(a.category),
        Number.isFinite(a.confidence) ? h('span', { class: 'confidence', title: t('detail.confidence') },
          h('span', { class: 'meter' }, h('span', { class: 'meter-fill', dataset: { w: String(Math.round(a.confidence * 100)) } })),
          fmt.percent(a.confidence)) : null),
      h('button', { class: 'btn ghost icon', id: 'detail-close', 'aria-label': t('detail.close'), title: t('detail.close'), onclick: () => onClose?.() }, '✕')),
    h('div', { class: 'detail-body', id: 'detail-body', dataset: { id: a.id } },
      h('h2', { class: 'detail-summary', id: 'detail-summary' }, a.summary || (done ? '' : t('detail.pending'))),
      h('div', { class: 'detail-sub muted' }, `${a.service} · ${a.environment} · ${fmt.dateTime(a.completedAt ?? a.receivedAt)}`),
      a.error ? h('div', { class: 'notice error' }, `${t('detail.error')}: ${a.error}`) : null,
      h('section', { class: 'block' }, h('h3', {}, t('detail.rootCause')), h('p', { id: 'detail-root-cause', dataset: { text: a.rootCause ?? '' } }, a.rootCause ? rich(a.rootCause) : '—')),
      h('section', { class: 'block recommend' }, h('h3', {}, t('detail.recommendation')), recommendation(a.recommendation)),
      knowledgeBlock(a),
      h('section', { class: 'block' },
        h('h3', {}, t('detail.excerpt'), h('span', { class: 'muted small', id: 'evidence-count' }, ` · ${t('detail.evidence', { n: ex.marked })}`)),
        h('pre', { class: 'excerpt', id: 'excerpt' }, ex.body)),
      h('section', { class: 'block' }, h('h3', {}, t('detail.meta')),
        h('dl', { class: 'kvs' },
          field(t('detail.model'), a.model, { mono: true }),
          field(t('detail.engine'), a.engine),
          field(t('detail.duration'), fmt.seconds(a.durationSeconds)),
          field(t('detail.latency'), fmt.seconds(latency)),
          field(t('detail.received'), fmt.dateTime(a.receivedAt)),
          field(t('detail.completed'), fmt.dateTime(a.completedAt)),
          field(t('detail.analysisId'), a.id, { mono: true }),
          field(t('detail.requestId'), a.requestId, { mono: true }),
          field(t('detail.correlationId'), a.correlationId, { mono: true }),
          field(t('detail.logId'), a.logId === undefined ? undefined : String(a.logId), { mono: true }),
          field(t('detail.source'), a.source),
          field(t('detail.priority'), a.priority),
          a.tokensUsed ? field(t('detail.tokens'), fmt.number(a.tokensUsed)) : null,
          a.cacheHit !== undefined && a.engine && a.engine !== 'builtin' ? field(t('detail.cache'), t(a.cacheHit ? 'yes' : 'no')) : null,
          a.fallback ? field(t('detail.fallback'), t('yes')) : null,
          field(t('detail.fingerprint'), a.fingerprint ? h('a', { href: '#/patterns', onclick: e => { e.preventDefault(); go('patterns', { fp: a.fingerprint }); } }, a.fingerprint) : undefined, { mono: true })))));
  el.querySelectorAll('[data-w]').forEach(m => { m.style.width = `${m.dataset.w}%`; });
  // Bring the first evidence line into view inside the excerpt box (not the page).
  const pre = el.querySelector('#excerpt');
  const first = pre?.querySelector('.evidence');
  if (first) pre.scrollTop = Math.max(0, first.offsetTop - pre.offsetTop - 48);
}
