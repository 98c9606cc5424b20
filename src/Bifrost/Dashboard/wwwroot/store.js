// What the page knows about analyses: REST history and WebSocket events merged by analysis id.
import { merge } from './model.js';

const MAX_KEPT = 2000;
const analyses = new Map();
const listeners = new Set();

export const store = {
  get: id => analyses.get(String(id)),
  all: () => [...analyses.values()],

  /** Adds or updates analyses; `live` marks ones that arrived over the WebSocket (for the row flash). */
  upsert(items, { live = false } = {}) {
    const changed = [];
    for (const a of items) {
      if (!a?.id) continue;
      const next = merge(analyses.get(a.id), a);
      if (live) next.arrivedAt = Date.now();
      analyses.set(a.id, next);
      changed.push(next);
    }
    if (analyses.size > MAX_KEPT) {
      const oldest = [...analyses.values()].sort(byNewest).slice(MAX_KEPT);
      oldest.forEach(a => analyses.delete(a.id));
    }
    if (changed.length) listeners.forEach(fn => fn(changed, live));
    return changed;
  },

  onChange: fn => { listeners.add(fn); return () => listeners.delete(fn); },
  clear: () => analyses.clear(),
};

/** Newest first: by numeric id when both have one (ids grow), else by time received. */
export function byNewest(a, b) {
  const ia = Number(a.id), ib = Number(b.id);
  if (Number.isFinite(ia) && Number.isFinite(ib) && ia !== ib) return ib - ia;
  return (b.receivedAt?.getTime() ?? 0) - (a.receivedAt?.getTime() ?? 0);
}
