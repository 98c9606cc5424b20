// Small inline-SVG charts. Colours come from CSS classes, so light and dark themes just work.
import { s, h } from './dom.js';

const niceMax = v => {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 4, 5, 8, 10].map(m => m * p).find(m => m >= v); // 4 and 8 keep small counts on whole-number ticks
};

/** A trend line for a table cell: values left (old) to right (new). */
export function sparkline(values, { width = 120, height = 24, cls = 'spark' } = {}) {
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  return s('svg', { class: cls, width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': values.join(',') },
    s('polyline', { class: 'spark-area', points: `0,${height} ${pts.join(' ')} ${width},${height}` }),
    s('polyline', { class: 'spark-line', points: pts.join(' ') }));
}

/**
 * Line or bar chart over time. series: [{label, cls, points: [{t: Date|number, v: number}]}].
 * x spans [from, to]; y from 0 to a rounded max (at least minMax). yFmt formats axis labels.
 */
export function timeChart(series, { from, to, width = 560, height = 180, bars = false, yFmt = String, xFmt, minMax = 0 } = {}) {
  const pad = { l: 44, r: 10, t: 10, b: 22 };
  const w = width - pad.l - pad.r;
  const hh = height - pad.t - pad.b;
  const t0 = +from, t1 = +to;
  const all = series.flatMap(se => se.points.map(p => p.v)).filter(v => Number.isFinite(v));
  const max = niceMax(Math.max(minMax, ...all));
  const x = t => pad.l + ((+t - t0) / Math.max(1, t1 - t0)) * w;
  const y = v => pad.t + hh - (v / max) * hh;
  const svg = s('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img' });

  for (let i = 0; i <= 4; i++) {
    const v = (max / 4) * i;
    svg.append(s('line', { class: 'grid', x1: pad.l, x2: width - pad.r, y1: y(v), y2: y(v) }),
      s('text', { class: 'axis', x: pad.l - 6, y: y(v) + 3, 'text-anchor': 'end' }, yFmt(v)));
  }
  for (let i = 0; i <= 3; i++) {
    const t = t0 + ((t1 - t0) / 3) * i;
    svg.append(s('text', { class: 'axis', x: x(t), y: height - 6, 'text-anchor': i === 0 ? 'start' : i === 3 ? 'end' : 'middle' },
      xFmt ? xFmt(new Date(t)) : ''));
  }

  series.forEach((se, idx) => {
    const pts = se.points.filter(p => Number.isFinite(p.v));
    if (bars) {
      const bw = Math.max(2, (w / Math.max(1, pts.length)) * 0.7);
      for (const p of pts) {
        if (p.v <= 0) continue;
        svg.append(s('rect', { class: `bar ${se.cls ?? ''}`, x: x(p.t) - bw / 2, y: y(p.v), width: bw, height: Math.max(1, pad.t + hh - y(p.v)) },
          s('title', {}, `${se.label}: ${p.v}`)));
      }
    } else if (pts.length) {
      svg.append(s('polyline', { class: `line ${se.cls ?? `s${idx % 6}`}`, points: pts.map(p => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ') }));
    }
  });
  return svg;
}

/** Legend chips for a timeChart. */
export const legend = series => h('div', { class: 'legend' },
  series.map((se, i) => h('span', { class: 'legend-item' }, h('i', { class: `swatch ${se.cls ?? `s${i % 6}`}` }), se.label)));

/** Horizontal bars: entries [[label, count, cls?]], longest first. */
export function hbars(entries, { fmt = String } = {}) {
  const max = Math.max(1, ...entries.map(e => e[1]));
  return h('div', { class: 'hbars' }, entries.map(([label, n, cls]) => h('div', { class: 'hbar' },
    h('span', { class: 'hbar-label', title: label }, label),
    h('span', { class: 'hbar-track' }, h('span', { class: `hbar-fill ${cls ?? ''}`, dataset: { w: String(Math.round((n / max) * 100)) } })),
    h('span', { class: 'hbar-value' }, fmt(n)))));
}

/** Applies data-w widths after insertion (CSP forbids inline style attributes; the CSSOM is allowed). */
export function sizeBars(root) {
  root.querySelectorAll('[data-w]').forEach(el => { el.style.width = `${el.dataset.w}%`; });
}

/** Quantile of an unsorted array (0..1). */
export function quantile(values, q) {
  if (!values.length) return undefined;
  const a = [...values].sort((x, y) => x - y);
  const i = Math.min(a.length - 1, Math.max(0, Math.ceil(q * a.length) - 1));
  return a[i];
}
