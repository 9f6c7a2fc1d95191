// The panels of the main page: one load function each (reads state, queries, renders).

import { esc, isNum, fmtMs, fmtNum, fmtRate, fmtPct, fmtRatio, fmtMB, fmtDate, fmtAgo, fmtTime, badge } from './format.js';
import { chart, COLORS } from './charts.js';
import { state, gql, panel, subtitle, rangeVars, RANGE_PARAMS, RANGE_ARGS, baseView, zoomTo, bucketFor } from './core.js';

const ts = (p) => Date.parse(p.timestamp);
const svcVar = () => state.service || null;

// ---------------------------------------------------------------------------------------
// window: the probe of long ranges (see zoomTo) doubles as the traffic panel's data

export const TP = 'timestamp count errors avgMs p50Ms p95Ms p99Ms maxMs';
const Q_TRAFFIC = 'query Traffic(' + RANGE_PARAMS + ', $svc: String, $iv: String) { trafficSeries(' + RANGE_ARGS + ', service: $svc, interval: $iv) { ' + TP + ' } }';
let trafficCache = new Map(); // view key -> points, of the latest resolveView

function trafficKey(view) { return [state.service, view.from, view.to, view.iv].join('|'); }

async function fetchTraffic(view) {
  const key = trafficKey(view);
  if (trafficCache.has(key)) return trafficCache.get(key);
  const pts = (await gql(Q_TRAFFIC, { ...rangeVars(view), svc: svcVar(), iv: view.iv })).trafficSeries;
  trafficCache.set(key, pts);
  return pts;
}

// resolveView sets state.view: the range, or, for a range over 6 h whose requests all lie in
// the last 6 h, the part with requests at minute buckets. The last 6 h are read from the
// minute rollups, which the refresh keeps current every scheduler.interval, so a service is
// seen in its first minute.
export async function resolveView() {
  trafficCache = new Map();
  let view = baseView();
  const SIX = 6 * 3600e3;
  if (view.to - view.from > SIX) {
    const recentView = { ...view, from: view.to - SIX, zoomed: true, ...bucketFor(SIX) };
    const [all, recent] = await Promise.all([fetchTraffic(view), fetchTraffic(recentView)]);
    const older = all.some((p) => ts(p) + view.step <= view.to - SIX);
    if (!older && recent.length) {
      view = zoomTo(view, ts(recent[0]));
      if (view.step < recentView.step) {
        const fine = await fetchTraffic(view);
        if (fine.length) view = zoomTo(view, ts(fine[0]));
      }
    }
  }
  state.view = view;
  const note = document.getElementById('window-note');
  note.textContent = (view.zoomed ? 'data since ' + fmtTime(view.since, true) + ' · ' : '') + view.name + ' buckets';
  note.dataset.zoomed = String(view.zoomed);
  return view;
}

const chartOpts = (o) => ({ from: state.view.from, to: state.view.to, step: state.view.step, ...o });

// ---------------------------------------------------------------------------------------
// health and KPIs

const Q_OVERVIEW = `query Overview(` + RANGE_PARAMS + `, $svc: String) { performanceOverview(` + RANGE_ARGS + `, service: $svc) {
  healthScore status hasData lastDataAt apdex avgResponseTimeMs p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs maxResponseTimeMs
  totalRequests failedRequests requestsPerSecond errorRate totalQueries avgQueryTimeMs p95QueryTimeMs slowQueryCount
  connectionPoolUtilization avgCpuUsagePercent avgMemoryUsageMB maxMemoryUsageMB avgEventLoopLagMs
  performanceTrend previousHealthScore rangeFrom rangeTo topBottlenecks { type severity } } }`;

