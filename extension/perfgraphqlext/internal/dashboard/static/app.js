// otelcol-perf dashboard. Everything on the page comes from the GraphQL API at ./graphql;
// charts are inline SVG (charts.js). No third-party code, nothing fetched from elsewhere.
//
// The URL holds what a shared link must reproduce: ?range=&service= and, in the hash, the
// open item (#rec=<id>, #query=<fingerprint>, #endpoint=<METHOD route>\0<service>).

import { esc } from './format.js';
import { state, gql, $, AuthError, RANGE_MS, DEFAULTS, CHOICES, panelError } from './core.js';
import {
  resolveView, loadAlerts, loadOverview, loadTraffic, loadResources, loadPool, loadRecs, loadTopQueries, loadSlow, loadEndpoints, renderEndpoints, EP_COLS,
} from './panels.js';
import { openDrawer, showQuery, showEndpoint, showRec } from './detail.js';

// read by the browser test and handy when debugging
window.perfDashboard = { loads: 0, firstLoadMs: null, lastLoadMs: null, lastError: null, panelMs: {} };

// ---------------------------------------------------------------------------------------
// URL state

function readURL() {
  const q = new URLSearchParams(location.search);
  const r = q.get('range');
  state.range = r && r in RANGE_MS ? r : DEFAULTS.range;
  state.service = q.get('service') || '';
  const th = Number(q.get('threshold'));
  state.threshold = th > 0 ? th : DEFAULTS.threshold;
}
function writeURL() {
  const q = new URLSearchParams();
  if (state.range !== DEFAULTS.range) q.set('range', state.range);
  if (state.service) q.set('service', state.service);
  if (state.threshold !== DEFAULTS.threshold) q.set('threshold', String(state.threshold));
  const s = q.toString();
  history.replaceState(null, '', location.pathname + (s ? '?' + s : '') + location.hash);
}

// ---------------------------------------------------------------------------------------
// who: the tenant the page is for, and sign-in (also offered when anonymous access works)

async function loadViewer() {
  state.viewer = (await gql('{ viewer { tenant anonymous traceUrlTemplate } }')).viewer;
  const v = state.viewer;
  $('#tenant').innerHTML = 'tenant <b data-testid="tenant-name">' + esc(v.tenant) + '</b>' + (v.anonymous ? ' <span class="chip anon">anonymous</span>' : '');
  $('#signin').hidden = !!state.token;
  $('#signout').hidden = !state.token;
}

function showLogin(message, optional) {
  const e = $('#login-error');
  e.hidden = !message;
  e.textContent = message ? 'The server refused the token: ' + message : '';
  $('#login-cancel').hidden = !optional;
  $('#login-why').textContent = optional
    ? 'Without a token this page shows the anonymous tenant. Sign in with a token (tenants.tokens in the perfgraphql configuration) to see your tenant.'
    : 'This collector requires a bearer token (tenants.tokens in the perfgraphql configuration).';
  $('#login').hidden = false;
  $('#token').focus();
}
$('#login-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const token = $('#token').value.trim();
  if (!token) return;
  state.token = token;
  sessionStorage.setItem('perf.token', token);
  $('#login').hidden = true;
  $('#token').value = '';
  refreshAll();
  startLive();
});
$('#login-cancel').addEventListener('click', () => { $('#login').hidden = true; });
$('#signin').addEventListener('click', () => showLogin('', state.viewer && state.viewer.anonymous));
$('#signout').addEventListener('click', () => {
  sessionStorage.removeItem('perf.token');
  state.token = '';
  refreshAll();
  startLive();
});

// ---------------------------------------------------------------------------------------
// refresh loop: the window first (every chart uses it), then every panel at once

function setStatus(text, isError) {
  const s = $('#status');
  s.textContent = text;
  s.classList.toggle('error', !!isError);
}

function guarded(ids, fn) {
  const t0 = performance.now();
  return fn().then(() => { window.perfDashboard.panelMs[ids[0]] = Math.round(performance.now() - t0); },
    (err) => { ids.forEach((id) => panelError(id, err)); throw err; });
}

export const PANELS = [
  [['health', 'kpis'], loadOverview],
  [['latency', 'throughput'], loadTraffic],
  [['resources'], loadResources],
  [['pool'], loadPool],
  [['recommendations'], loadRecs],
  [['topqueries'], loadTopQueries],
  [['slowqueries'], loadSlow],
  [['endpoints'], loadEndpoints],
  [['alerts'], loadAlerts],
];
const ALL = PANELS.flatMap((p) => p[0]);

