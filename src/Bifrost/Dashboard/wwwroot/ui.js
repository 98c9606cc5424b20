// Shared view helpers: hash routes, error notices, toasts, badges.
import { h } from './dom.js';
import { t } from './i18n.js';
import { AuthRequiredError } from './api.js';

export const VIEWS = ['feed', 'incidents', 'patterns', 'overview', 'dlq', 'runbooks', 'feedback'];

/** #/feed?severity=HIGH&id=42 → {name: 'feed', params: URLSearchParams} */
export function parseRoute() {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  return { name: VIEWS.includes(path) ? path : 'feed', params: new URLSearchParams(query ?? '') };
}

export function go(name, params) {
  const entries = Object.entries(params ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== '');
  const q = new URLSearchParams(entries).toString();
  location.hash = `#/${name}${q ? `?${q}` : ''}`;
}

export function errorNotice(err) {
  return err instanceof AuthRequiredError
    ? h('div', { class: 'notice warn', id: 'auth-needed' }, t('auth.needed'))
    : h('div', { class: 'notice error' }, t('error.load', { msg: err.message }));
}

export function toast(text, kind = 'ok') {
  const box = document.getElementById('toasts');
  const el = h('div', { class: `toast ${kind}`, role: 'status' }, text);
  box?.append(el);
  setTimeout(() => el.remove(), 6000);
}

export const severityBadge = sev => (sev
  ? h('span', { class: `sev sev-${sev.toLowerCase()}`, title: t(`sev.${sev}`) }, t(`sev.${sev}`))
  : h('span', { class: 'sev sev-none' }, '—'));

export const statusBadge = st => h('span', { class: `status status-${String(st).toLowerCase()}` }, t(`status.${st}`));

/** "database.pool_exhausted" → family "database" for colouring. */
export const categoryChip = cat => h('span', { class: 'cat', dataset: { family: String(cat || 'unknown').split('.')[0] }, title: cat }, cat || 'unknown');