export async function loadOverview() {
  const o = (await gql(Q_OVERVIEW, { ...rangeVars(), svc: svcVar() })).performanceOverview;
  const who = state.service ? 'service ' + state.service : 'this tenant';
  let h;
  const last = o.lastDataAt ? Date.parse(o.lastDataAt) : null;
  const arriving = !o.hasData && last != null && last >= Date.parse(o.rangeFrom);
  if (arriving) {
    // requests are in the log, not yet in the rollups the score is computed from
    h = '<div class="nodata" data-testid="no-data">No score yet</div>';
    h += '<p>Requests from ' + esc(who) + ' are arriving (the latest ' + esc(fmtAgo(last)) + '); the health score follows with the next rollup (every scheduler.interval, 15 s by default).</p>';
  } else if (!o.hasData) {
    h = '<div class="nodata" data-testid="no-data">No data</div>';
    h += '<p>No requests from ' + esc(who) + ' in this range.</p>';
    h += '<p class="muted" data-testid="last-data">' + (last != null
      ? 'Last request: ' + esc(fmtDate(o.lastDataAt)) + ' (' + esc(fmtAgo(Date.parse(o.lastDataAt))) + ').'
      : 'No request has been recorded for ' + esc(who) + ' yet.') + '</p>';
  } else {
    h = '<div><span class="score" data-testid="health-score">' + fmtNum(o.healthScore, 0) + '<small> / 100</small></span></div>';
    h += '<div class="gap">' + badge(o.status) + ' <span class="muted small">trend</span> ' + badge(o.performanceTrend) + '</div>';
    h += '<div class="meta"><span class="muted">Apdex</span><span>' + fmtNum(o.apdex, 2) + '</span>';
    h += '<span class="muted">Previous period</span><span>' + (isNum(o.previousHealthScore) ? fmtNum(o.previousHealthScore, 0) : 'no data') + '</span>';
    h += '<span class="muted">Last request</span><span>' + esc(o.lastDataAt ? fmtAgo(Date.parse(o.lastDataAt)) : '–') + '</span></div>';
    // the issues themselves are in the recommendations panel; here only how many and how bad
    const b = o.topBottlenecks;
    if (b.length) {
      const by = {};
      b.forEach((x) => { by[x.severity] = (by[x.severity] || 0) + 1; });
      // topBottlenecks holds the 5 worst only: say so rather than count them as all
      h += '<p class="small gap"><a class="link" href="#recommendations-anchor" data-scroll="recommendations">' + (b.length >= 5 ? 'Worst open issues' : b.length + ' open issue' + (b.length > 1 ? 's' : '')) + '</a> ' +
        ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].filter((s) => by[s]).map((s) => badge(s, by[s] + ' ' + s.toLowerCase())).join(' ') + '</p>';
    }
  }
  panel('health', h, o.hasData ? 'ok' : 'empty');

  const req = o.hasData;
  const k = (label, value, cls, sub, title) => '<div class="kpi ' + (cls || '') + '"' + (title ? ' title="' + esc(title) + '"' : '') + '><div class="v">' + value + '</div>' +
    (sub ? '<div class="v2">' + sub + '</div>' : '') + '<div class="l">' + esc(label) + '</div></div>';
  const r = (v, f) => (req ? f(v) : '–');
  let g = '<div class="kpigrid">';
  g += k('Requests / s', r(o.requestsPerSecond, fmtRate), '', '', fmtNum(o.totalRequests) + ' requests in the range');
  g += k('Error rate', r(o.errorRate, fmtRatio), req && o.errorRate > 0.05 ? 'bad' : req && o.errorRate > 0.01 ? 'warn' : '', '', fmtNum(o.failedRequests) + ' failed');
  g += k('p95 latency', r(o.p95ResponseTimeMs, fmtMs), req && o.p95ResponseTimeMs > 1000 ? 'warn' : '');
  g += k('p99 latency', r(o.p99ResponseTimeMs, fmtMs), req && o.p99ResponseTimeMs > 2000 ? 'warn' : '');
  g += k('Slow queries (≥ 1 s)', fmtNum(o.slowQueryCount), o.slowQueryCount > 0 ? 'warn' : '');
  g += k('Pool utilization', o.connectionPoolUtilization > 0 ? fmtPct(o.connectionPoolUtilization) : '–', o.connectionPoolUtilization > 90 ? 'bad' : o.connectionPoolUtilization > 75 ? 'warn' : '');
  g += k('Total requests', fmtNum(o.totalRequests));
  g += k('Avg latency', r(o.avgResponseTimeMs, fmtMs), '', req ? 'p50 ' + fmtMs(o.p50ResponseTimeMs) : '');
  g += k('Queries', fmtNum(o.totalQueries));
  g += k('Avg query', o.totalQueries > 0 ? fmtMs(o.avgQueryTimeMs) : '–', '', o.totalQueries > 0 ? 'p95 ' + fmtMs(o.p95QueryTimeMs) : '');
  g += k('Avg CPU', o.avgCpuUsagePercent > 0 ? fmtPct(o.avgCpuUsagePercent) : '–');
  g += k('Memory avg', o.avgMemoryUsageMB > 0 ? fmtMB(o.avgMemoryUsageMB) : '–', '', o.maxMemoryUsageMB > 0 ? 'max ' + fmtMB(o.maxMemoryUsageMB) : '');
  g += '</div>';
  panel('kpis', g, req || o.totalQueries > 0 ? 'ok' : 'empty');
}

