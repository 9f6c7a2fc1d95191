// otelcol-perf dashboard. Everything on the page comes from the GraphQL API at ./graphql;
// charts are inline SVG drawn below. No third-party code, nothing fetched from elsewhere.
'use strict';

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const RANGES = { LAST_HOUR: 1, LAST_6_HOURS: 6, LAST_24_HOURS: 24, LAST_7_DAYS: 168, LAST_30_DAYS: 720 };
  // resourceUtilization interval per range (the series is stored per minute)
  const RES_INTERVAL = { LAST_HOUR: '1m', LAST_6_HOURS: '5m', LAST_24_HOURS: '15m', LAST_7_DAYS: '1h', LAST_30_DAYS: '6h' };
  // trafficSeries interval per range: short ranges read the raw request log per minute
  const TRAFFIC_INTERVAL = { LAST_HOUR: '1m', LAST_6_HOURS: '5m' };
  const HOUR = 3600e3;

  const state = {
    range: sessionStorage.getItem('perf.range') || 'LAST_24_HOURS',
    threshold: Number(sessionStorage.getItem('perf.threshold') || 1000),
    interval: 30,
    paused: false,
    live: false, // the live socket is up (no polling)
    token: sessionStorage.getItem('perf.token') || '',
    timer: null,
    busy: false,
    endpoints: [],
    sort: { key: 'totalRequests', dir: -1 },
    recs: new Map(),
    loads: 0,
  };
  if (!(state.range in RANGES)) state.range = 'LAST_24_HOURS';
  // read by the browser test and handy when debugging
  window.perfDashboard = { loads: 0, firstLoadMs: null, lastLoadMs: null, lastError: null, panelMs: {} };

  // ---------------------------------------------------------------------------------------
  // GraphQL

  class AuthError extends Error {}

  async function gql(query, variables) {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    const res = await fetch('graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    let body = null;
    try { body = await res.json(); } catch (_) { body = null; }
    const msg = body && body.errors && body.errors.length ? body.errors.map((e) => e.message).join('; ') : '';
    if (res.status === 401) throw new AuthError(msg || 'authentication required');
    if (!res.ok) throw new Error(msg || 'HTTP ' + res.status);
    if (!body) throw new Error('the server did not answer with JSON');
    if (msg) throw new Error(msg);
    return body.data;
  }

  // ---------------------------------------------------------------------------------------
  // formatting

  function esc(v) {
    return String(v == null ? '' : v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  const isNum = (v) => typeof v === 'number' && isFinite(v);
  function fmtMs(v) {
    if (!isNum(v)) return '–';
    if (v >= 10000) return (v / 1000).toFixed(1) + ' s';
    if (v >= 1000) return (v / 1000).toFixed(2) + ' s';
    if (v >= 100) return v.toFixed(0) + ' ms';
    if (v >= 10) return v.toFixed(1) + ' ms';
    return v.toFixed(2) + ' ms';
  }
  function fmtNum(v, digits) {
    if (!isNum(v)) return '–';
    const d = digits == null ? (Math.abs(v) >= 100 || Number.isInteger(v) ? 0 : Math.abs(v) >= 10 ? 1 : 2) : digits;
    return v.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  }
  function fmtCompact(v) {
    if (!isNum(v)) return '–';
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(0) + 'k';
    if (a >= 1e3) return (v / 1e3).toFixed(1) + 'k';
    if (a >= 10 || Number.isInteger(v)) return v.toFixed(0);
    return v.toFixed(1);
  }
  // rates: two significant digits below 10, so a quiet endpoint does not read 0.000
  const fmtRate = (v) => (!isNum(v) ? '–' : v === 0 ? '0' : v >= 10 ? fmtNum(v, 1) : String(Number(v.toPrecision(2))));
  const fmtPct = (v, d) => (isNum(v) ? v.toFixed(d == null ? 1 : d) + ' %' : '–');
  const fmtRatio = (v) => (isNum(v) ? (v * 100).toFixed(v > 0 && v < 0.001 ? 3 : 2) + ' %' : '–');
  const fmtMB = (v) => (isNum(v) ? (v >= 1024 ? (v / 1024).toFixed(2) + ' GB' : v.toFixed(0) + ' MB') : '–');
  const pad2 = (n) => String(n).padStart(2, '0');
  function fmtTime(ms, long) {
    const d = new Date(ms);
    const hm = pad2(d.getHours()) + ':' + pad2(d.getMinutes());
    return long ? pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + hm : hm;
  }
  const fmtDate = (s) => (s ? new Date(s).toLocaleString('en-GB', { hour12: false }) : '–');
  const badge = (v) => '<span class="badge b-' + esc(v) + '">' + esc(v) + '</span>';

  // ---------------------------------------------------------------------------------------
  // charts: inline SVG

  // SVG fill/stroke attributes (the page's CSP allows no inline style attributes)
  const COLORS = ['#2f6fde', '#e07b00', '#b2368f', '#1f9d55', '#7a5af8'];

  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  // xDomain from the points, padded by half a step (one step when there is a single point)
  function domainOf(allTimes, step) {
    let lo = Math.min(...allTimes), hi = Math.max(...allTimes);
    const s = step || (hi > lo ? (hi - lo) / Math.max(1, allTimes.length - 1) : HOUR);
    return [lo - s / 2, hi + s / 2];
  }

  function legend(items) {
    return '<div class="legend">' + items.map((it) => '<span><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="' + it.color + '"/></svg> ' + esc(it.name) + '</span>').join('') + '</div>';
  }

  // series: [{name, color, points: [[ms, value|null]]}]; opts: {yFmt, step, height, bars}
  function chart(series, opts) {
    opts = opts || {};
    const W = opts.width || 640, H = opts.height || 190, L = 54, R = 10, T = 8, B = 24;
    const times = [];
    series.forEach((s) => s.points.forEach((p) => { if (isNum(p[1])) times.push(p[0]); }));
    if (!times.length) return '<p class="empty">No data points in this range.</p>';
    const [x0, x1] = domainOf(times, opts.step);
    let ymax = 0;
    if (opts.stacked) {
      const sums = new Map();
      series.forEach((s) => s.points.forEach((p) => sums.set(p[0], (sums.get(p[0]) || 0) + (p[1] || 0))));
      sums.forEach((v) => { ymax = Math.max(ymax, v); });
    } else {
      series.forEach((s) => s.points.forEach((p) => { if (isNum(p[1])) ymax = Math.max(ymax, p[1]); }));
    }
    if (isNum(opts.yMax)) ymax = Math.max(ymax, opts.yMax);
    ymax = niceMax(ymax);
    const yFmt = opts.yFmt || fmtCompact;
    const X = (t) => L + ((t - x0) / (x1 - x0)) * (W - L - R);
    const Y = (v) => T + (1 - v / ymax) * (H - T - B);
    const long = x1 - x0 > 30 * HOUR;
    let out = '<svg class="chart" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(opts.label || 'chart') + '">';
    for (let i = 0; i <= 4; i++) {
      const v = (ymax * i) / 4, y = Y(v);
      out += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y + '" y2="' + y + '"/>';
      out += '<text x="' + (L - 6) + '" y="' + (y + 4) + '" text-anchor="end">' + esc(yFmt(v)) + '</text>';
    }
    const ticks = W < 500 ? 3 : 5;
    for (let i = 0; i <= ticks; i++) {
      const t = x0 + ((x1 - x0) * i) / ticks;
      out += '<text x="' + X(t) + '" y="' + (H - 6) + '" text-anchor="' + (i === 0 ? 'start' : i === ticks ? 'end' : 'middle') + '">' + esc(fmtTime(t, long)) + '</text>';
    }
    out += '<line class="axis" x1="' + L + '" x2="' + (W - R) + '" y1="' + Y(0) + '" y2="' + Y(0) + '"/>';
    if (opts.bars) {
      const step = opts.step || (x1 - x0) / 10;
      const bw = Math.min(48, Math.max(2, ((W - L - R) * step) / (x1 - x0) * 0.7));
      const base = new Map();
      series.forEach((s) => {
        s.points.forEach((p) => {
          if (!isNum(p[1]) || p[1] <= 0) return;
          const b = opts.stacked ? base.get(p[0]) || 0 : 0;
          const y1 = Y(b + p[1]), y0 = Y(b);
          base.set(p[0], b + p[1]);
          out += '<rect x="' + (X(p[0]) - bw / 2) + '" y="' + y1 + '" width="' + bw + '" height="' + Math.max(0.5, y0 - y1) + '" fill="' + s.color + '" data-tip="' + esc(fmtTime(p[0], true) + '\n' + s.name + ': ' + yFmt(p[1])) + '"/>';
        });
      });
    } else {
      series.forEach((s) => {
        let d = '', pen = false;
        s.points.forEach((p) => {
          if (!isNum(p[1])) { pen = false; return; }
          d += (pen ? 'L' : 'M') + X(p[0]).toFixed(1) + ' ' + Y(p[1]).toFixed(1);
          pen = true;
        });
        if (d) out += '<path d="' + d + '" fill="none" stroke="' + s.color + '" stroke-width="2" stroke-linejoin="round"/>';
        const r = s.points.length > 90 ? 1.5 : 3;
        s.points.forEach((p) => {
          if (!isNum(p[1])) return;
          out += '<circle cx="' + X(p[0]).toFixed(1) + '" cy="' + Y(p[1]).toFixed(1) + '" r="' + r + '" fill="' + s.color + '" data-tip="' + esc(fmtTime(p[0], true) + '\n' + s.name + ': ' + yFmt(p[1])) + '"/>';
        });
      });
    }
    out += '</svg>';
    return legend(series) + out;
  }

  const ts = (p) => Date.parse(p.timestamp);

  // tooltips for every element with data-tip
  const tip = $('#tip');
  document.addEventListener('mousemove', (ev) => {
    const el = ev.target && ev.target.closest ? ev.target.closest('[data-tip]') : null;
    if (!el) { tip.hidden = true; return; }
    tip.textContent = el.getAttribute('data-tip');
    tip.hidden = false;
    tip.style.left = Math.min(ev.clientX + 12, window.innerWidth - tip.offsetWidth - 8) + 'px';
    tip.style.top = ev.clientY + 14 + 'px';
  });

  // ---------------------------------------------------------------------------------------
  // panels

  function panel(id, html, st) {
    const el = document.getElementById(id);
    $('.body', el).innerHTML = html;
    el.dataset.state = st || 'ok';
  }
  function panelError(id, err) {
    if (err instanceof AuthError) {
      panel(id, '<p class="empty">Sign in to see this panel.</p>', 'auth');
    } else {
      panel(id, '<p class="error">Could not load: ' + esc(err && err.message) + '</p>', 'error');
    }
  }
  function guarded(id, fn) {
    const t0 = performance.now();
    return fn().then(() => { window.perfDashboard.panelMs[id] = Math.round(performance.now() - t0); },
      (err) => { panelError(id, err); throw err; });
  }

  const Q_OVERVIEW = `query Overview($tr: TimeRange) { performanceOverview(timeRange: $tr) {
    healthScore status apdex avgResponseTimeMs p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs maxResponseTimeMs
    totalRequests failedRequests requestsPerSecond errorRate totalQueries avgQueryTimeMs p95QueryTimeMs slowQueryCount
    connectionPoolUtilization avgCpuUsagePercent avgMemoryUsageMB maxMemoryUsageMB avgEventLoopLagMs
    performanceTrend previousHealthScore rangeFrom rangeTo
    topBottlenecks { type severity description impact recommendation affectedEndpoints } } }`;

  async function loadOverview() {
    const o = (await gql(Q_OVERVIEW, { tr: state.range })).performanceOverview;
    const noTraffic = !(o.totalRequests > 0) && !(o.totalQueries > 0);
    let h = '<div><span class="score" data-testid="health-score">' + fmtNum(o.healthScore, 0) + '<small> / 100</small></span></div>';
    h += '<div class="gap">' + badge(o.status) + ' <span class="muted small">trend</span> ' + badge(o.performanceTrend) + '</div>';
    h += '<div class="meta"><span class="muted">Apdex</span><span>' + fmtNum(o.apdex, 2) + '</span>';
    h += '<span class="muted">Previous period</span><span>' + (isNum(o.previousHealthScore) ? fmtNum(o.previousHealthScore, 0) : 'no data') + '</span>';
    h += '<span class="muted">Range</span><span>' + esc(fmtDate(o.rangeFrom)) + ' → ' + esc(fmtDate(o.rangeTo)) + '</span></div>';
    if (noTraffic) h += '<p class="muted small">No requests or queries recorded in this range yet.</p>';
    if (o.topBottlenecks && o.topBottlenecks.length) {
      h += '<div class="sub">Top bottlenecks</div><ul class="list">' + o.topBottlenecks.slice(0, 4).map((b) =>
        '<li>' + badge(b.severity) + ' ' + esc(b.description) + '</li>').join('') + '</ul>';
    }
    panel('health', h, noTraffic ? 'empty' : 'ok');

    const k = (label, value, cls, title) => '<div class="kpi ' + (cls || '') + '"' + (title ? ' title="' + esc(title) + '"' : '') + '><div class="v">' + value + '</div><div class="l">' + esc(label) + '</div></div>';
    let g = '<div class="kpigrid">';
    g += k('Requests / s', fmtRate(o.requestsPerSecond), '', fmtNum(o.totalRequests) + ' requests in the range');
    g += k('Error rate', fmtRatio(o.errorRate), o.errorRate > 0.05 ? 'bad' : o.errorRate > 0.01 ? 'warn' : '', fmtNum(o.failedRequests) + ' failed');
    g += k('p95 latency', fmtMs(o.p95ResponseTimeMs), o.p95ResponseTimeMs > 1000 ? 'warn' : '');
    g += k('p99 latency', fmtMs(o.p99ResponseTimeMs), o.p99ResponseTimeMs > 2000 ? 'warn' : '');
    g += k('Slow queries (≥ 1 s)', fmtNum(o.slowQueryCount), o.slowQueryCount > 0 ? 'warn' : '');
    g += k('Pool utilization', fmtPct(o.connectionPoolUtilization), o.connectionPoolUtilization > 90 ? 'bad' : o.connectionPoolUtilization > 75 ? 'warn' : '');
    g += k('Total requests', fmtNum(o.totalRequests));
    g += k('Avg / p50 latency', fmtMs(o.avgResponseTimeMs) + ' <span class="muted small">/ ' + fmtMs(o.p50ResponseTimeMs) + '</span>');
    g += k('Queries', fmtNum(o.totalQueries));
    g += k('Avg / p95 query', fmtMs(o.avgQueryTimeMs) + ' <span class="muted small">/ ' + fmtMs(o.p95QueryTimeMs) + '</span>');
    g += k('Avg CPU', fmtPct(o.avgCpuUsagePercent));
    g += k('Memory avg / max', fmtMB(o.avgMemoryUsageMB) + ' <span class="muted small">/ ' + fmtMB(o.maxMemoryUsageMB) + '</span>');
    g += '</div>';
    panel('kpis', g, noTraffic ? 'empty' : 'ok');
  }

  const TP = 'timestamp count errors avgMs p50Ms p95Ms p99Ms maxMs';

  function latencySeries(pts) {
    return [
      { name: 'p50', color: COLORS[3], points: pts.map((p) => [ts(p), p.p50Ms]) },
      { name: 'p95', color: COLORS[1], points: pts.map((p) => [ts(p), p.p95Ms]) },
      { name: 'p99', color: COLORS[2], points: pts.map((p) => [ts(p), p.p99Ms]) },
      { name: 'avg', color: COLORS[0], points: pts.map((p) => [ts(p), p.avgMs]) },
    ];
  }
  function countSeries(pts) {
    return [
      { name: 'successful', color: COLORS[0], points: pts.map((p) => [ts(p), p.count - p.errors]) },
      { name: 'errors', color: '#d64545', points: pts.map((p) => [ts(p), p.errors]) },
    ];
  }

  async function loadTraffic() {
    const iv = TRAFFIC_INTERVAL[state.range] || null;
    const pts = (await gql('query Traffic($tr: TimeRange, $iv: String) { trafficSeries(timeRange: $tr, interval: $iv) { ' + TP + ' } }', { tr: state.range, iv })).trafficSeries;
    const per = { '1m': 'per minute', '5m': 'per 5 minutes' }[iv] || (RANGES[state.range] > 48 ? 'per day' : 'per hour');
    document.querySelectorAll('#latency h2 .small, #throughput h2 .small').forEach((el, i) => { el.textContent = (i === 0 ? 'all endpoints, ' : 'requests ') + per; });
    if (!pts.length) {
      panel('latency', '<p class="empty">No requests in this range.</p>', 'empty');
      panel('throughput', '<p class="empty">No requests in this range.</p>', 'empty');
      return;
    }
    const step = ({ '1m': 60e3, '5m': 300e3 })[iv] || (RANGES[state.range] > 48 ? 24 * HOUR : HOUR);
    panel('latency', chart(latencySeries(pts), { yFmt: fmtMs, step, label: 'latency percentiles' }));
    panel('throughput', chart(countSeries(pts), { bars: true, stacked: true, step, label: 'requests per interval' }));
  }

  async function loadResources() {
    const q = `query Res($tr: TimeRange, $iv: String) { resourceUtilization(timeRange: $tr, interval: $iv) {
      timestamp cpuUsagePercent maxCpuUsagePercent memoryUsedMB maxMemoryUsedMB memoryTotalMB heapUsedMB heapTotalMB eventLoopLagMs activeConnections instances } }`;
    const pts = (await gql(q, { tr: state.range, iv: RES_INTERVAL[state.range] })).resourceUtilization;
    if (!pts.length) { panel('resources', '<p class="empty">No resource metrics in this range.</p>', 'empty'); return; }
    const m = (f) => pts.map((p) => [ts(p), p[f]]);
    const last = pts[pts.length - 1];
    let h = '<div class="muted small">' + esc(RES_INTERVAL[state.range]) + ' buckets · ' + fmtNum(last.instances) + ' instance(s) in the last bucket</div><div class="charts2">';
    h += '<div><div class="sub">CPU</div>' + chart([{ name: 'avg %', color: COLORS[0], points: m('cpuUsagePercent') }, { name: 'max %', color: COLORS[2], points: m('maxCpuUsagePercent') }], { yFmt: (v) => v.toFixed(0) + '%', yMax: 100, width: 330, height: 150, label: 'CPU' }) + '</div>';
    h += '<div><div class="sub">Memory</div>' + chart([{ name: 'used (avg/instance)', color: COLORS[0], points: m('memoryUsedMB') }, { name: 'heap used', color: COLORS[3], points: m('heapUsedMB') }], { yFmt: fmtMB, width: 330, height: 150, label: 'memory' }) + '</div>';
    h += '<div><div class="sub">Event-loop lag</div>' + chart([{ name: 'lag', color: COLORS[1], points: m('eventLoopLagMs') }], { yFmt: fmtMs, width: 330, height: 150, label: 'event loop lag' }) + '</div>';
    h += '<div><div class="sub">Active DB connections</div>' + chart([{ name: 'active', color: COLORS[4], points: m('activeConnections') }], { width: 330, height: 150, label: 'active connections' }) + '</div>';
    h += '</div>';
    panel('resources', h);
  }

  async function loadPool() {
    const q = `query Pool($tr: TimeRange) { databasePoolMetrics(timeRange: $tr) {
      currentConnections idleConnections maxConnections pendingRequests utilizationPercent avgUtilizationPercent peakUtilizationPercent avgWaitTimeMs maxWaitTimeMs
      pools { service instance poolName avgUsed maxUsed avgIdle maxConnections avgUtilizationPercent peakUtilizationPercent maxPendingRequests avgWaitTimeMs }
      utilizationHistory { timestamp utilizationPercent activeConnections idleConnections pendingRequests waitTimeMs } } }`;
    const p = (await gql(q, { tr: state.range })).databasePoolMetrics;
    if (!p.pools.length && !p.utilizationHistory.length) { panel('pool', '<p class="empty">No connection-pool metrics in this range.</p>', 'empty'); return; }
    let h = '<div class="facts">';
    h += '<div><b>' + fmtNum(p.currentConnections) + ' / ' + fmtNum(p.maxConnections) + '</b><span>used / max (latest)</span></div>';
    h += '<div><b>' + fmtPct(p.utilizationPercent) + '</b><span>utilization (latest)</span></div>';
    h += '<div><b>' + fmtPct(p.peakUtilizationPercent) + '</b><span>peak utilization</span></div>';
    h += '<div><b>' + fmtNum(p.pendingRequests) + '</b><span>pending requests</span></div>';
    h += '<div><b>' + fmtMs(p.avgWaitTimeMs) + '</b><span>avg wait (max ' + fmtMs(p.maxWaitTimeMs) + ')</span></div>';
    h += '</div>';
    const u = p.utilizationHistory;
    if (u.length) {
      h += chart([{ name: 'utilization %', color: COLORS[2], points: u.map((x) => [ts(x), x.utilizationPercent]) }], { yFmt: (v) => v.toFixed(0) + '%', yMax: 100, height: 140, label: 'pool utilization' });
    }
    h += '<div class="tablewrap"><table data-testid="pools"><thead><tr><th>Service</th><th>Pool</th><th class="num">Avg used</th><th class="num">Max</th><th class="num">Avg util.</th><th class="num">Peak util.</th><th class="num">Max pending</th><th class="num">Avg wait</th></tr></thead><tbody>';
    h += p.pools.map((x) => '<tr><td>' + esc(x.service) + '</td><td>' + esc(x.poolName) + '</td><td class="num">' + fmtNum(x.avgUsed, 1) + '</td><td class="num">' + fmtNum(x.maxConnections) +
      '</td><td class="num">' + fmtPct(x.avgUtilizationPercent) + '</td><td class="num">' + fmtPct(x.peakUtilizationPercent) + '</td><td class="num">' + fmtNum(x.maxPendingRequests) + '</td><td class="num">' + fmtMs(x.avgWaitTimeMs) + '</td></tr>').join('');
    h += '</tbody></table></div>';
    panel('pool', h);
  }

  // firing alerts of the tenant (perfgraphql.alerting), as a banner above the panels
  const Q_ALERTS = `query Alerts { alerts(state: FIRING, timeRange: LAST_24_HOURS, limit: 20) { rule severity summary firedAt } }`;

  async function loadAlerts() {
    const el = $('#alerts');
    let alerts;
    try {
      alerts = (await gql(Q_ALERTS)).alerts;
    } catch (e) {
      el.hidden = true;
      throw e;
    }
    el.hidden = !alerts.length;
    el.innerHTML = alerts.length ? '<b>' + alerts.length + ' firing alert' + (alerts.length > 1 ? 's' : '') + '</b><ul>' +
      alerts.map((a) => '<li data-alert="' + esc(a.rule) + '"><span class="chip sev-' + esc(a.severity) + '">' + esc(a.severity) + '</span> ' +
        esc(a.summary || a.rule) + ' <span class="muted small">since ' + esc(new Date(a.firedAt).toLocaleString('en-GB', { hour12: false })) + '</span></li>').join('') + '</ul>' : '';
  }

  const Q_RECS = `query Recs($tr: TimeRange) { recommendations(timeRange: $tr, limit: 50) {
    id category priority title description impact effort recommendation implementation estimatedSavings affectedEndpoints evidence firstDetected lastDetected } }`;

  async function loadRecs() {
    const recs = (await gql(Q_RECS, { tr: state.range })).recommendations;
    state.recs = new Map(recs.map((r) => [r.id, r]));
    if (!recs.length) {
      panel('recommendations', '<p class="empty">No recommendations for this range. They come from the optimization engine; it has reported none for this tenant and range.</p>', 'empty');
      return;
    }
    const h = '<div class="recs">' + recs.map((r) => '<div class="rec p-' + esc(r.priority) + '" data-rec="' + esc(r.id) + '" tabindex="0"><div class="t">' + badge(r.priority) +
      ' <span>' + esc(r.title) + '</span> <span class="chip">' + esc(r.category) + '</span></div><div class="d">' + esc(r.description) +
      (r.estimatedSavings ? ' · <b>' + esc(r.estimatedSavings) + '</b>' : '') + '</div></div>').join('') + '</div>';
    panel('recommendations', h);
  }

  const QM = 'id queryHash queryPreview executionTimeMs rowsReturned endpoint service occurrenceCount slowCount errorCount avgExecutionTimeMs p95ExecutionTimeMs maxExecutionTimeMs totalExecutionTimeMs summary normalizedQuery dbSystem';

  function queryTable(rows, withSlow) {
    let h = '<div class="tablewrap"><table><thead><tr><th>Fingerprint</th><th>Summary</th><th>Normalized statement</th><th class="num">Count</th>' + (withSlow ? '<th class="num">Slow</th>' : '') +
      '<th class="num">Avg</th><th class="num">p95</th><th class="num">Max</th><th class="num">Total time</th><th>Top endpoint</th><th>Service</th></tr></thead><tbody>';
    h += rows.map((q) => '<tr class="click" data-query="' + esc(q.queryHash) + '"><td class="mono">' + esc(q.queryHash) + '</td><td>' + esc(q.summary) +
      '</td><td><code class="sql" title="' + esc(q.normalizedQuery) + '">' + esc(q.normalizedQuery) + '</code></td><td class="num">' + fmtNum(q.occurrenceCount) + '</td>' +
      (withSlow ? '<td class="num">' + fmtNum(q.slowCount) + '</td>' : '') + '<td class="num">' + fmtMs(q.avgExecutionTimeMs) + '</td><td class="num">' + fmtMs(q.p95ExecutionTimeMs) +
      '</td><td class="num">' + fmtMs(q.maxExecutionTimeMs) + '</td><td class="num">' + fmtMs(q.totalExecutionTimeMs) + '</td><td>' + esc(q.endpoint || '–') + '</td><td>' + esc(q.service) + '</td></tr>').join('');
    return h + '</tbody></table></div>';
  }

  async function loadSlow() {
    const q = 'query Slow($tr: TimeRange, $th: Int) { slowQueries(timeRange: $tr, threshold: $th, limit: 25) { ' + QM + ' } }';
    const rows = (await gql(q, { tr: state.range, th: state.threshold })).slowQueries;
    if (!rows.length) { panel('slowqueries', '<p class="empty">No statement ran for ' + fmtMs(state.threshold) + ' or longer in this range.</p>', 'empty'); return; }
    panel('slowqueries', queryTable(rows, true));
  }

  const EP_COLS = [
    ['endpoint', 'Endpoint', false], ['service', 'Service', false], ['totalRequests', 'Requests', true], ['requestsPerSecond', 'Req/s', true],
    ['errorRate', 'Error rate', true], ['avgResponseTimeMs', 'Avg', true], ['p50ResponseTimeMs', 'p50', true], ['p95ResponseTimeMs', 'p95', true],
    ['p99ResponseTimeMs', 'p99', true], ['maxResponseTimeMs', 'Max', true], ['trend', 'Trend', false],
  ];
  function cellEP(e, key) {
    const v = e[key];
    switch (key) {
      case 'endpoint': return '<td>' + esc(v) + '</td>';
      case 'service': case 'trend': return key === 'trend' ? '<td>' + badge(v) + '</td>' : '<td>' + esc(v) + '</td>';
      case 'totalRequests': return '<td class="num">' + fmtNum(v) + '</td>';
      case 'requestsPerSecond': return '<td class="num">' + fmtRate(v) + '</td>';
      case 'errorRate': return '<td class="num' + (v > 0.05 ? ' error' : '') + '">' + fmtRatio(v) + '</td>';
      default: return '<td class="num">' + fmtMs(v) + '</td>';
    }
  }
  function renderEndpoints() {
    const rows = state.endpoints.slice();
    const { key, dir } = state.sort;
    rows.sort((a, b) => {
      const x = a[key], y = b[key];
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
      return String(x).localeCompare(String(y)) * dir;
    });
    let h = '<div class="tablewrap"><table data-testid="endpoint-table"><thead><tr>' + EP_COLS.map(([k, l, num]) =>
      '<th class="sortable' + (num ? ' num' : '') + (k === key ? (dir > 0 ? ' sorted-asc' : ' sorted-desc') : '') + '" data-sort="' + k + '">' + esc(l) + '</th>').join('') + '</tr></thead><tbody>';
    h += rows.map((e) => '<tr class="click" data-endpoint="' + esc(e.endpoint) + '" data-service="' + esc(e.service) + '">' + EP_COLS.map(([k]) => cellEP(e, k)).join('') + '</tr>').join('');
    panel('endpoints', h + '</tbody></table></div>');
  }

  const EM = 'endpoint method route service spanKind totalRequests successfulRequests failedRequests clientErrors serverErrors errorRate requestsPerSecond avgResponseTimeMs p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs maxResponseTimeMs avgRequestSizeBytes avgResponseSizeBytes trend';

  async function loadEndpoints() {
    const rows = (await gql('query Eps($tr: TimeRange) { endpointMetrics(timeRange: $tr, limit: 200) { ' + EM + ' } }', { tr: state.range })).endpointMetrics;
    state.endpoints = rows;
    if (!rows.length) { panel('endpoints', '<p class="empty">No endpoints with requests in this range.</p>', 'empty'); return; }
    renderEndpoints();
  }

  // ---------------------------------------------------------------------------------------
  // refresh loop

  function setStatus(text, isError) {
    const s = $('#status');
    s.textContent = text;
    s.classList.toggle('error', !!isError);
  }

  async function refreshAll() {
    if (state.busy) return;
    state.busy = true;
    clearTimeout(state.timer);
    const t0 = performance.now();
    setStatus('loading…');
    const jobs = [
      guarded('health', loadOverview).catch((e) => { panelError('kpis', e); throw e; }),
      guarded('latency', loadTraffic).catch((e) => { panelError('throughput', e); throw e; }),
      guarded('resources', loadResources),
      guarded('pool', loadPool),
      guarded('recommendations', loadRecs),
      guarded('slowqueries', loadSlow),
      guarded('endpoints', loadEndpoints),
      loadAlerts(),
    ];
    const results = await Promise.allSettled(jobs);
    state.busy = false;
    const errs = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    const pd = window.perfDashboard;
    if (errs.some((e) => e instanceof AuthError)) {
      const e = errs.find((x) => x instanceof AuthError);
      setStatus('sign-in required', true);
      showLogin(state.token ? e.message : '');
      return;
    }
    const took = performance.now() - t0;
    pd.loads++;
    pd.lastLoadMs = took;
    if (pd.firstLoadMs == null) pd.firstLoadMs = performance.now();
    pd.lastError = errs.length ? String(errs[0] && errs[0].message) : null;
    document.body.dataset.loads = String(pd.loads);
    setStatus((errs.length ? errs.length + ' panel(s) failed · ' : '') + 'updated ' + new Date().toLocaleTimeString('en-GB', { hour12: false }) + ' (' + took.toFixed(0) + ' ms)' + (state.paused ? ' · paused' : ''), errs.length > 0);
    schedule();
  }

  function schedule() {
    clearTimeout(state.timer);
    if (!state.paused && !state.live) state.timer = setTimeout(refreshAll, state.interval * 1000);
  }

  // ---------------------------------------------------------------------------------------
  // live updates (live.js): while the socket is up the server pushes a change of the
  // overview or of a recommendation and the page re-reads; when it is down, it polls.

  let live = null;
  let pushTimer = null;
  function startLive() {
    if (live) live.close();
    live = null;
    if (!window.perfLive) return;
    const onPush = () => {
      if (state.paused) return;
      clearTimeout(pushTimer); // pushes of one refresh come together: one re-read
      pushTimer = setTimeout(refreshAll, 300);
    };
    live = window.perfLive.connect({
      token: state.token,
      subscriptions: [
        { query: 'subscription Live($tr: TimeRange) { overview(timeRange: $tr) { healthScore } }', variables: { tr: state.range }, onNext: onPush },
        { query: 'subscription { recommendationChanged { id } }', onNext: onPush },
      ],
      onMode(on) {
        state.live = on;
        const m = $('#mode');
        m.textContent = on ? 'live' : 'polling';
        m.classList.toggle('live', on);
        document.body.dataset.mode = m.textContent;
        schedule();
      },
    });
  }

  // ---------------------------------------------------------------------------------------
  // sign-in

  function showLogin(message) {
    const e = $('#login-error');
    e.hidden = !message;
    e.textContent = message ? 'The server refused the token: ' + message : '';
    $('#login').hidden = false;
    $('#token').focus();
  }
  $('#login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.token = $('#token').value.trim();
    if (!state.token) return;
    sessionStorage.setItem('perf.token', state.token);
    $('#login').hidden = true;
    $('#signout').hidden = false;
    refreshAll();
    startLive();
  });
  $('#signout').hidden = !state.token;
  $('#signout').addEventListener('click', () => {
    sessionStorage.removeItem('perf.token');
    state.token = '';
    $('#signout').hidden = true;
    refreshAll();
    startLive();
  });

  // ---------------------------------------------------------------------------------------
  // detail drawer: #query=<fingerprint>, #endpoint=<endpoint>, #rec=<id>

  function openDrawer(title, html) {
    $('#drawer-title').textContent = title;
    $('#drawer-body').innerHTML = html;
    $('#drawer').hidden = false;
  }
  function closeDrawer() {
    $('#drawer').hidden = true;
    $('#drawer').dataset.kind = '';
    if (location.hash) history.pushState(null, '', location.pathname + location.search);
  }
  $('#drawer-close').addEventListener('click', closeDrawer);
  $('#drawer').addEventListener('click', (ev) => { if (ev.target.id === 'drawer') closeDrawer(); });
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !$('#drawer').hidden) closeDrawer(); });

  const fact = (label, value) => '<div><b>' + value + '</b><span>' + esc(label) + '</span></div>';

  async function showQuery(fp) {
    openDrawer('Query ' + fp, '<p class="empty">Loading…</p>');
    $('#drawer').dataset.kind = 'query';
    const q = `query QD($fp: String!, $tr: TimeRange) { queryDetail(fingerprint: $fp, timeRange: $tr) {
      queryHash summary operation collection dbSystem normalizedQuery firstSeen lastSeen totalCalls errorCount avgExecutionTimeMs p50ExecutionTimeMs
      p95ExecutionTimeMs p99ExecutionTimeMs maxExecutionTimeMs totalExecutionTimeMs avgRowsReturned
      endpoints { endpoint service count totalTimeMs } timeSeries { ` + TP + ` } ` + (window.perfPlan ? window.perfPlan.fields : '') + ` } }`;
    const d = (await gql(q, { fp, tr: state.range })).queryDetail;
    if (!d) { openDrawer('Query ' + fp, '<p class="empty">This tenant has no executions of this statement shape in the range.</p>'); return; }
    let h = '<dl class="kv"><dt>Summary</dt><dd>' + esc(d.summary) + '</dd><dt>Operation / collection</dt><dd>' + esc(d.operation || '–') + ' / ' + esc(d.collection || '–') +
      '</dd><dt>Database system</dt><dd>' + esc(d.dbSystem) + '</dd><dt>First / last seen</dt><dd>' + esc(fmtDate(d.firstSeen)) + ' / ' + esc(fmtDate(d.lastSeen)) + '</dd></dl>';
    h += '<div class="sub">Normalized statement</div><pre data-testid="query-text">' + esc(d.normalizedQuery) + '</pre>';
    h += '<div class="facts">' + fact('calls', fmtNum(d.totalCalls)) + fact('errors', fmtNum(d.errorCount)) + fact('avg', fmtMs(d.avgExecutionTimeMs)) + fact('p50', fmtMs(d.p50ExecutionTimeMs)) +
      fact('p95', fmtMs(d.p95ExecutionTimeMs)) + fact('p99', fmtMs(d.p99ExecutionTimeMs)) + fact('max', fmtMs(d.maxExecutionTimeMs)) + fact('total time', fmtMs(d.totalExecutionTimeMs)) +
      fact('avg rows', isNum(d.avgRowsReturned) ? fmtNum(d.avgRowsReturned, 1) : 'not reported') + '</div>';
    if (d.timeSeries.length) {
      h += '<div class="charts2"><div><div class="sub">Latency</div>' + chart(latencySeries(d.timeSeries), { yFmt: fmtMs, width: 440, height: 190 }) + '</div>';
      h += '<div><div class="sub">Executions</div>' + chart(countSeries(d.timeSeries), { bars: true, stacked: true, step: RANGES[state.range] > 48 ? 24 * HOUR : HOUR, width: 440, height: 190 }) + '</div></div>';
    }
    h += '<div class="sub">Endpoints issuing it</div>';
    h += d.endpoints.length ? '<table><thead><tr><th>Endpoint</th><th>Service</th><th class="num">Executions</th><th class="num">Total time</th></tr></thead><tbody>' + d.endpoints.map((e) =>
      '<tr class="click" data-endpoint="' + esc(e.endpoint) + '" data-service="' + esc(e.service) + '"><td>' + esc(e.endpoint || '(no request)') + '</td><td>' + esc(e.service) + '</td><td class="num">' + fmtNum(e.count) + '</td><td class="num">' + fmtMs(e.totalTimeMs) + '</td></tr>').join('') + '</tbody></table>'
      : '<p class="muted">Not attributed to any endpoint.</p>';
    if (window.perfPlan) h += window.perfPlan.render(d);
    openDrawer('Query ' + d.queryHash + ' · ' + d.summary, h);
    $('#drawer').dataset.kind = 'query';
  }

  async function showEndpoint(name, service) {
    openDrawer('Endpoint ' + name, '<p class="empty">Loading…</p>');
    $('#drawer').dataset.kind = 'endpoint';
    const q = 'query ED($ep: String!, $svc: String, $tr: TimeRange) { endpointDetail(endpoint: $ep, service: $svc, timeRange: $tr) { metric { ' + EM + ' } topQueries { ' + QM + ' } timeSeries { ' + TP + ' } } }';
    const d = (await gql(q, { ep: name, svc: service || null, tr: state.range })).endpointDetail;
    if (!d) { openDrawer('Endpoint ' + name, '<p class="empty">This tenant has no such endpoint.</p>'); return; }
    const m = d.metric;
    let h = '<dl class="kv"><dt>Service</dt><dd>' + esc(m.service) + '</dd><dt>Kind</dt><dd>' + esc(m.spanKind) + '</dd><dt>Trend</dt><dd>' + badge(m.trend) + '</dd></dl>';
    h += '<div class="facts">' + fact('requests', fmtNum(m.totalRequests)) + fact('req/s', fmtRate(m.requestsPerSecond)) + fact('error rate', fmtRatio(m.errorRate)) +
      fact('4xx / 5xx', fmtNum(m.clientErrors) + ' / ' + fmtNum(m.serverErrors)) + fact('avg', fmtMs(m.avgResponseTimeMs)) + fact('p50', fmtMs(m.p50ResponseTimeMs)) +
      fact('p95', fmtMs(m.p95ResponseTimeMs)) + fact('p99', fmtMs(m.p99ResponseTimeMs)) + fact('max', fmtMs(m.maxResponseTimeMs)) + '</div>';
    if (d.timeSeries.length) {
      h += '<div class="charts2"><div><div class="sub">Latency</div>' + chart(latencySeries(d.timeSeries), { yFmt: fmtMs, width: 440, height: 190 }) + '</div>';
      h += '<div><div class="sub">Requests</div>' + chart(countSeries(d.timeSeries), { bars: true, stacked: true, step: RANGES[state.range] > 48 ? 24 * HOUR : HOUR, width: 440, height: 190 }) + '</div></div>';
    }
    h += '<div class="sub">Statements issued under this endpoint (by total time)</div>' + (d.topQueries.length ? queryTable(d.topQueries, false) : '<p class="muted">None recorded.</p>');
    openDrawer('Endpoint ' + m.endpoint, h);
    $('#drawer').dataset.kind = 'endpoint';
  }

  // evidence is JSON written by the optimization engine: pick out fingerprints and trace ids
  function collect(obj, re, out) {
    if (obj == null) return out;
    if (Array.isArray(obj)) { obj.forEach((v) => collect(v, re, out)); return out; }
    if (typeof obj === 'object') {
      for (const [k, v] of Object.entries(obj)) {
        if (re.test(k)) {
          (Array.isArray(v) ? v : [v]).forEach((x) => { if (typeof x === 'string' && x) out.add(x); else if (x && typeof x === 'object') collect(x, /.*/, out); });
        } else collect(v, re, out);
      }
    }
    return out;
  }

  function showRec(id) {
    const r = state.recs.get(id);
    $('#drawer').dataset.kind = 'rec';
    if (!r) { openDrawer('Recommendation', '<p class="empty">This recommendation is not in the current range.</p>'); $('#drawer').dataset.kind = 'rec'; return; }
    let ev = null;
    try { ev = JSON.parse(r.evidence); } catch (_) { ev = null; }
    const fps = ev ? [...collect(ev, /fingerprint|queryhash|query_hash/i, new Set())].filter((s) => /^[0-9a-f]{16}$/.test(s)) : [];
    const traces = ev ? [...collect(ev, /trace/i, new Set())].filter((s) => /^[0-9a-f]{32}$/i.test(s)) : [];
    let h = '<div>' + badge(r.priority) + ' <span class="chip">' + esc(r.category) + '</span> <span class="muted small">first detected ' + esc(fmtDate(r.firstDetected)) + ' · last ' + esc(fmtDate(r.lastDetected)) + '</span></div>';
    h += '<dl class="kv"><dt>Description</dt><dd>' + esc(r.description) + '</dd><dt>Impact</dt><dd>' + esc(r.impact) + '</dd><dt>Effort</dt><dd>' + esc(r.effort) +
      '</dd><dt>Estimated savings</dt><dd>' + esc(r.estimatedSavings || '–') + '</dd><dt>Recommendation</dt><dd>' + esc(r.recommendation) + '</dd></dl>';
    if (r.implementation) h += '<div class="sub">Implementation</div><pre>' + esc(r.implementation) + '</pre>';
    h += '<div class="sub">Affected endpoints</div><div class="chips">' + (r.affectedEndpoints.length ? r.affectedEndpoints.map((e) => '<a class="link chip" data-endpoint="' + esc(e) + '">' + esc(e) + '</a>').join('') : '<span class="muted">none</span>') + '</div>';
    h += '<div class="sub">Evidence</div>';
    if (fps.length) h += '<div class="muted small">Fingerprints</div><div class="chips">' + fps.map((f) => '<a class="link chip mono" data-query="' + esc(f) + '">' + esc(f) + '</a>').join('') + '</div>';
    h += '<div class="muted small">Example trace ids</div><div class="chips" data-testid="trace-ids">' + (traces.length ? traces.map((t) => '<code class="chip">' + esc(t) + '</code>').join('') : '<span class="muted">none in the evidence</span>') + '</div>';
    h += '<pre>' + esc(ev ? JSON.stringify(ev, null, 2) : r.evidence) + '</pre>';
    openDrawer(r.title, h);
    $('#drawer').dataset.kind = 'rec';
  }

  function route() {
    const h = location.hash.replace(/^#/, '');
    const i = h.indexOf('=');
    if (i < 0) { $('#drawer').hidden = true; return; }
    const kind = h.slice(0, i), arg = decodeURIComponent(h.slice(i + 1));
    const fail = (e) => {
      if (e instanceof AuthError) { closeDrawer(); showLogin(state.token ? e.message : ''); return; }
      openDrawer('Could not load', '<p class="error">' + esc(e && e.message) + '</p>');
    };
    if (kind === 'query') showQuery(arg).catch(fail);
    else if (kind === 'endpoint') { const [ep, svc] = arg.split('\u0000'); showEndpoint(ep, svc).catch(fail); }
    else if (kind === 'rec') showRec(arg);
  }
  window.addEventListener('hashchange', route);
  const go = (kind, arg) => { location.hash = kind + '=' + encodeURIComponent(arg); };

  // clicks anywhere: table rows, links, recommendations, sortable headers
  document.addEventListener('click', (ev) => {
    const t = ev.target;
    const th = t.closest('th[data-sort]');
    if (th) {
      const k = th.dataset.sort;
      state.sort = { key: k, dir: state.sort.key === k ? -state.sort.dir : (EP_COLS.find((c) => c[0] === k) || [])[2] ? -1 : 1 };
      renderEndpoints();
      return;
    }
    const q = t.closest('[data-query]');
    if (q) { go('query', q.dataset.query); return; }
    const e = t.closest('[data-endpoint]');
    if (e) { go('endpoint', e.dataset.service ? e.dataset.endpoint + '\u0000' + e.dataset.service : e.dataset.endpoint); return; }
    const r = t.closest('[data-rec]');
    if (r) { go('rec', r.dataset.rec); }
  });
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && ev.target.dataset && ev.target.dataset.rec) go('rec', ev.target.dataset.rec);
  });

  // ---------------------------------------------------------------------------------------
  // controls

  $('#range').value = state.range;
  $('#threshold').value = String(state.threshold);
  $('#range').addEventListener('change', (ev) => {
    state.range = ev.target.value;
    sessionStorage.setItem('perf.range', state.range);
    refreshAll();
    startLive();
    if (!$('#drawer').hidden) route();
  });
  $('#threshold').addEventListener('change', (ev) => {
    state.threshold = Number(ev.target.value);
    sessionStorage.setItem('perf.threshold', String(state.threshold));
    guarded('slowqueries', loadSlow).catch(() => {});
  });
  $('#interval').addEventListener('change', (ev) => { state.interval = Number(ev.target.value); schedule(); });
  $('#pause').addEventListener('click', (ev) => {
    state.paused = !state.paused;
    ev.target.setAttribute('aria-pressed', String(state.paused));
    ev.target.textContent = state.paused ? 'Resume' : 'Pause';
    if (state.paused) { clearTimeout(state.timer); setStatus($('#status').textContent.replace(/ · paused$/, '') + ' · paused'); } else refreshAll();
  });
  $('#refresh').addEventListener('click', () => refreshAll());

  refreshAll();
  startLive();
  route();
})();
