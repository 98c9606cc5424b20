// Team knowledge on the analysis detail: the runbook sections it cited, feedback buttons, the correction and note
// forms, and the feedback given so far (with withdraw). A correction or note changes the NEXT analysis of the same
// failure; this one stays as it was stored and published.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson, postJson } from './api.js';
import { toast, errorNotice } from './ui.js';
import './knowledge-i18n.js';

/** The taxonomy's category ids (../shared/taxonomy.md); the API checks them again. */
export const CATEGORIES = [
  'database.connection', 'database.pool_exhausted', 'database.deadlock', 'database.constraint', 'database.query', 'database.auth',
  'network.connection_refused', 'network.timeout', 'network.dns', 'network.tls', 'http.upstream_error', 'http.rate_limited',
  'auth.credentials', 'auth.permission', 'resource.memory', 'resource.disk', 'resource.file_descriptors',
  'gpu.out_of_memory', 'gpu.runtime', 'k8s.crash_loop', 'k8s.image_pull', 'k8s.probe_failed', 'k8s.scheduling', 'k8s.evicted',
  'code.null_reference', 'code.type_error', 'code.index_error', 'code.stack_overflow', 'code.unhandled',
  'dependency.missing', 'config.invalid', 'filesystem.not_found', 'filesystem.permission',
  'messaging.broker', 'cache.unavailable', 'concurrency.thread_pool', 'data.validation',
];
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

const cache = new Map(); // analysis id → {citations, feedback}

/** `code` spans as <code> (text nodes only). */
const rich = text => String(text ?? '').split(/`([^`\n]+)`/).map((part, i) => (i % 2 ? h('code', {}, part) : part));

export function knowledgeBlock(a) {
  const el = h('div', { class: 'knowledge', id: 'knowledge', dataset: { id: a.id } });
  if (a.status !== 'COMPLETED' || !a.id) return el;
  draw(el, a);
  load(a.id).then(() => draw(el, a)).catch(err => clear(el, errorNotice(err)));
  return el;
}

async function load(id) {
  const [citations, feedback] = await Promise.all([
    getJson(`/api/v1/analyses/${encodeURIComponent(id)}/citations`),
    getJson(`/api/v1/analyses/${encodeURIComponent(id)}/feedback`),
  ]);
  cache.set(id, { citations: citations.items ?? [], feedback: feedback.items ?? [] });
}

function draw(el, a) {
  const known = cache.get(a.id);
  clear(el, citationsBlock(known), feedbackBlock(el, a, known));
}

function citationsBlock(known) {
  const items = known?.citations;
  return h('section', { class: 'block' },
    h('h3', {}, t('kn.citations')),
    !known ? h('p', { class: 'muted' }, t('feed.loading'))
      : !items.length ? h('p', { class: 'muted', id: 'citations-none' }, t('kn.noCitations'))
        : h('ol', { class: 'citations', id: 'citations' }, items.map(c => h('li', { dataset: { sectionId: String(c.section_id), score: String(c.score) } },
          h('div', { class: 'citation-head' },
            h('strong', { class: 'citation-title' }, c.title),
            h('span', { class: 'mono muted small' }, ` ${c.source}#${c.anchor}`),
            h('span', { class: 'citation-score small' }, t('kn.score', { p: fmt.percent(c.score) }))),
          c.quote ? h('blockquote', { class: 'citation-quote' }, rich(c.quote)) : null))));
}