// ---------------------------------------------------------------------------------------
// latency and throughput

export function latencySeries(pts) {
  return [
    { name: 'p50', color: COLORS[3], points: pts.map((p) => [ts(p), p.p50Ms]) },
    { name: 'p95', color: COLORS[1], points: pts.map((p) => [ts(p), p.p95Ms]) },
    { name: 'p99', color: COLORS[2], points: pts.map((p) => [ts(p), p.p99Ms]) },
    { name: 'avg', color: COLORS[0], points: pts.map((p) => [ts(p), p.avgMs]) },
  ];
}
export function countSeries(pts) {
  return [
    { name: 'successful', color: COLORS[0], points: pts.map((p) => [ts(p), p.count - p.errors]) },
    { name: 'errors', color: '#d64545', points: pts.map((p) => [ts(p), p.errors]) },
  ];
}

export async function loadTraffic() {
  const view = state.view;
  const pts = await fetchTraffic(view);
  subtitle('latency', 'all endpoints, ' + view.per);
  subtitle('throughput', 'requests ' + view.per);
  if (!pts.length) {
    panel('latency', '<p class="empty">No requests in this range.</p>', 'empty');
    panel('throughput', '<p class="empty">No requests in this range.</p>', 'empty');
    return;
  }
  panel('latency', chart(latencySeries(pts), chartOpts({ yFmt: fmtMs, label: 'latency percentiles' })));
  panel('throughput', chart(countSeries(pts), chartOpts({ bars: true, stacked: true, label: 'requests per bucket' })));
}

// ---------------------------------------------------------------------------------------
// resources and pools

const Q_RES = `query Res(` + RANGE_PARAMS + `, $svc: String, $iv: String) { resourceUtilization(` + RANGE_ARGS + `, service: $svc, interval: $iv) {
  timestamp cpuUsagePercent maxCpuUsagePercent memoryUsedMB maxMemoryUsedMB memoryTotalMB heapUsedMB heapTotalMB eventLoopLagMs activeConnections instances } }`;

export async function loadResources() {
  const pts = (await gql(Q_RES, { ...rangeVars(), svc: svcVar(), iv: state.view.iv })).resourceUtilization;
  subtitle('resources', state.view.per);
  if (!pts.length) { panel('resources', '<p class="empty">No resource metrics in this range.</p>', 'empty'); return; }
  const m = (f) => pts.map((p) => [ts(p), p[f]]);
  const last = pts[pts.length - 1];
  const o = (x) => chartOpts({ width: 330, height: 150, ...x });
  let h = '<div class="muted small">' + fmtNum(last.instances) + ' instance(s) in the last bucket</div><div class="charts2">';
  h += '<div><div class="sub">CPU</div>' + chart([{ name: 'avg %', color: COLORS[0], points: m('cpuUsagePercent') }, { name: 'max %', color: COLORS[2], points: m('maxCpuUsagePercent') }], o({ yFmt: (v) => v.toFixed(0) + '%', yMax: 100, label: 'CPU' })) + '</div>';
  h += '<div><div class="sub">Memory</div>' + chart([{ name: 'used (avg/instance)', color: COLORS[0], points: m('memoryUsedMB') }, { name: 'heap used', color: COLORS[3], points: m('heapUsedMB') }], o({ yFmt: fmtMB, label: 'memory' })) + '</div>';
  h += '<div><div class="sub">Event-loop lag</div>' + chart([{ name: 'lag', color: COLORS[1], points: m('eventLoopLagMs') }], o({ yFmt: fmtMs, label: 'event loop lag' })) + '</div>';
  h += '<div><div class="sub">Active DB connections</div>' + chart([{ name: 'active', color: COLORS[4], points: m('activeConnections') }], o({ label: 'active connections' })) + '</div>';
  h += '</div>';
  panel('resources', h);
}

