// The detail drawer: a statement, an endpoint or a recommendation, opened from the URL's
// hash (#query=<fingerprint>, #endpoint=<METHOD route>\0<service>, #rec=<id>).

import { esc, isNum, fmtMs, fmtNum, fmtRate, fmtRatio, fmtDate, badge, fmtFigure, humanize } from './format.js';
import { chart } from './charts.js';
import { state, gql, $, rangeVars, RANGE_PARAMS, RANGE_ARGS, traceLink } from './core.js';
import { TP, QM, EM, latencySeries, countSeries, queryTable, loadRecs } from './panels.js';

export function openDrawer(title, html, kind) {
  $('#drawer-title').textContent = title;
  $('#drawer-body').innerHTML = html;
  $('#drawer').hidden = false;
  $('#drawer').dataset.kind = kind;
}

const fact = (label, value) => '<div><b>' + value + '</b><span>' + esc(label) + '</span></div>';
const detailOpts = (o) => ({ from: state.view.from, to: state.view.to, step: state.view.step, width: 440, height: 190, ...o });

export async function showQuery(fp) {
  openDrawer('Query ' + fp, '<p class="empty">Loading…</p>', 'query');
  const q = `query QD($fp: String!, ` + RANGE_PARAMS + `, $iv: String) { queryDetail(fingerprint: $fp, ` + RANGE_ARGS + `, interval: $iv) {
    queryHash summary operation collection dbSystem normalizedQuery firstSeen lastSeen totalCalls errorCount avgExecutionTimeMs p50ExecutionTimeMs
    p95ExecutionTimeMs p99ExecutionTimeMs maxExecutionTimeMs totalExecutionTimeMs avgRowsReturned
    endpoints { endpoint service count totalTimeMs } timeSeries { ` + TP + ` } ` + (window.perfPlan ? window.perfPlan.fields : '') + ` } }`;
  const d = (await gql(q, { fp, ...rangeVars(), iv: state.view.iv })).queryDetail;
  if (!d) { openDrawer('Query ' + fp, '<p class="empty">This tenant has no executions of this statement shape in the range.</p>', 'query'); return; }
  let h = '<dl class="kv"><dt>Summary</dt><dd>' + esc(d.summary) + '</dd><dt>Operation / collection</dt><dd>' + esc(d.operation || '–') + ' / ' + esc(d.collection || '–') +
    '</dd><dt>Database system</dt><dd>' + esc(d.dbSystem) + '</dd><dt>First / last seen</dt><dd>' + esc(fmtDate(d.firstSeen)) + ' / ' + esc(fmtDate(d.lastSeen)) + '</dd></dl>';
  h += '<div class="sub">Normalized statement</div><pre data-testid="query-text">' + esc(d.normalizedQuery) + '</pre>';
  h += '<div class="facts">' + fact('calls', fmtNum(d.totalCalls)) + fact('errors', fmtNum(d.errorCount)) + fact('avg', fmtMs(d.avgExecutionTimeMs)) + fact('p50', fmtMs(d.p50ExecutionTimeMs)) +
    fact('p95', fmtMs(d.p95ExecutionTimeMs)) + fact('p99', fmtMs(d.p99ExecutionTimeMs)) + fact('max', fmtMs(d.maxExecutionTimeMs)) + fact('total time', fmtMs(d.totalExecutionTimeMs)) +
    fact('avg rows', isNum(d.avgRowsReturned) ? fmtNum(d.avgRowsReturned, 1) : 'not reported') + '</div>';
  if (d.timeSeries.length) {
    h += '<div class="charts2"><div><div class="sub">Latency</div>' + chart(latencySeries(d.timeSeries), detailOpts({ yFmt: fmtMs })) + '</div>';
    h += '<div><div class="sub">Executions ' + esc(state.view.per) + '</div>' + chart(countSeries(d.timeSeries), detailOpts({ bars: true, stacked: true })) + '</div></div>';
  }
  h += '<div class="sub">Endpoints issuing it</div>';
  h += d.endpoints.length ? '<table><thead><tr><th>Endpoint</th><th>Service</th><th class="num">Executions</th><th class="num">Total time</th></tr></thead><tbody>' + d.endpoints.map((e) =>
    '<tr class="click" data-endpoint="' + esc(e.endpoint) + '" data-service="' + esc(e.service) + '"><td>' + esc(e.endpoint || '(no request)') + '</td><td>' + esc(e.service) + '</td><td class="num">' + fmtNum(e.count) + '</td><td class="num">' + fmtMs(e.totalTimeMs) + '</td></tr>').join('') + '</tbody></table>'
    : '<p class="muted">Not attributed to any endpoint.</p>';
  // plan.js (window.perfPlan): database-side figures and the current plan as a tree
  if (window.perfPlan) h += window.perfPlan.render(d);
  openDrawer('Query ' + d.queryHash + ' · ' + d.summary, h, 'query');
}

