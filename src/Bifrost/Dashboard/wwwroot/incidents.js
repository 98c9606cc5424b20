// Incidents: analyses grouped by fingerprint and service, the ones that need someone first (open and regressed,
// then muted, then resolved — the server's order), with resolve / mute / reopen on each row.
import { h, clear } from './dom.js';
import { t, fmt } from './i18n.js';
import { getJson, postJson } from './api.js';
import { go, errorNotice, toast, severityBadge, categoryChip } from './ui.js';

const STATUSES = ['active', 'all', 'open', 'regressed', 'muted', 'resolved'];
const MUTE_MINUTES = 60;

let root, body, head, route, timer, items = [];

export function mount(container, r) {
  root = container;
  route = r;
  head = h('div', { class: 'panel-head' });
  body = h('tbody', { id: 'incident-rows' }, h('tr', {}, h('td', { colspan: 11, class: 'empty' }, t('feed.loading'))));
  clear(root, h('section', { class: 'panel' }, head,
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid incidents' },
      h('thead', {}, h('tr', {},
        h('th', {}, t('inc.status')), h('th', {}, t('col.severity')), h('th', {}, t('col.service')), h('th', {}, t('col.env')),
        h('th', {}, t('col.category')), h('th', { class: 'num' }, t('inc.count')), h('th', {}, t('inc.firstSeen')), h('th', {}, t('inc.lastSeen')),
        h('th', { class: 'c-summary' }, t('col.summary')), h('th', {}, t('inc.actions')))),
      body))));
  renderHead();
  load();
  timer = setInterval(load, 10000);
}

export function unmount() { clearInterval(timer); }

export function update(r) {
  const reload = r.params.get('status') !== route.params.get('status');
  route = r;
  renderHead();
  if (reload) load(); else renderRows();
}

/** The status filter: from the URL; a link to one incident (?id=) shows every status so it is there. */
const statusFilter = () => route.params.get('status') ?? (route.params.get('id') ? 'all' : 'active');

function renderHead() {
  const select = h('select', { id: 'incident-status', onchange: e => go('incidents', { status: e.target.value }) },
    STATUSES.map(s => h('option', { value: s, selected: s === statusFilter() }, t(`inc.filter.${s}`))));
  clear(head, h('h2', {}, t('inc.title')), h('label', { class: 'field' }, t('inc.status'), select), h('span', { class: 'spacer' }),
    h('button', { class: 'btn', id: 'incident-refresh', onclick: load }, `↻ ${t('dlq.refresh')}`));
}

async function load() {
  body.dataset.state = 'loading';
  try {
    const status = statusFilter();
    const data = await getJson('/api/v1/incidents', { status: status === 'all' ? undefined : status, limit: 200 });
    items = data.items ?? [];
    renderRows();
  } catch (err) {
    clear(body, h('tr', {}, h('td', { colspan: 11 }, errorNotice(err))));
  }
  body.dataset.state = 'ready';
}

function renderRows() {
  if (!items.length) {
    clear(body, h('tr', {}, h('td', { colspan: 11, class: 'empty', id: 'incidents-empty' }, t('inc.empty'))));
    return;
  }
  const selected = route.params.get('id');
  clear(body, items.map(i => row(i, String(i.incident_id) === selected)));
  body.querySelector('tr.selected')?.scrollIntoView({ block: 'nearest' });
}

function row(i, selected) {
  const when = s => (s ? new Date(s) : undefined);
  const others = (i.services ?? []).slice(1);
  return h('tr', {
    class: ['row', selected && 'selected', `inc-${i.status}`], tabindex: 0,
    dataset: { id: String(i.incident_id), status: i.status, service: i.service_name, severity: i.severity },
    onclick: () => go('feed', { fp: undefined, service: i.service_name, q: undefined, id: i.latest_analysis_id }),
  },
  h('td', {}, h('span', { class: `istatus istatus-${i.status}`, title: i.muted_until ? t('inc.mutedUntil', { t: fmt.dateTime(when(i.muted_until)) }) : undefined }, t(`inc.filter.${i.status}`))),
  h('td', {}, severityBadge(i.severity)),
  h('td', {}, i.service_name, others.length ? h('span', { class: 'multi', title: t('inc.multi', { services: others.join(', ') }) }, ` +${others.length}`) : null),
  h('td', {}, (i.environments ?? []).map(e => h('span', { class: `env env-${e}` }, e))),
  h('td', {}, categoryChip(i.category)),
  h('td', { class: 'num mono count' }, fmt.number(i.count)),
  h('td', { class: 'mono small', title: fmt.dateTime(when(i.first_seen)) }, fmt.when(when(i.first_seen))),
  h('td', { class: 'mono small', title: fmt.dateTime(when(i.last_seen)) }, fmt.ago(when(i.last_seen))),
  h('td', { class: 'c-summary', title: i.summary ?? '' }, i.summary ?? '—'),
  h('td', { class: 'actions', onclick: e => e.stopPropagation() }, actions(i)));
}

function actions(i) {
  const buttons = [];
  if (i.status !== 'resolved') buttons.push(action(i, 'resolve', t('inc.resolve'), { armed: t('inc.confirmResolve') }));
  if (i.status !== 'muted' && i.status !== 'resolved') buttons.push(action(i, 'mute', t('inc.mute'), { body: { minutes: MUTE_MINUTES } }));
  if (i.status === 'resolved' || i.status === 'muted') buttons.push(action(i, 'reopen', i.status === 'muted' ? t('inc.unmute') : t('inc.reopen')));
  return buttons;
}

/** One action button; with armed, the first click only arms it (a resolve also closes the PagerDuty alert). */
function action(i, verb, label, { armed, body: payload } = {}) {
  const button = h('button', {
    class: 'btn small', dataset: { action: verb },
    onclick: async () => {
      if (armed && !button.classList.contains('armed')) {
        button.classList.add('armed');
        button.textContent = armed;
        setTimeout(() => { if (button.classList.contains('armed')) { button.classList.remove('armed'); button.textContent = label; } }, 5000);
        return;
      }
      button.disabled = true;
      try {
        const updated = await postJson(`/api/v1/incidents/${i.incident_id}/${verb}`, payload);
        items = items.map(x => (x.incident_id === updated.incident_id ? updated : x));
        renderRows();
        toast(t(`inc.done.${verb}`, { id: updated.incident_id }));
      } catch (err) {
        toast(err.status === 403 ? t('inc.forbidden') : err.message, 'bad');
        button.disabled = false;
      }
    },
  }, label);
  return button;
}