const Q_POOL = `query Pool(` + RANGE_PARAMS + `, $svc: String, $iv: String) { databasePoolMetrics(` + RANGE_ARGS + `, service: $svc, interval: $iv) {
  currentConnections idleConnections maxConnections pendingRequests utilizationPercent avgUtilizationPercent peakUtilizationPercent avgWaitTimeMs maxWaitTimeMs
  pools { service instance poolName avgUsed maxUsed avgIdle maxConnections avgUtilizationPercent peakUtilizationPercent maxPendingRequests avgWaitTimeMs }
  utilizationHistory { timestamp utilizationPercent activeConnections idleConnections pendingRequests waitTimeMs } } }`;

export async function loadPool() {
  const p = (await gql(Q_POOL, { ...rangeVars(), svc: svcVar(), iv: state.view.iv })).databasePoolMetrics;
  subtitle('pool', state.view.per);
  if (!p.pools.length && !p.utilizationHistory.length) { panel('pool', '<p class="empty">No connection-pool metrics in this range.</p>', 'empty'); return; }
  // a maximum of 0 is an unknown maximum: no ratio can be shown against it
  const maxKnown = p.maxConnections > 0;
  let h = '<div class="facts">';
  h += '<div><b data-testid="pool-used">' + fmtNum(p.currentConnections) + ' / ' + (maxKnown ? fmtNum(p.maxConnections) : '–') + '</b><span>used / max (latest)</span></div>';
  h += '<div><b data-testid="pool-util">' + (maxKnown ? fmtPct(p.utilizationPercent) : '–') + '</b><span>utilization (latest)</span></div>';
  h += '<div><b>' + fmtPct(p.peakUtilizationPercent) + '</b><span>peak utilization</span></div>';
  h += '<div><b>' + fmtNum(p.pendingRequests) + '</b><span>pending requests</span></div>';
  h += '<div><b>' + fmtMs(p.avgWaitTimeMs) + '</b><span>avg wait</span></div>';
  h += '<div><b>' + fmtMs(p.maxWaitTimeMs) + '</b><span>max wait</span></div>';
  h += '</div>';
  const u = p.utilizationHistory;
  if (u.some((x) => isNum(x.utilizationPercent))) {
    h += chart([{ name: 'utilization %', color: COLORS[2], points: u.map((x) => [ts(x), x.utilizationPercent]) }], chartOpts({ yFmt: (v) => v.toFixed(0) + '%', yMax: 100, height: 140, label: 'pool utilization' }));
  }
  h += '<div class="tablewrap"><table class="compact" data-testid="pools"><thead><tr><th>Pool</th><th class="num">Avg used</th><th class="num">Max</th><th class="num">Util. avg / peak</th><th class="num">Pending</th><th class="num">Avg wait</th></tr></thead><tbody>';
  h += p.pools.map((x) => '<tr><td><div>' + esc(x.poolName) + '</div><div class="muted small">' + esc(x.service) + '</div></td><td class="num">' + fmtNum(x.avgUsed, 1) +
    '</td><td class="num">' + (x.maxConnections > 0 ? fmtNum(x.maxConnections) : '–') + '</td><td class="num">' + fmtPct(x.avgUtilizationPercent, 0) + ' / ' + fmtPct(x.peakUtilizationPercent, 0) +
    '</td><td class="num">' + fmtNum(x.maxPendingRequests) + '</td><td class="num">' + fmtMs(x.avgWaitTimeMs) + '</td></tr>').join('');
  h += '</tbody></table></div>';
  panel('pool', h);
}

