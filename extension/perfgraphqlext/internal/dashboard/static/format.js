// Formatting of figures for the page: one place, so that a label and its figure agree.

export function esc(v) {
  return String(v == null ? '' : v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
export const isNum = (v) => typeof v === 'number' && isFinite(v);
export function fmtMs(v) {
  if (!isNum(v)) return '–';
  if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
  if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
  if (v >= 100) return v.toFixed(0) + ' ms';
  if (v >= 10) return v.toFixed(1) + ' ms';
  return v.toFixed(2) + ' ms';
}
export function fmtNum(v, digits) {
  if (!isNum(v)) return '–';
  const d = digits == null ? (Math.abs(v) >= 100 || Number.isInteger(v) ? 0 : Math.abs(v) >= 10 ? 1 : 2) : digits;
  return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}
export function fmtCompact(v) {
  if (!isNum(v)) return '–';
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
  if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (a >= 1e4) return (v / 1e3).toFixed(0) + 'k';
  if (a >= 1e3) return (v / 1e3).toFixed(1) + 'k';
  if (a >= 10 || Number.isInteger(v)) return v.toFixed(0);
  return String(Number(v.toPrecision(2)));
}
// rates: two significant digits below 10, so a quiet endpoint does not read 0.000
export const fmtRate = (v) => (!isNum(v) ? '–' : v === 0 ? '0' : v >= 10 ? fmtNum(v, 1) : String(Number(v.toPrecision(2))));
export const fmtPct = (v, d) => (isNum(v) ? v.toFixed(d == null ? 1 : d) + ' %' : '–');
export const fmtRatio = (v) => (isNum(v) ? (v * 100).toFixed(v > 0 && v < 0.001 ? 3 : 2) + ' %' : '–');
export const fmtMB = (v) => (isNum(v) ? (v >= 1024 ? (v / 1024).toFixed(2) + ' GB' : v.toFixed(0) + ' MB') : '–');
const pad2 = (n) => String(n).padStart(2, '0');
export function fmtTime(ms, withDate) {
  const d = new Date(ms);
  const hm = pad2(d.getHours()) + ':' + pad2(d.getMinutes());
  return withDate ? pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + hm : hm;
}
export const fmtDay = (ms) => { const d = new Date(ms); return pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()); };
export const fmtDate = (s) => (s ? new Date(s).toLocaleString('en-GB', { hour12: false }) : '–');
export function fmtAgo(ms) {
  const s = Math.max(0, (Date.now() - ms) / 1000);
  if (s < 90) return 'just now';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  if (s < 48 * 3600) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' days ago';
}
export const badge = (v, label) => '<span class="badge b-' + esc(v) + '">' + esc(label || v) + '</span>';

// evidence figures: the value in the unit the engine gave
export function fmtFigure(value, unit) {
  switch (unit) {
    case 'ms': return fmtMs(value);
    case 's': return fmtNum(value) + ' s';
    case 'h': return fmtNum(value, 1) + ' h';
    case '%': return fmtPct(value);
    case 'ratio': return fmtRatio(value);
    case 'count': return fmtNum(value);
    case 'rows': return fmtNum(value) + ' rows';
    case 'bytes/h': return fmtMB(value / 1048576) + '/h';
    default: return fmtNum(value) + (unit ? ' ' + unit : '');
  }
}
export const humanize = (name) => String(name).replace(/_/g, ' ');
