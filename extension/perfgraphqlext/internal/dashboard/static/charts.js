// Charts drawn as inline SVG. The x axis is the window the page shows (from..to), whatever
// the data covers, and a bucket without data stays empty: no line is drawn across it.

import { esc, isNum, fmtCompact, fmtTime, fmtDay } from './format.js';

// fill/stroke as SVG attributes (the page's CSP allows no inline style attributes)
export const COLORS = ['#2f6fde', '#e07b00', '#b2368f', '#1f9d55', '#7a5af8'];
const MIN = 60e3, HOUR = 3600e3, DAY = 24 * HOUR;
const TICK_STEPS = [MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

// timeTicks: round times (local clock) at the coarsest step that still gives at most max
// ticks; each label is distinct: the step is at least a minute, the format shows the date
// when the window spans a day or more, and a label already shown is skipped.
export function timeTicks(x0, x1, max) {
  const span = x1 - x0;
  const step = TICK_STEPS.find((s) => span / s <= max) || 30 * DAY;
  const offset = new Date(x0).getTimezoneOffset() * MIN;
  let t = Math.ceil((x0 - offset) / step) * step + offset;
  const out = [], seen = new Set();
  // a window of a day or more holds the same clock time twice: the labels carry the date
  const longSpan = span >= DAY;
  for (; t <= x1; t += step) {
    const label = step >= DAY ? fmtDay(t) : fmtTime(t, longSpan);
    if (!seen.has(label)) { seen.add(label); out.push({ t, label }); }
  }
  return out;
}

// valueTicks: 0..ymax in n parts of a round step (1, 2, 2.5 or 5 times a power of ten) when
// one exists, and never a label twice
const roundStep = (x) => { const m = x / Math.pow(10, Math.floor(Math.log10(x))); return [1, 2, 2.5, 5, 10].some((r) => Math.abs(m - r) < 1e-9); };
function valueTicks(ymax, fmt) {
  const ns = [4, 5, 3, 6, 2];
  const order = ns.filter((n) => roundStep(ymax / n)).concat(ns, [1]);
  for (const n of order) {
    const vs = [];
    for (let i = 0; i <= n; i++) vs.push((ymax * i) / n);
    const labels = vs.map(fmt);
    if (new Set(labels).size === labels.length) return vs.map((v, i) => ({ v, label: labels[i] }));
  }
  return [{ v: 0, label: fmt(0) }];
}

export function legend(items) {
  return '<div class="legend">' + items.map((it) => '<span><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="' + it.color + '"/></svg> ' + esc(it.name) + '</span>').join('') + '</div>';
}

// series: [{name, color, points: [[bucket start ms, value|null]]}]
// opts: {from, to, step (bucket ms), yFmt, yMax, bars, stacked, width, height, label, empty}
export function chart(series, opts) {
  const W = opts.width || 640, H = opts.height || 190, L = 54, R = 12, T = 8, B = 24;
  const step = opts.step;
  const has = series.some((s) => s.points.some((p) => isNum(p[1])));
  if (!has) return '<p class="empty">' + esc(opts.empty || 'No data points in this window.') + '</p>';
  const x0 = opts.from, x1 = opts.to;
  let ymax = 0;
  if (opts.stacked) {
    const sums = new Map();
    series.forEach((s) => s.points.forEach((p) => sums.set(p[0], (sums.get(p[0]) || 0) + (isNum(p[1]) ? p[1] : 0))));
    sums.forEach((v) => { ymax = Math.max(ymax, v); });
  } else {
    series.forEach((s) => s.points.forEach((p) => { if (isNum(p[1])) ymax = Math.max(ymax, p[1]); }));
  }
  if (isNum(opts.yMax)) ymax = Math.max(ymax, opts.yMax);
  ymax = niceMax(ymax);
  const yFmt = opts.yFmt || fmtCompact;
  const X = (t) => L + ((Math.min(Math.max(t, x0), x1) - x0) / (x1 - x0)) * (W - L - R);
  const Y = (v) => T + (1 - v / ymax) * (H - T - B);
  const mid = (t) => t + step / 2; // a bucket's mark sits in its middle
  let out = '<svg class="chart" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(opts.label || 'chart') + '" data-step="' + step + '">';
  valueTicks(ymax, yFmt).forEach(({ v, label }) => {
    const y = Y(v);
    out += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y + '" y2="' + y + '"/>';
    out += '<text class="ylabel" x="' + (L - 6) + '" y="' + (y + 4) + '" text-anchor="end">' + esc(label) + '</text>';
  });
  const ticks = timeTicks(x0, x1, Math.max(2, Math.floor((W - L - R) / 95)));
  ticks.forEach(({ t, label }) => {
    const x = X(t);
    const anchor = x - L < 30 ? 'start' : W - R - x < 30 ? 'end' : 'middle';
    out += '<line class="grid" x1="' + x + '" x2="' + x + '" y1="' + (H - B) + '" y2="' + (H - B + 4) + '"/>';
    out += '<text class="xlabel" x="' + x + '" y="' + (H - 6) + '" text-anchor="' + anchor + '">' + esc(label) + '</text>';
  });
  out += '<line class="axis" x1="' + L + '" x2="' + (W - R) + '" y1="' + Y(0) + '" y2="' + Y(0) + '"/>';
  const tipOf = (s, p) => esc(fmtTime(p[0], true) + '\n' + s.name + ': ' + yFmt(p[1]));
  if (opts.bars) {
    const bw = Math.max(1.5, ((W - L - R) * step) / (x1 - x0) * 0.8);
    const base = new Map();
    series.forEach((s) => {
      s.points.forEach((p) => {
        if (!isNum(p[1]) || p[1] <= 0) return;
        const b = opts.stacked ? base.get(p[0]) || 0 : 0;
        const y1 = Y(b + p[1]), y0 = Y(b);
        base.set(p[0], b + p[1]);
        out += '<rect class="mark" x="' + (X(mid(p[0])) - bw / 2).toFixed(1) + '" y="' + y1.toFixed(1) + '" width="' + bw.toFixed(1) + '" height="' + Math.max(0.5, y0 - y1).toFixed(1) + '" fill="' + s.color + '" data-tip="' + tipOf(s, p) + '"/>';
      });
    });
  } else {
    series.forEach((s) => {
      const pts = s.points.filter((p) => isNum(p[1])).sort((a, b) => a[0] - b[0]);
      // a run is consecutive buckets; the line breaks where a bucket has no data
      let d = '';
      pts.forEach((p, i) => {
        const joined = i > 0 && p[0] - pts[i - 1][0] <= step * 1.01;
        d += (joined ? 'L' : 'M') + X(mid(p[0])).toFixed(1) + ' ' + Y(p[1]).toFixed(1);
      });
      if (d) out += '<path class="line" d="' + d + '" fill="none" stroke="' + s.color + '" stroke-width="2" stroke-linejoin="round"/>';
      const r = pts.length > 90 ? 1.5 : 3;
      pts.forEach((p) => {
        out += '<circle class="mark" cx="' + X(mid(p[0])).toFixed(1) + '" cy="' + Y(p[1]).toFixed(1) + '" r="' + r + '" fill="' + s.color + '" data-tip="' + tipOf(s, p) + '"/>';
      });
    });
  }
  out += '</svg>';
  return legend(series) + out;
}