// ---------------------------------------------------------------------------------------
// firing alerts of the tenant (perfgraphql.alerting): a banner in #banners, none without any

const Q_ALERTS = `query Alerts { alerts(state: FIRING, timeRange: LAST_24_HOURS, limit: 20) { rule severity summary firedAt } }`;

export async function loadAlerts() {
  let el = document.getElementById('alerts');
  let alerts;
  try {
    alerts = (await gql(Q_ALERTS)).alerts;
  } catch (e) {
    if (el) el.remove(); // an unknown state is no banner; the status line counts the failure
    throw e;
  }
  if (!alerts.length) {
    if (el) el.remove();
    return;
  }
  if (!el) {
    el = document.createElement('div');
    el.id = 'alerts';
    el.className = 'alerts';
    el.setAttribute('role', 'alert');
    el.dataset.testid = 'alerts';
    document.getElementById('banners').prepend(el);
  }
  el.innerHTML = '<b>' + alerts.length + ' firing alert' + (alerts.length > 1 ? 's' : '') + '</b><ul>' +
    alerts.map((a) => '<li data-alert="' + esc(a.rule) + '"><span class="chip sev-' + esc(a.severity) + '">' + esc(a.severity) + '</span> ' +
      esc(a.summary || a.rule) + ' <span class="muted small">since ' + esc(fmtDate(a.firedAt)) + '</span></li>').join('') + '</ul>';
}

// ---------------------------------------------------------------------------------------
// recommendations

export const REC_FIELDS = `id category priority title description impact effort recommendation implementation estimatedSavings affectedEndpoints
  firstDetected lastDetected kind status fingerprints exampleTraceIds figures { name value unit } rule statement
  validation { status message index dbNamespace costBefore costAfter indexUsed }`;
const Q_RECS = `query Recs(` + RANGE_PARAMS + `) { recommendations(` + RANGE_ARGS + `, limit: 50) { ` + REC_FIELDS + ` } }`;

export function loadRecs() {
  const p = (async () => {
    const recs = (await gql(Q_RECS, rangeVars())).recommendations;
    state.recs = new Map(recs.map((r) => [r.id, r]));
    if (!recs.length) {
      panel('recommendations', '<p class="empty">No recommendations for this range. They come from the optimization engine; it has reported none for this tenant and range.</p>', 'empty');
      return;
    }
    const h = '<div class="recs">' + recs.map((r) => '<div class="rec p-' + esc(r.priority) + '" data-rec="' + esc(r.id) + '" tabindex="0"><div class="t">' + badge(r.priority) +
      ' <span>' + esc(r.title) + '</span> <span class="chip">' + esc(r.category) + '</span>' + (r.status === 'NEW' ? ' <span class="chip new">new</span>' : '') + '</div><div class="d">' + esc(r.description) +
      (r.estimatedSavings ? ' · <b>' + esc(r.estimatedSavings) + '</b>' : '') + '</div></div>').join('') + '</div>';
    panel('recommendations', h);
  })();
  state.recsLoaded = p.catch(() => {});
  return p;
}

// ---------------------------------------------------------------------------------------
// statements

const Q_TOP = `query Top(` + RANGE_PARAMS + `, $svc: String) { topQueries(` + RANGE_ARGS + `, service: $svc, orderBy: TOTAL_TIME, limit: 10) {
  queryHash summary normalizedQuery calls errors totalTimeMs meanTimeMs p95TimeMs shareOfDbTime shareScope callsPerRequest endpoints { endpoint service } } }`;

