// One internal shape for an analysis, whatever the channel gave us (REST list item, result, WebSocket event).
// Field names follow the API's snake_case; camelCase and nested result objects are accepted too.

const camel = s => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

function pick(obj, ...names) {
  if (!obj || typeof obj !== 'object') return undefined;
  for (const n of names) {
    if (obj[n] !== undefined && obj[n] !== null) return obj[n];
    const c = camel(n);
    if (obj[c] !== undefined && obj[c] !== null) return obj[c];
  }
  return undefined;
}

const date = v => (v ? new Date(v) : undefined);
const num = v => (v === undefined || v === null || v === '' ? undefined : Number(v));

function evidenceOf(v) {
  if (typeof v === 'string') {
    try { v = JSON.parse(v); } catch { return []; }
  }
  if (!Array.isArray(v)) return [];
  return v.map(e => (typeof e === 'string'
    ? { line: undefined, text: e }
    : { line: num(pick(e, 'line_number', 'line', 'number')), text: pick(e, 'text', 'content') ?? '' }));
}

export function normalizeAnalysis(raw) {
  if (!raw || typeof raw !== 'object') return undefined;
  const res = pick(raw, 'result', 'analysis_result', 'report') ?? {};
  const req = pick(raw, 'request') ?? {};
  const any = (...n) => pick(res, ...n) ?? pick(raw, ...n) ?? pick(req, ...n);
  const id = pick(raw, 'analysis_id', 'bifrost_analysis_id', 'id') ?? pick(res, 'bifrost_analysis_id');
  return {
    id: id === undefined ? undefined : String(id),
    status: String(pick(raw, 'status') ?? (pick(res, 'summary') ? 'COMPLETED' : 'RECEIVED')).toUpperCase(),
    requestId: any('request_id'),
    correlationId: any('correlation_id'),
    logId: any('log_id'),
    service: any('service_name', 'service') ?? '',
    environment: any('environment', 'env') ?? '',
    priority: any('priority'),
    source: any('source', 'channel'),
    logContent: any('log_content', 'excerpt'),
    summary: pick(res, 'summary') ?? pick(raw, 'summary') ?? '',
    rootCause: pick(res, 'root_cause') ?? pick(raw, 'root_cause') ?? '',
    recommendation: pick(res, 'recommendation') ?? pick(raw, 'recommendation') ?? '',
    severity: String(any('severity') ?? '').toUpperCase() || undefined,
    confidence: num(any('confidence')),
    category: any('category') ?? '',
    fingerprint: any('fingerprint'),
    evidence: evidenceOf(any('evidence', 'evidence_lines')),
    model: any('model'),
    engine: any('engine'),
    durationSeconds: num(any('duration_seconds', 'duration')),
    tokensUsed: num(any('tokens_used')),
    cacheHit: any('cache_hit'),
    fallback: any('fallback'),
    receivedAt: date(pick(raw, 'received_at', 'created_at') ?? pick(req, 'received_at', 'timestamp') ?? pick(res, 'timestamp')),
    completedAt: date(pick(raw, 'completed_at') ?? pick(res, 'timestamp')),
    error: any('error', 'error_message'),
  };
}

/** Pulls the analysis out of a WebSocket message; undefined for notices and other non-analysis messages. */
export function analysisFromEvent(msg) {
  if (!msg || typeof msg !== 'object') return undefined;
  const inner = pick(msg, 'analysis', 'data', 'payload');
  const a = normalizeAnalysis(inner && typeof inner === 'object' ? { ...inner, status: pick(msg, 'status') ?? inner.status } : msg);
  return a?.id ? a : undefined;
}

/** Merges a newer partial view of an analysis into what we had (events may carry less than the REST record). */
export function merge(old, next) {
  if (!old) return next;
  const out = { ...old };
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0 && old[k]?.length)) continue;
    out[k] = v;
  }
  return out;
}

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

/** Items of a list response: {items:[...]}, {analyses:[...]}, {data:[...]} or a bare array. */
export const itemsOf = data => (Array.isArray(data) ? data : pick(data, 'items', 'analyses', 'patterns', 'data', 'results') ?? []);
export const nextCursorOf = data => (Array.isArray(data) ? undefined : pick(data, 'next_cursor', 'cursor'));
export { pick };
