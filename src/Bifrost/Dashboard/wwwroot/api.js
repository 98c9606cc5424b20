// Talks to Bifrost's REST API and /ws as any client would: the API key (if any) lives in sessionStorage
// and goes out as X-API-Key (REST) or ?api_key= (WebSocket, where browsers cannot set headers).
const KEY = 'bifrost.apiKey';

export class AuthRequiredError extends Error {
  constructor() { super('401 Unauthorized'); this.name = 'AuthRequiredError'; }
}

const authListeners = new Set();
export const onAuthRequired = fn => authListeners.add(fn);

export const apiKey = () => sessionStorage.getItem(KEY) ?? '';
export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY, key.trim()); else sessionStorage.removeItem(KEY);
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const key = apiKey();
  if (key) h['X-API-Key'] = key;
  return h;
}

async function send(method, path, { query, body } = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const res = await fetch(url, {
    method,
    headers: headers(body ? { 'Content-Type': 'application/json' } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401) {
    authListeners.forEach(fn => fn());
    throw new AuthRequiredError();
  }
  const text = await res.text();
  const data = text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  if (!res.ok) {
    const err = new Error(data?.detail ?? data?.title ?? `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

export const getJson = (path, query) => send('GET', path, { query });
export const postJson = (path, body) => send('POST', path, { body });

/** Prometheus text exposition from /metrics, or '' when the endpoint is not there. */
export async function getMetricsText() {
  const res = await fetch('/metrics', { headers: headers({ Accept: 'text/plain' }) });
  return res.ok ? res.text() : '';
}

/**
 * A self-reconnecting subscription to every analysis event on /ws.
 * onEvent(msg) gets each parsed message; onState('connecting'|'live'|'offline'|'auth') tracks the socket.
 */
export function subscribeAll(onEvent, onState) {
  let socket;
  let stopped = false;
  let retry = 500;
  let timer;

  const connect = () => {
    if (stopped) return;
    onState('connecting');
    const url = new URL('/ws', location.origin);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const key = apiKey();
    if (key) url.searchParams.set('api_key', key);
    socket = new WebSocket(url);
    let opened = false;
    socket.onopen = () => {
      opened = true;
      retry = 500;
      socket.send(JSON.stringify({ type: 'subscribe', all: true }));
      onState('live');
    };
    socket.onmessage = e => {
      try { onEvent(JSON.parse(e.data)); } catch { /* not JSON: ignore */ }
    };
    socket.onclose = e => {
      if (stopped) return;
      // A handshake refused before opening (401 on the upgrade) or a policy close: ask REST whether it is the key.
      if (e.code === 1008 || !opened) {
        probeAuth().then(needsKey => {
          if (needsKey) { onState('auth'); authListeners.forEach(fn => fn()); } else schedule();
        });
        return;
      }
      schedule();
    };
  };
  const schedule = () => {
    onState('offline');
    timer = setTimeout(connect, retry);
    retry = Math.min(retry * 2, 10000);
  };
  // A refused WebSocket handshake does not say why; a REST call does.
  const probeAuth = async () => {
    try { await getJson('/api/v1/stats'); return false; } catch (err) { return err instanceof AuthRequiredError; }
  };

  connect();
  return () => { stopped = true; clearTimeout(timer); socket?.close(); };
}
export const putJson = (path, body) => send('PUT', path, { body });
export const deleteJson = (path, query) => send('DELETE', path, { query });