export async function loadTopQueries() {
  const rows = (await gql(Q_TOP, { ...rangeVars(), svc: svcVar() })).topQueries;
  if (!rows.length) { panel('topqueries', '<p class="empty">No statements in this range.</p>', 'empty'); return; }
  let h = '<div class="tablewrap"><table data-testid="top-queries"><thead><tr><th>Statement</th><th class="num">Share of DB time</th><th class="num">Total time</th><th class="num">Calls</th><th class="num">Mean</th><th class="num">p95</th><th class="num">Calls / request</th><th>Top endpoint</th></tr></thead><tbody>';
  h += rows.map((q) => {
    const share = Math.max(0, Math.min(1, q.shareOfDbTime));
    const ep = q.endpoints.find((e) => e.endpoint) || null;
    return '<tr class="click" data-query="' + esc(q.queryHash) + '"><td class="stmt"><div>' + esc(q.summary) + '</div><code class="sql" title="' + esc(q.normalizedQuery) + '">' + esc(q.normalizedQuery) + '</code></td>' +
      '<td class="num"><span class="share"><svg width="60" height="8" aria-hidden="true"><rect width="60" height="8" rx="2" fill="#e3e7ee"/><rect width="' + (60 * share).toFixed(1) + '" height="8" rx="2" fill="#2f6fde"/></svg> ' + fmtRatio(q.shareOfDbTime) + '</span></td>' +
      '<td class="num">' + fmtMs(q.totalTimeMs) + '</td><td class="num">' + fmtNum(q.calls) + '</td><td class="num">' + fmtMs(q.meanTimeMs) + '</td><td class="num">' + fmtMs(q.p95TimeMs) +
      '</td><td class="num">' + (isNum(q.callsPerRequest) ? fmtNum(q.callsPerRequest, 1) : '–') + '</td><td class="ep" title="' + esc(ep ? ep.endpoint : '') + '">' + esc(ep ? ep.endpoint : '–') + '</td></tr>';
  }).join('');
  h += '</tbody></table></div>';
  subtitle('topqueries', 'share of ' + (rows[0].shareScope === 'SERVICE' ? 'the service\'s' : 'all') + ' database time');
  panel('topqueries', h);
}

export const QM = 'id queryHash queryPreview executionTimeMs rowsReturned endpoint service occurrenceCount slowCount errorCount avgExecutionTimeMs p95ExecutionTimeMs maxExecutionTimeMs totalExecutionTimeMs summary normalizedQuery dbSystem';

export function queryTable(rows, withSlow) {
  let h = '<div class="tablewrap"><table><thead><tr><th>Statement</th><th class="num">Count</th>' + (withSlow ? '<th class="num">Slow</th>' : '') +
    '<th class="num">Avg</th><th class="num">p95</th><th class="num">Max</th><th class="num">Total time</th><th>Top endpoint</th><th>Service</th></tr></thead><tbody>';
  h += rows.map((q) => '<tr class="click" data-query="' + esc(q.queryHash) + '"><td class="stmt"><div>' + esc(q.summary) + ' <span class="muted mono small">' + esc(q.queryHash) + '</span></div><code class="sql" title="' + esc(q.normalizedQuery) + '">' + esc(q.normalizedQuery) + '</code></td><td class="num">' + fmtNum(q.occurrenceCount) + '</td>' +
    (withSlow ? '<td class="num">' + fmtNum(q.slowCount) + '</td>' : '') + '<td class="num">' + fmtMs(q.avgExecutionTimeMs) + '</td><td class="num">' + fmtMs(q.p95ExecutionTimeMs) +
    '</td><td class="num">' + fmtMs(q.maxExecutionTimeMs) + '</td><td class="num">' + fmtMs(q.totalExecutionTimeMs) + '</td><td class="ep" title="' + esc(q.endpoint) + '">' + esc(q.endpoint || '–') + '</td><td>' + esc(q.service) + '</td></tr>').join('');
  return h + '</tbody></table></div>';
}

