// The page shell: header, navigation, hash routes, the live WebSocket feed, language/theme/API key.
import { h, clear } from './dom.js';
import { t, setLang, currentLang, onLangChange } from './i18n.js';
import { subscribeAll, onAuthRequired, apiKey, setApiKey, getJson } from './api.js';
import { analysisFromEvent } from './model.js';
import { parseRoute } from './ui.js';
import { store } from './store.js';
import * as feed from './feed.js';
import * as patterns from './patterns.js';
import * as overview from './overview.js';
import * as dlq from './dlq.js';
import * as runbooks from './runbooks.js';
import * as feedback from './feedback.js';
import * as incidents from './incidents.js';

const views = { feed, incidents, patterns, overview, dlq, runbooks, feedback };
const nav = [['feed', 'nav.feed'], ['incidents', 'nav.incidents'], ['patterns', 'nav.patterns'], ['overview', 'nav.overview'], ['dlq', 'nav.dlq'], ['runbooks', 'nav.runbooks'], ['feedback', 'nav.feedback']];

const state = { conn: 'connecting', view: undefined, route: undefined, stopLive: undefined };

const main = h('main', { id: 'main' });
const connPill = h('span', { class: 'conn', id: 'conn', role: 'status' });
const header = h('header', { class: 'top' });

function renderHeader() {
  clear(header,
    h('div', { class: 'brand' },
      h('span', { class: 'logo', 'aria-hidden': 'true' }, '◆'),
      h('span', { class: 'brand-name' }, t('app.title')),
      h('span', { class: 'brand-sub' }, t('app.subtitle'))),
    h('nav', { class: 'tabs' }, nav.map(([name, key]) => h('a', {
      href: `#/${name}`, id: `nav-${name}`, class: ['tab', state.route?.name === name && 'active'], 'aria-current': state.route?.name === name ? 'page' : undefined,
    }, t(key)))),
    h('div', { class: 'tools' },
      connPill,
      h('button', { class: 'btn ghost', id: 'key-button', onclick: () => openKeyDialog() }, apiKey() ? `🔑 ${t('key.set')}` : `🔑 ${t('key.button')}`),
      h('button', { class: 'btn ghost', id: 'theme-toggle', title: t('theme.toggle'), 'aria-label': t('theme.toggle'), onclick: toggleTheme }, '◐'),
      h('button', { class: 'btn ghost', id: 'lang-toggle', onclick: () => setLang(currentLang() === 'en' ? 'ko' : 'en') }, t('lang.toggle'))));
  renderConn();
}

function renderConn() {
  connPill.className = `conn conn-${state.conn}`;
  connPill.dataset.state = state.conn;
  clear(connPill, h('i', { class: 'dot' }), t(`conn.${state.conn === 'auth' ? 'auth' : state.conn}`));
}

function setConn(next) {
  state.conn = next;
  renderConn();
}

// ---- API key dialog ----------------------------------------------------------------------------------
const dialog = h('dialog', { id: 'auth-dialog', class: 'dialog' });
function openKeyDialog(rejected = false) {
  const input = h('input', { id: 'api-key-input', type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: t('auth.placeholder'), value: apiKey() });
  const submit = e => {
    e.preventDefault();
    setApiKey(input.value);
    dialog.close();
    restart();
  };
  clear(dialog, h('form', { method: 'dialog', onsubmit: submit },
    h('h2', {}, t('auth.title')),
    h('p', { class: 'muted' }, t('auth.body')),
    rejected && apiKey() ? h('p', { class: 'error', id: 'auth-rejected' }, t('auth.rejected')) : null,
    input,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'btn ghost', onclick: () => { setApiKey(''); input.value = ''; dialog.close(); restart(); } }, t('auth.clear')),
      h('button', { type: 'button', class: 'btn ghost', onclick: () => dialog.close() }, t('auth.cancel')),
      h('button', { type: 'submit', class: 'btn primary', id: 'api-key-save' }, t('auth.save')))));
  if (!dialog.open) dialog.showModal();
  input.focus();
}

let authPrompted = false;
onAuthRequired(() => {
  setConn('auth');
  document.body.classList.add('needs-key');
  if (!authPrompted) {
    authPrompted = true;
    openKeyDialog(true);
  }
});

// ---- theme -------------------------------------------------------------------------------------------
function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme; else delete document.documentElement.dataset.theme;
}
function toggleTheme() {
  const dark = document.documentElement.dataset.theme
    ? document.documentElement.dataset.theme === 'dark'
    : matchMedia('(prefers-color-scheme: dark)').matches;
  const next = dark ? 'light' : 'dark';
  localStorage.setItem('bifrost.theme', next);
  applyTheme(next);
}

// ---- routing and live updates ------------------------------------------------------------------------
function route() {
  const next = parseRoute();
  const switching = state.route?.name !== next.name;
  state.route = next;
  renderHeader();
  if (switching) {
    state.view?.unmount?.();
    state.view = views[next.name];
    clear(main);
    state.view.mount(main, next);
  } else {
    state.view.update?.(next);
  }
}

function startLive() {
  state.stopLive?.();
  state.stopLive = subscribeAll(msg => {
    const a = analysisFromEvent(msg);
    if (a) store.upsert([a], { live: true });
  }, setConn);
}

/** After the API key changes: reconnect and reload the current view. */
function restart() {
  authPrompted = false;
  document.body.classList.remove('needs-key');
  store.clear();
  startLive();
  state.view?.unmount?.();
  clear(main);
  state.view?.mount(main, state.route);
  renderHeader();
}

onLangChange(() => {
  renderHeader();
  state.view?.unmount?.();
  clear(main);
  state.view?.mount(main, state.route);
});

applyTheme(localStorage.getItem('bifrost.theme'));
document.documentElement.lang = currentLang();
document.body.append(header, main, dialog, h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' }));
window.addEventListener('hashchange', route);
route();
startLive();
// Ask once up front so a server that needs a key says so even before the socket does.
getJson('/api/v1/stats').catch(() => {});