export async function showEndpoint(name, service) {
  openDrawer('Endpoint ' + name, '<p class="empty">Loading…</p>', 'endpoint');
  const q = 'query ED($ep: String!, $svc: String, ' + RANGE_PARAMS + ', $iv: String) { endpointDetail(endpoint: $ep, service: $svc, ' + RANGE_ARGS + ', interval: $iv) { metric { ' + EM + ' } topQueries { ' + QM + ' } timeSeries { ' + TP + ' } } }';
  const d = (await gql(q, { ep: name, svc: service || null, ...rangeVars(), iv: state.view.iv })).endpointDetail;
  if (!d) { openDrawer('Endpoint ' + name, '<p class="empty">This tenant has no such endpoint.</p>', 'endpoint'); return; }
  const m = d.metric;
  let h = '<dl class="kv"><dt>Service</dt><dd>' + esc(m.service) + '</dd><dt>Method / route</dt><dd>' + esc(m.method || '–') + ' ' + esc(m.route) + '</dd><dt>Kind</dt><dd>' + esc(m.spanKind) + '</dd><dt>Trend</dt><dd>' + badge(m.trend) + '</dd></dl>';
  h += '<div class="facts">' + fact('requests', fmtNum(m.totalRequests)) + fact('req/s', fmtRate(m.requestsPerSecond)) + fact('error rate', fmtRatio(m.errorRate)) +
    fact('4xx / 5xx', fmtNum(m.clientErrors) + ' / ' + fmtNum(m.serverErrors)) + fact('avg', fmtMs(m.avgResponseTimeMs)) + fact('p50', fmtMs(m.p50ResponseTimeMs)) +
    fact('p95', fmtMs(m.p95ResponseTimeMs)) + fact('p99', fmtMs(m.p99ResponseTimeMs)) + fact('max', fmtMs(m.maxResponseTimeMs)) + '</div>';
  if (d.timeSeries.length) {
    h += '<div class="charts2"><div><div class="sub">Latency</div>' + chart(latencySeries(d.timeSeries), detailOpts({ yFmt: fmtMs })) + '</div>';
    h += '<div><div class="sub">Requests ' + esc(state.view.per) + '</div>' + chart(countSeries(d.timeSeries), detailOpts({ bars: true, stacked: true })) + '</div></div>';
  }
  h += '<div class="sub">Statements issued under this endpoint (by total time)</div>' + (d.topQueries.length ? queryTable(d.topQueries, false) : '<p class="muted">None recorded.</p>');
  openDrawer('Endpoint ' + m.label, h, 'endpoint');
}

// ---------------------------------------------------------------------------------------
// recommendations: the evidence as tables, the N+1 loop of an example trace as a waterfall

const Q_SPANS = `query Spans($trace: String!, ` + RANGE_PARAMS + `) { traceDbSpans(traceId: $trace, ` + RANGE_ARGS + `) {
  truncated request { label service startOffsetMs durationMs }
  spans { queryHash summary startOffsetMs durationMs isError } } }`;

function waterfall(t, fps) {
  const spans = t.spans;
  if (!spans.length) return '<p class="muted">No database spans of this trace in the range.</p>';
  const end = Math.max(t.request ? t.request.durationMs : 0, ...spans.map((s) => s.startOffsetMs + s.durationMs));
  const W = 600, rowH = 9, L = 0, H = spans.length * rowH + 18;
  const X = (ms) => L + (end > 0 ? (ms / end) * (W - L) : 0);
  let out = '<svg class="chart waterfall" viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="database spans of the trace" data-testid="waterfall">';
  if (t.request) out += '<rect x="' + X(0) + '" y="0" width="' + Math.max(1, X(t.request.durationMs) - X(0)).toFixed(1) + '" height="4" fill="#9ca3af" data-tip="' + esc(t.request.label + ': ' + fmtMs(t.request.durationMs)) + '"/>';
  spans.forEach((s, i) => {
    const inLoop = fps.includes(s.queryHash);
    out += '<rect class="mark" x="' + X(s.startOffsetMs).toFixed(1) + '" y="' + (8 + i * rowH) + '" width="' + Math.max(1, X(s.startOffsetMs + s.durationMs) - X(s.startOffsetMs)).toFixed(1) + '" height="' + (rowH - 2) +
      '" fill="' + (s.isError ? '#d64545' : inLoop ? '#e07b00' : '#2f6fde') + '" data-tip="' + esc(s.summary + ' (' + s.queryHash + ')\n+' + fmtMs(s.startOffsetMs) + ', ' + fmtMs(s.durationMs)) + '"/>';
  });
  out += '</svg>';
  const loop = spans.filter((s) => fps.includes(s.queryHash));
  return '<div class="muted small">' + fmtNum(spans.length) + ' database span(s)' + (t.truncated ? ' (the first ones only)' : '') + '; ' + fmtNum(loop.length) +
    ' of the statement in question (orange), ' + fmtMs(loop.reduce((a, s) => a + s.durationMs, 0)) + ' in total; the grey bar is the request (' + (t.request ? esc(t.request.label) + ', ' + fmtMs(t.request.durationMs) : 'not stored') + ').</div>' + out;
}