let busy = false, timer = null;
async function refreshAll() {
  if (busy) return;
  busy = true;
  clearTimeout(timer);
  const t0 = performance.now();
  setStatus('loading…');
  let results;
  try {
    await loadViewer();
    await resolveView();
    results = await Promise.allSettled(PANELS.map(([ids, fn]) => guarded(ids, fn)));
  } catch (err) {
    ALL.forEach((id) => panelError(id, err));
    results = [{ status: 'rejected', reason: err }];
  }
  busy = false;
  const errs = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
  const pd = window.perfDashboard;
  const auth = errs.find((e) => e instanceof AuthError);
  if (auth) {
    $('#tenant').textContent = 'not signed in';
    $('#signin').hidden = false;
    setStatus('sign-in required', true);
    showLogin(state.token ? auth.message : '', false);
    return;
  }
  const took = performance.now() - t0;
  pd.loads++;
  pd.lastLoadMs = took;
  if (pd.firstLoadMs == null) pd.firstLoadMs = performance.now();
  pd.lastError = errs.length ? String(errs[0] && errs[0].message) : null;
  document.body.dataset.loads = String(pd.loads);
  if (location.hash && $('#drawer').hidden) route(); // a linked item that needed a sign-in
  setStatus((errs.length ? errs.length + ' panel(s) failed · ' : '') + 'updated ' + new Date().toLocaleTimeString('en-GB', { hour12: false }) + (state.paused ? ' · paused' : ''), errs.length > 0);
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (!state.paused && !state.live) timer = setTimeout(refreshAll, state.interval * 1000);
}

// live updates: when live.js (window.perfLive, a graphql-transport-ws client) is loaded, the
// server pushes changes and the page re-reads; while the socket is down it polls. Without
// live.js this does nothing.
let live = null, pushTimer = null;
function startLive() {
  if (live) live.close();
  live = null;
  if (!window.perfLive) return;
  const onPush = () => {
    if (state.paused) return;
    clearTimeout(pushTimer); // the pushes of one refresh come together: one re-read
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
// detail drawer, from the hash

function closeDrawer() {
  $('#drawer').hidden = true;
  $('#drawer').dataset.kind = '';
  if (location.hash) history.pushState(null, '', location.pathname + location.search);
}
$('#drawer-close').addEventListener('click', closeDrawer);
$('#drawer').addEventListener('click', (ev) => { if (ev.target.id === 'drawer') closeDrawer(); });
document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && !$('#drawer').hidden) closeDrawer(); });

async function route() {
  const h = location.hash.replace(/^#/, '');
  const i = h.indexOf('=');
  if (i < 0) { $('#drawer').hidden = true; return; }
  const kind = h.slice(0, i), arg = decodeURIComponent(h.slice(i + 1));
  try {
    if (!state.view) await resolveView();
    if (kind === 'query') await showQuery(arg);
    else if (kind === 'endpoint') { const [ep, svc] = arg.split('\u0000'); await showEndpoint(ep, svc); }
    else if (kind === 'rec') await showRec(arg);
  } catch (e) {
    if (e instanceof AuthError) { $('#drawer').hidden = true; return; } // the refresh loop asks for a token
    openDrawer('Could not load', '<p class="error">' + esc(e && e.message) + '</p>', 'error');
  }
}
window.addEventListener('hashchange', route);
const go = (kind, arg) => { location.hash = kind + '=' + encodeURIComponent(arg); };

// clicks anywhere: table rows, links, recommendations, sortable headers
document.addEventListener('click', (ev) => {
  const t = ev.target;
  if (t.closest('a[href^="http"]')) return; // trace links open the trace viewer
  const sc = t.closest('[data-scroll]');
  if (sc) { ev.preventDefault(); document.getElementById(sc.dataset.scroll).scrollIntoView({ behavior: 'smooth' }); return; }
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
  if (r) go('rec', r.dataset.rec);
});
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && ev.target.dataset && ev.target.dataset.rec) go('rec', ev.target.dataset.rec);
});

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
// controls

readURL();
for (const [id, choices] of Object.entries(CHOICES)) {
  $('#' + id).innerHTML = choices.map(([v, label]) => '<option value="' + v + '">' + esc(label) + '</option>').join('');
}
$('#range').value = state.range;
$('#threshold').value = String(state.threshold);
$('#interval').value = String(state.interval);
$('#service').innerHTML = '<option value="">All services</option>' + (state.service ? '<option value="' + esc(state.service) + '">' + esc(state.service) + '</option>' : '');
$('#service').value = state.service;
function changed() {
  writeURL();
  refreshAll().then(() => { if (!$('#drawer').hidden) route(); });
}
$('#range').addEventListener('change', (ev) => { state.range = ev.target.value; changed(); startLive(); });
$('#service').addEventListener('change', (ev) => { state.service = ev.target.value; changed(); });
$('#threshold').addEventListener('change', (ev) => {
  state.threshold = Number(ev.target.value);
  writeURL();
  guarded(['slowqueries'], loadSlow).catch(() => {});
});
$('#interval').addEventListener('change', (ev) => { state.interval = Number(ev.target.value); schedule(); });
$('#pause').addEventListener('click', (ev) => {
  state.paused = !state.paused;
  ev.target.setAttribute('aria-pressed', String(state.paused));
  ev.target.textContent = state.paused ? 'Resume' : 'Pause';
  if (state.paused) { clearTimeout(timer); setStatus($('#status').textContent.replace(/ · paused$/, '') + ' · paused'); } else refreshAll();
});
$('#refresh').addEventListener('click', () => refreshAll());
window.addEventListener('popstate', () => { readURL(); $('#range').value = state.range; $('#service').value = state.service; });

// the panel loaders, for code that updates one panel (e.g. pushed data)
window.perfDashboard.reload = (name) => { const p = PANELS.find(([ids]) => ids.includes(name)); return p ? guarded(p[0], p[1]) : Promise.resolve(); };

refreshAll();
startLive();
route();
