// Minimal reader for the Prometheus text exposition format (what /metrics serves): samples with labels.

/** Parses `name{a="b",c="d"} 12.5 [ts]` lines; comments and malformed lines are skipped. */
export function parsePrometheus(text) {
  const samples = [];
  for (const line of (text ?? '').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    let l;
    while ((l = re.exec(m[3] ?? '')) !== null) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    const value = Number(m[4]);
    if (Number.isFinite(value)) samples.push({ name: m[1], labels, value });
  }
  return samples;
}

export const sum = (samples, name) => samples.filter(s => s.name === name).reduce((acc, s) => acc + s.value, 0);