async function loadWaterfall(r) {
  const el = document.getElementById('waterfall');
  if (!el) return;
  const trace = r.exampleTraceIds[0];
  try {
    const t = (await gql(Q_SPANS, { trace, ...rangeVars() })).traceDbSpans;
    el.innerHTML = '<div class="muted small">Trace ' + traceLink(trace) + '</div>' + waterfall(t, r.fingerprints);
  } catch (e) {
    el.innerHTML = '<p class="error">Could not load the trace: ' + esc(e && e.message) + '</p>';
  }
}

export async function showRec(id) {
  openDrawer('Recommendation', '<p class="empty">Loading…</p>', 'rec');
  // opened from a link on page load: the recommendations may not be loaded yet
  if (!state.recs.has(id)) await (state.recsLoaded || loadRecs().catch(() => {}));
  const r = state.recs.get(id);
  if (!r) { openDrawer('Recommendation', '<p class="empty">This recommendation is not in the current range.</p>', 'rec'); return; }
  let h = '<div>' + badge(r.priority) + ' <span class="chip">' + esc(r.category) + '</span> <span class="chip">' + esc(r.status) + '</span> <span class="muted small">first detected ' + esc(fmtDate(r.firstDetected)) + ' · last ' + esc(fmtDate(r.lastDetected)) + '</span></div>';
  h += '<dl class="kv"><dt>Description</dt><dd>' + esc(r.description) + '</dd><dt>Impact</dt><dd>' + esc(r.impact) + '</dd><dt>Effort</dt><dd>' + esc(r.effort) +
    '</dd><dt>Estimated savings</dt><dd>' + esc(r.estimatedSavings || '–') + '</dd><dt>Recommendation</dt><dd>' + esc(r.recommendation) + '</dd></dl>';
  if (r.implementation) h += '<div class="sub">Implementation</div><pre>' + esc(r.implementation) + '</pre>';
  h += '<div class="sub">Affected endpoints</div><div class="chips">' + (r.affectedEndpoints.length ? r.affectedEndpoints.map((e) => '<a class="link chip" data-endpoint="' + esc(e) + '">' + esc(e) + '</a>').join('') : '<span class="muted">none</span>') + '</div>';
  h += '<div class="sub">Evidence</div>';
  h += '<table class="evidence" data-testid="evidence"><thead><tr><th>Figure</th><th class="num">Value</th></tr></thead><tbody>' +
    r.figures.map((f) => '<tr><td>' + esc(humanize(f.name)) + '</td><td class="num">' + esc(fmtFigure(f.value, f.unit)) + '</td></tr>').join('') + '</tbody></table>';
  if (r.rule) h += '<div class="muted small">Rule: ' + esc(r.rule) + '</div>';
  if (r.statement) h += '<div class="sub">Statement</div><pre>' + esc(r.statement) + '</pre>';
  if (r.fingerprints.length) h += '<div class="sub">Fingerprints</div><div class="chips">' + r.fingerprints.map((f) => '<a class="link chip mono" data-query="' + esc(f) + '">' + esc(f) + '</a>').join('') + '</div>';
  h += '<div class="sub">Example traces</div><div class="chips" data-testid="trace-ids">' + (r.exampleTraceIds.length ? r.exampleTraceIds.map(traceLink).join('') : '<span class="muted">none in the evidence</span>') + '</div>';
  const v = r.validation;
  if (v) {
    h += '<div class="sub">Index check (HypoPG)</div><table class="evidence"><tbody><tr><td>Status</td><td>' + esc(v.status) + '</td></tr>' + (v.index ? '<tr><td>Index</td><td class="mono">' + esc(v.index) + '</td></tr>' : '') +
      (isNum(v.costBefore) ? '<tr><td>Plan cost before / after</td><td>' + fmtNum(v.costBefore) + ' / ' + fmtNum(v.costAfter) + '</td></tr>' : '') + '<tr><td>Message</td><td>' + esc(v.message) + '</td></tr></tbody></table>';
  }
  const loop = r.kind === 'N_PLUS_ONE' && r.exampleTraceIds.length > 0;
  if (loop) h += '<div class="sub">The loop in an example trace</div><div id="waterfall"><p class="muted">Loading…</p></div>';
  openDrawer(r.title, h, 'rec');
  if (loop) await loadWaterfall(r);
}