function feedbackBlock(el, a, known) {
  const reload = async message => {
    toast(message);
    await load(a.id);
    draw(el, a);
  };
  const act = async (button, body, message) => {
    button.disabled = true;
    try {
      await postJson(`/api/v1/analyses/${encodeURIComponent(a.id)}/feedback`, body);
      await reload(message);
    } catch (err) {
      toast(err.message, 'bad');
      button.disabled = false;
    }
  };

  const category = h('select', { id: 'fb-category', 'aria-label': t('kn.category') },
    h('option', { value: '' }, `${t('kn.category')} ${t('kn.keep')}`),
    CATEGORIES.map(c => h('option', { value: c }, c)));
  const severity = h('select', { id: 'fb-severity', 'aria-label': t('kn.severity') },
    h('option', { value: '' }, `${t('kn.severity')} ${t('kn.keep')}`),
    SEVERITIES.map(s => h('option', { value: s }, t(`sev.${s}`))));
  const serviceOnly = h('input', { type: 'checkbox', id: 'fb-service-only' });
  const note = h('textarea', { id: 'fb-note', rows: 2, placeholder: t('kn.notePlaceholder'), maxlength: 2000 });
  const correctButton = h('button', { class: 'btn', id: 'fb-correct-submit', onclick: e => {
    if (!category.value && !severity.value) { toast(t('kn.pickSomething'), 'bad'); return; }
    act(e.currentTarget, { category: category.value || null, severity: severity.value || null, service_specific: serviceOnly.checked }, t('kn.saved'));
  } }, t('kn.saveCorrection'));
  const noteButton = h('button', { class: 'btn', id: 'fb-note-submit', onclick: e => {
    if (!note.value.trim()) return;
    act(e.currentTarget, { note: note.value }, t('kn.saved'));
  } }, t('kn.saveNote'));

  return h('section', { class: 'block feedback' },
    h('h3', {}, t('kn.feedback')),
    h('div', { class: 'fb-row' },
      h('button', { class: 'btn', id: 'fb-helpful', onclick: e => act(e.currentTarget, { helpful: true }, t('kn.voted')) }, t('kn.helpful')),
      h('button', { class: 'btn', id: 'fb-unhelpful', onclick: e => act(e.currentTarget, { helpful: false }, t('kn.voted')) }, t('kn.unhelpful'))),
    h('div', { class: 'fb-row', id: 'fb-correct' },
      h('span', { class: 'muted small' }, t('kn.correct')), category, severity,
      h('label', { class: 'field small' }, serviceOnly, t('kn.serviceOnly', { svc: a.service })), correctButton),
    h('div', { class: 'fb-row fb-note-row' }, note, noteButton),
    h('div', { class: 'fb-given' },
      h('h3', {}, t('kn.given')),
      !known ? h('p', { class: 'muted' }, t('feed.loading'))
        : !known.feedback.length ? h('p', { class: 'muted', id: 'fb-none' }, t('kn.none'))
          : h('ul', { class: 'fb-list', id: 'fb-list' }, known.feedback.map(f => entry(f, reload)))));
}

function entry(f, reload) {
  const parts = [];
  if (f.helpful === true) parts.push(t('kn.helpfulVote'));
  if (f.helpful === false) parts.push(t('kn.unhelpfulVote'));
  if (f.category || f.severity) parts.push(t('kn.corrected', { what: [f.category, f.severity].filter(Boolean).join(', ') }) + (f.service_specific ? ` (${t('kn.forService', { svc: f.service_name })})` : ''));
  return h('li', { class: ['fb-entry', !f.active && 'withdrawn'], dataset: { feedbackId: String(f.id), active: String(f.active) } },
    h('span', { class: 'fb-what' }, parts.join(' · ')),
    f.note ? h('span', { class: 'fb-note-text' }, `“${f.note}”`) : null,
    h('span', { class: 'muted small' }, ` — ${t('kn.by', { who: f.author })}, ${fmt.ago(new Date(f.updated_at))}`),
    f.active
      ? h('button', { class: 'btn small ghost fb-withdraw', onclick: async e => {
        e.currentTarget.disabled = true;
        try {
          await postJson(`/api/v1/feedback/${f.id}/withdraw`, {});
          await reload(t('kn.withdrewToast'));
        } catch (err) { toast(err.message, 'bad'); }
      } }, t('kn.withdraw'))
      : h('span', { class: 'muted small' }, ` (${t('kn.withdrawn')})`));
}
