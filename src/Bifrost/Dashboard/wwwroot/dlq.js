// Dead letters: the newest records on dlq.failed with their reasons, and a re-drive action per record.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson, postJson } from './api.js';
import { errorNotice, toast } from './ui.js';

let root, body, head;

export function mount(container) {
  root = container;
  head = h('div', { class: 'panel-head' });
  body = h('div', { id: 'dlq-body' }, h('p', { class: 'muted pad' }, t('feed.loading')));
  clear(root, h('section', { class: 'panel' }, head, body));
  renderHead();
  load();
}

export function unmount() {}
export function update() {}

function renderHead(topic) {
  clear(head, h('h2', {}, t('dlq.title')),
    topic ? h('span', { class: 'muted' }, t('dlq.topic', { topic })) : null,
    h('span', { class: 'spacer' }),
    h('button', { class: 'btn', id: 'dlq-refresh', onclick: load }, `↻ ${t('dlq.refresh')}`));
}

async function load() {
  body.dataset.state = 'loading'; // tests (and styles) can tell a refresh in flight from a settled list
  try {
    const data = await getJson('/api/v1/dlq', { limit: 200 });
    renderHead(data.topic);
    render(data);
  } catch (err) {
    clear(body, err.status === 503 ? h('div', { class: 'notice warn' }, t('dlq.disabled')) : errorNotice(err));
  }
  body.dataset.state = 'ready';
}

function render(data) {
  const items = data.items ?? [];
  if (!items.length) {
    clear(body, h('p', { class: 'empty', id: 'dlq-empty' }, t('dlq.empty')));
    return;
  }
  clear(body, h('div', { class: 'table-wrap' }, h('table', { class: 'grid dlq' },
    h('thead', {}, h('tr', {},
      h('th', { class: 'c-time' }, t('dlq.failedAt')), h('th', {}, t('dlq.code')), h('th', { class: 'c-summary' }, t('dlq.reason')),
      h('th', {}, t('dlq.origin')), h('th', {}, t('dlq.key')), h('th', {}, t('dlq.requestId')), h('th', { class: 'num' }, t('dlq.attempts')), h('th', {}))),
    h('tbody', { id: 'dlq-rows' }, items.flatMap(r => rows(r, data.redrive_topic))))));
}

/** JSON objects indented for reading; anything else (raw text, a truncated preview) exactly as stored. */
function pretty(text) {
  if (!text) return undefined;
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

function rows(r, redriveTopic) {
  const when = r.failed_at ? new Date(r.failed_at) : undefined;
  const payload = h('tr', { class: 'payload-row', hidden: true },
    h('td', { colspan: 8 }, h('div', { class: 'muted small' }, t('dlq.payload')), h('pre', { class: 'payload' }, pretty(r.payload_preview) ?? t('dlq.noPayload'))));
  const button = h('button', {
    class: 'btn primary small redrive', disabled: !r.redrivable, dataset: { partition: String(r.partition), offset: String(r.offset) },
    onclick: async e => {
      e.stopPropagation();
      // Two clicks: the first arms the button (no modal dialog to get in the way at 3 a.m.).
      if (!button.classList.contains('armed')) {
        button.classList.add('armed');
        button.textContent = t('dlq.confirmShort');
        button.title = t('dlq.confirm', { topic: redriveTopic });
        setTimeout(() => { if (button.classList.contains('armed')) { button.classList.remove('armed'); button.textContent = t('dlq.redrive'); } }, 5000);
        return;
      }
      button.classList.remove('armed');
      button.disabled = true;
      button.textContent = t('dlq.redriving');
      try {
        const res = await postJson(`/api/v1/dlq/${r.partition}/${r.offset}/redrive`);
        toast(t('dlq.redriven', { topic: res.topic, p: res.partition, o: res.offset }));
        button.textContent = `✓ ${t('dlq.redrive')}`;
        button.classList.add('done');
      } catch (err) {
        toast(err.message, 'bad');
        button.disabled = false;
        button.textContent = t('dlq.redrive');
      }
    },
  }, t('dlq.redrive'));
  const main = h('tr', {
    class: 'row', tabindex: 0, dataset: { partition: String(r.partition), offset: String(r.offset), code: r.error_code },
    onclick: () => { payload.hidden = !payload.hidden; main.classList.toggle('open', !payload.hidden); },
  },
  h('td', { class: 'c-time mono', title: fmt.dateTime(when) }, `${fmt.time(when)} · ${fmt.ago(when)}`),
  h('td', {}, h('span', { class: 'code' }, r.error_code)),
  h('td', { class: 'c-summary reason', title: r.error_message }, r.error_message),
  h('td', { class: 'mono small' }, r.original_topic ? `${r.original_topic}/${r.original_partition}@${r.original_offset}` : '—'),
  h('td', { class: 'mono small' }, r.original_key ?? '∅'),
  h('td', { class: 'mono small muted' }, r.request_id ?? '—'),
  h('td', { class: 'num mono' }, String(r.attempts)),
  h('td', { class: 'actions' }, button));
  return [main, payload];
}
