// otelcol-perf dashboard: a statement's plans and database-side statistics in the query
// drawer. app.js asks queryDetail for perfPlan.fields and appends perfPlan.render(detail).
// Plans come redacted from the API (constants are ?); this file only draws them.
'use strict';

(function () {
  function esc(v) {
    return String(v == null ? '' : v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  const isNum = (v) => typeof v === 'number' && isFinite(v);
  const num = (v, d) => (isNum(v) ? v.toLocaleString('en-US', { maximumFractionDigits: d == null ? 0 : d }) : '–');
  const ms = (v) => (isNum(v) ? (v >= 1000 ? (v / 1000).toFixed(2) + ' s' : v >= 10 ? v.toFixed(0) + ' ms' : v.toFixed(2) + ' ms') : '–');

  // a node's own share: actual time (per loop × loops) or, for an estimate, cost, less its children's
  function inclusive(n, actual) {
    if (actual) return isNum(n['Actual Total Time']) ? n['Actual Total Time'] * (n['Actual Loops'] || 1) : 0;
    return isNum(n['Total Cost']) ? n['Total Cost'] : 0;
  }
  function exclusive(n, actual) {
    const kids = n.Plans || [];
    return Math.max(0, inclusive(n, actual) - kids.reduce((s, k) => s + inclusive(k, actual), 0));
  }
  function describe(n) {
    let s = n['Node Type'] || '?';
    if (n['Join Type']) s += ' (' + n['Join Type'] + ')';
    if (n['Strategy'] && n['Strategy'] !== 'Plain') s += ' (' + n['Strategy'] + ')';
    if (n['Index Name']) s += ' using ' + n['Index Name'];
    if (n['Relation Name']) s += ' on ' + (n.Schema ? n.Schema + '.' : '') + n['Relation Name'];
    return s;
  }
  // the node that costs the most on its own: where the time (or the estimate) goes
  function hottest(root, actual) {
    let best = null, bestV = -1;
    (function walk(n) {
      const v = exclusive(n, actual);
      if (v > bestV) { best = n; bestV = v; }
      (n.Plans || []).forEach(walk);
    })(root);
    return best;
  }
  const CONDS = ['Index Cond', 'Hash Cond', 'Merge Cond', 'Join Filter', 'Recheck Cond', 'Filter'];
  function nodeHTML(n, actual, hot) {
    const figs = [];
    if (isNum(n['Total Cost'])) figs.push('cost ' + num(n['Total Cost'], 1));
    if (isNum(n['Plan Rows'])) figs.push('est. rows ' + num(n['Plan Rows']));
    if (actual && isNum(n['Actual Total Time'])) {
      const loops = n['Actual Loops'] || 1;
      figs.push('actual ' + ms(n['Actual Total Time'] * loops) + (loops > 1 ? ' (' + num(loops) + ' loops)' : ''));
      figs.push('rows ' + num((n['Actual Rows'] || 0) * loops));
    }
    if (isNum(n['Rows Removed by Filter'])) figs.push('removed by filter ' + num(n['Rows Removed by Filter'] * (n['Actual Loops'] || 1)));
    if (isNum(n['Shared Read Blocks'])) figs.push('blocks read ' + num(n['Shared Read Blocks']));
    if (n['Sort Space Type'] === 'Disk') figs.push('sort on disk ' + num(n['Sort Space Used']) + ' kB');
    let h = '<li' + (n === hot ? ' class="plan-hot" data-testid="plan-hot"' : '') + '><span class="plan-node">' + esc(describe(n)) + '</span> <span class="muted">' + esc(figs.join(' · ')) + '</span>';
    CONDS.forEach((k) => { if (n[k]) h += '<div class="plan-cond">' + esc(k) + ': <code>' + esc(n[k]) + '</code></div>'; });
    if (n.Plans && n.Plans.length) h += '<ul>' + n.Plans.map((k) => nodeHTML(k, actual, hot)).join('') + '</ul>';
    return h + '</li>';
  }
  function tree(p) {
    let doc;
    try { doc = JSON.parse(p.json); } catch (_) { return '<pre>' + esc(p.text) + '</pre>'; }
    if (!doc || !doc.Plan) return '<pre>' + esc(p.text) + '</pre>';
    const actual = p.source === 'actual';
    return '<ul class="plan-tree" data-testid="plan-tree">' + nodeHTML(doc.Plan, actual, hottest(doc.Plan, actual)) + '</ul>';
  }

  function serverTable(d) {
    const rows = d.serverStats || [];
    if (!rows.length) return '<p class="muted">No pg_stat_statements figures for this statement (no monitored database ran it in the range).</p>';
    return '<table data-testid="server-stats"><thead><tr><th>Side</th><th class="num">Executions</th><th class="num">Mean</th><th class="num">Rows / exec.</th>' +
      '<th class="num">Blocks read / exec.</th><th class="num">Cache hit</th><th class="num">Temp blocks</th></tr></thead><tbody>' +
      '<tr><td>client spans</td><td class="num">' + num(d.totalCalls) + '</td><td class="num">' + ms(d.avgExecutionTimeMs) + '</td><td class="num">' +
      (isNum(d.avgRowsReturned) ? num(d.avgRowsReturned, 1) : '–') + '</td><td class="num">–</td><td class="num">–</td><td class="num">–</td></tr>' +
      rows.map((s) => '<tr><td>server · ' + esc(s.dbNamespace) + '</td><td class="num">' + num(s.calls) + '</td><td class="num">' + ms(s.meanTimeMs) +
        '</td><td class="num">' + (s.calls ? num(s.rows / s.calls, 1) : '–') + '</td><td class="num">' + (s.calls ? num(s.sharedBlksRead / s.calls, 1) : '–') +
        '</td><td class="num">' + (isNum(s.cacheHitRatio) ? (100 * s.cacheHitRatio).toFixed(1) + ' %' : '–') + '</td><td class="num">' + num(s.tempBlksWritten) + '</td></tr>').join('') +
      '</tbody></table>';
  }

  function render(d) {
    let h = '<div class="sub">Database side</div>' + serverTable(d);
    const plans = d.plans || [];
    h += '<div class="sub">Plans</div>';
    if (!plans.length) return h + '<p class="muted">No plan of this statement in the range (generic plans of the top statements, auto_explain for slow executions).</p>';
    plans.filter((p) => p.current).forEach((p) => {
      h += '<div class="plan" data-testid="plan"><div class="muted">' + esc(p.dbNamespace) + ' · ' + esc(p.source) + ' plan ' + esc(p.planHash) + ' · seen ' + num(p.timesSeen) +
        (isNum(p.execMeanMs) ? ' · mean ' + ms(p.execMeanMs) : '') + '</div>' + tree(p) + '</div>';
    });
    const older = plans.filter((p) => !p.current);
    if (older.length) {
      h += '<table data-testid="plan-history"><thead><tr><th>Database</th><th>Source</th><th>Plan</th><th>Top node</th><th>Last seen</th><th class="num">Seen</th><th class="num">Mean</th></tr></thead><tbody>' +
        older.map((p) => '<tr><td>' + esc(p.dbNamespace) + '</td><td>' + esc(p.source) + '</td><td>' + esc(p.planHash) + '</td><td>' + esc(p.topNode) + '</td><td>' +
          esc(new Date(p.lastSeen).toLocaleString('en-GB', { hour12: false })) + '</td><td class="num">' + num(p.timesSeen) + '</td><td class="num">' + ms(p.execMeanMs) + '</td></tr>').join('') +
        '</tbody></table>';
    }
    return h;
  }

  window.perfPlan = {
    fields: 'serverStats { dbNamespace calls meanTimeMs rows sharedBlksRead cacheHitRatio tempBlksWritten } ' +
      'plans { dbNamespace source planHash current lastSeen timesSeen topNode execMeanMs text json }',
    render,
    hottest,
  };
})();