export async function loadSlow() {
  const q = 'query Slow(' + RANGE_PARAMS + ', $th: Int, $svc: String) { slowQueries(' + RANGE_ARGS + ', threshold: $th, service: $svc, limit: 25) { ' + QM + ' } }';
  const rows = (await gql(q, { ...rangeVars(), th: state.threshold, svc: svcVar() })).slowQueries;
  if (!rows.length) { panel('slowqueries', '<p class="empty">No statement ran for ' + fmtMs(state.threshold) + ' or longer in this range.</p>', 'empty'); return; }
  panel('slowqueries', queryTable(rows, true));
}

// ---------------------------------------------------------------------------------------
// endpoints (all of the tenant are read: they also fill the service filter)

export const EP_COLS = [
  ['label', 'Endpoint', false], ['service', 'Service', false], ['totalRequests', 'Requests', true], ['requestsPerSecond', 'Req/s', true],
  ['errorRate', 'Error rate', true], ['avgResponseTimeMs', 'Avg', true], ['p50ResponseTimeMs', 'p50', true], ['p95ResponseTimeMs', 'p95', true],
  ['p99ResponseTimeMs', 'p99', true], ['maxResponseTimeMs', 'Max', true], ['trend', 'Trend', false],
];
function cellEP(e, key) {
  const v = e[key];
  switch (key) {
    case 'label': case 'service': return '<td>' + esc(v) + '</td>';
    case 'trend': return '<td>' + badge(v) + '</td>';
    case 'totalRequests': return '<td class="num">' + fmtNum(v) + '</td>';
    case 'requestsPerSecond': return '<td class="num">' + fmtRate(v) + '</td>';
    case 'errorRate': return '<td class="num' + (v > 0.05 ? ' error' : '') + '">' + fmtRatio(v) + '</td>';
    default: return '<td class="num">' + fmtMs(v) + '</td>';
  }
}
export function renderEndpoints() {
  const rows = state.endpoints.filter((e) => !state.service || e.service === state.service);
  if (!rows.length) { panel('endpoints', '<p class="empty">No endpoints with requests in this range.</p>', 'empty'); return; }
  const { key, dir } = state.sort;
  rows.sort((a, b) => {
    const x = a[key], y = b[key];
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
    return String(x).localeCompare(String(y)) * dir;
  });
  let h = '<div class="tablewrap"><table data-testid="endpoint-table"><thead><tr>' + EP_COLS.map(([k, l, num]) =>
    '<th class="sortable' + (num ? ' num' : '') + (k === key ? (dir > 0 ? ' sorted-asc' : ' sorted-desc') : '') + '" data-sort="' + k + '">' + esc(l) + '</th>').join('') + '</tr></thead><tbody>';
  h += rows.map((e) => '<tr class="click" data-endpoint="' + esc(e.label) + '" data-service="' + esc(e.service) + '">' + EP_COLS.map(([k]) => cellEP(e, k)).join('') + '</tr>').join('');
  panel('endpoints', h + '</tbody></table></div>');
}

export const EM = 'endpoint label method route service spanKind totalRequests successfulRequests failedRequests clientErrors serverErrors errorRate requestsPerSecond avgResponseTimeMs p50ResponseTimeMs p95ResponseTimeMs p99ResponseTimeMs maxResponseTimeMs avgRequestSizeBytes avgResponseSizeBytes trend';

export async function loadEndpoints() {
  const rows = (await gql('query Eps(' + RANGE_PARAMS + ') { endpointMetrics(' + RANGE_ARGS + ', limit: 200) { ' + EM + ' } }', rangeVars())).endpointMetrics;
  state.endpoints = rows;
  fillServices([...new Set(rows.map((e) => e.service))].sort());
  renderEndpoints();
}

function fillServices(names) {
  const sel = document.getElementById('service');
  if (state.service && !names.includes(state.service)) names = [state.service, ...names];
  const want = ['', ...names].join('\u0000');
  if (sel.dataset.options !== want) {
    sel.innerHTML = '<option value="">All services</option>' + names.map((n) => '<option value="' + esc(n) + '">' + esc(n) + '</option>').join('');
    sel.dataset.options = want;
  }
  sel.value = state.service;
}

