// Runbooks: the stored files and their sections (with the failure category each is about), add/replace a markdown
// runbook, remove one, and ask a question answered from the runbooks and past analyses.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson, postJson, deleteJson } from './api.js';
import { errorNotice, toast, categoryChip, go } from './ui.js';
import './knowledge-i18n.js';

let body, sectionsEl, open;

export function mount(container) {
  body = h('div', { id: 'runbooks-body' }, h('p', { class: 'muted pad' }, t('feed.loading')));
  sectionsEl = h('div', { id: 'runbook-sections' });
  clear(container,
    h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('rb.title'))), body, sectionsEl),
    addPanel(),
    askPanel());
  load();
}

export function unmount() { open = undefined; }
export function update() {}

async function load() {
  body.dataset.state = 'loading';
  try {
    render((await getJson('/api/v1/runbooks')).items ?? []);
    if (open) await showSections(open);
  } catch (err) {
    clear(body, errorNotice(err));
  }
  body.dataset.state = 'ready';
}

function render(sources) {
  if (!sources.length) {
    clear(body, h('p', { class: 'empty', id: 'runbooks-empty' }, t('rb.empty')));
    clear(sectionsEl);
    return;
  }
  clear(body, h('div', { class: 'table-wrap' }, h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, h('th', {}, t('rb.source')), h('th', { class: 'num' }, t('rb.sections')), h('th', {}, t('rb.added')), h('th', {}, t('rb.by')), h('th', {}))),
    h('tbody', { id: 'runbook-sources' }, sources.map(s => h('tr', {
      class: ['row', open === s.source_path && 'selected'], dataset: { source: s.source_path }, tabindex: 0,
      onclick: () => { open = s.source_path; load(); },
    },
    h('td', { class: 'mono' }, s.source_path),
    h('td', { class: 'num' }, String(s.sections)),
    h('td', { class: 'muted' }, fmt.dateTime(new Date(s.added_at))),
    h('td', { class: 'muted' }, s.added_by),
    h('td', {}, removeButton(s.source_path))))))));
}

/** Two clicks: "Remove", then "Confirm remove" (no modal for a table action). */
function removeButton(source) {
  const button = h('button', { class: 'btn small rb-remove', onclick: async e => {
    e.stopPropagation();
    if (!button.classList.contains('armed')) {
      button.classList.add('armed');
      button.textContent = t('rb.confirm');
      return;
    }
    button.disabled = true;
    try {
      const r = await deleteJson('/api/v1/runbooks', { source });
      toast(t('rb.removed', { source, n: r.removed }));
      if (open === source) open = undefined;
      await load();
    } catch (err) { toast(err.message, 'bad'); button.disabled = false; }
  } }, t('rb.remove'));
  return button;
}

async function showSections(source) {
  const data = await getJson('/api/v1/runbooks/sections', { source });
  clear(sectionsEl, h('div', { class: 'rb-sections' },
    h('h3', { class: 'pad-h' }, source),
    h('ul', { class: 'rb-section-list' }, (data.items ?? []).map(s => h('li', { dataset: { sectionId: String(s.id), category: s.category ?? '' } },
      h('details', {},
        h('summary', {}, h('strong', {}, s.title), ' ', s.category ? categoryChip(s.category) : h('span', { class: 'muted small' }, t('rb.noCategory')),
          h('span', { class: 'mono muted small' }, ` #${s.anchor}`)),
        h('pre', { class: 'rb-body' }, s.body ?? '')))))));
}

function addPanel() {
  const source = h('input', { id: 'rb-source', placeholder: t('rb.path'), spellcheck: 'false' });
  const markdown = h('textarea', { id: 'rb-markdown', rows: 8, placeholder: t('rb.markdown'), spellcheck: 'false' });
  const file = h('input', { type: 'file', id: 'rb-file', accept: '.md,text/markdown', onchange: async () => {
    const f = file.files?.[0];
    if (!f) return;
    markdown.value = await f.text();
    if (!source.value) source.value = f.name;
  } });
  const add = h('button', { class: 'btn primary', id: 'rb-add', onclick: async () => {
    add.disabled = true;
    try {
      const r = await postJson('/api/v1/runbooks', { source: source.value, markdown: markdown.value });
      toast(t('rb.addedToast', { source: r.source, n: r.added }));
      open = r.source;
      markdown.value = '';
      await load();
    } catch (err) { toast(err.message, 'bad'); }
    add.disabled = false;
  } }, t('rb.addButton'));
  return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('rb.add'))),
    h('div', { class: 'rb-add pad' }, source, h('label', { class: 'field small' }, t('rb.file'), file), markdown, h('div', {}, add)));
}

function askPanel() {
  const question = h('input', { id: 'ask-question', placeholder: t('ask.placeholder') });
  const answer = h('div', { id: 'ask-answer' });
  const ask = async () => {
    if (question.value.trim().length < 3) return;
    button.disabled = true;
    clear(answer, h('p', { class: 'muted' }, t('feed.loading')));
    try {
      const r = await postJson('/api/v1/ask', { question: question.value, language: document.documentElement.lang === 'ko' ? 'ko' : 'en' });
      clear(answer,
        h('div', { class: 'ask-text', id: 'ask-text', dataset: { engine: r.engine } }, r.answer.split('\n').map(l => h('p', {}, l))),
        h('h3', {}, t('ask.sources')),
        h('ul', { id: 'ask-sources' },
          (r.sections ?? []).map((s, i) => h('li', { dataset: { kind: 'section', sectionId: String(s.section_id) } }, `[S${i + 1}] `, h('strong', {}, s.title), h('span', { class: 'mono muted small' }, ` ${s.source}#${s.anchor}`))),
          (r.analyses ?? []).map((a, i) => h('li', { dataset: { kind: 'analysis', analysisId: String(a.analysis_id) } }, `[A${i + 1}] `,
            h('a', { href: '#/feed', onclick: e => { e.preventDefault(); go('feed', { id: a.analysis_id }); } }, t('ask.analysis', { id: a.analysis_id })),
            ` — ${a.service_name}, ${a.category}: ${a.summary}`))),
        h('p', { class: 'muted small' }, t('ask.engine', { engine: r.engine + (r.model ? ` (${r.model})` : '') })));
    } catch (err) { clear(answer, errorNotice(err)); }
    button.disabled = false;
  };
  const button = h('button', { class: 'btn primary', id: 'ask-submit', onclick: ask }, t('ask.button'));
  question.addEventListener('keydown', e => { if (e.key === 'Enter') ask(); });
  return h('section', { class: 'panel' }, h('div', { class: 'panel-head' }, h('h2', {}, t('ask.title'))),
    h('div', { class: 'ask pad' }, h('div', { class: 'fb-row' }, question, button), answer));
}
