// Shared state of the page, the GraphQL client, the window the charts show, and the panel
// helpers. Every panel has one load function (panels.js) that reads state and fills its
// card, so anything (the refresh loop, a control, a pushed update) can call it alone.

import { esc } from './format.js';

export const MIN = 60e3, HOUR = 3600e3, DAY = 24 * HOUR;
export const RANGE_MS = { LAST_HOUR: HOUR, LAST_6_HOURS: 6 * HOUR, LAST_24_HOURS: DAY, LAST_7_DAYS: 7 * DAY, LAST_30_DAYS: 30 * DAY };

// The controls' defaults (a URL states only what differs) and the choices of the two select
// controls that app.js fills, so a default and its option are written once.
export const DEFAULTS = { range: 'LAST_24_HOURS', threshold: 1000, interval: 30 };
export const CHOICES = {
  threshold: [[100, '100 ms'], [500, '500 ms'], [1000, '1 s'], [2000, '2 s'], [5000, '5 s']],
  interval: [[10, '10 s'], [30, '30 s'], [60, '1 min'], [300, '5 min']],
};

export const state = {
  range: DEFAULTS.range,
  service: '',
  threshold: DEFAULTS.threshold,
  interval: DEFAULTS.interval,
  paused: false,
  live: false, // pushes arrive over the live socket (live.js): no polling
  token: sessionStorage.getItem('perf.token') || '',
  viewer: null, // {tenant, anonymous, traceUrlTemplate}
  view: null, // the window of the charts, see resolveView
  endpoints: [],
  sort: { key: 'totalRequests', dir: -1 },
  recs: new Map(),
  recsLoaded: null, // promise of the latest recommendations load
};

// ---------------------------------------------------------------------------------------
// GraphQL

export class AuthError extends Error {}

export async function gql(query, variables) {
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
// The window: every chart of the page uses the same one, with the same bucket size.

// bucketFor is the one rule of bucket sizes: minutes up to 6 h, hours beyond.
export function bucketFor(spanMs) {
  if (spanMs <= HOUR + MIN) return { iv: '1m', step: MIN, per: 'per minute', name: '1-minute' };
  if (spanMs <= 6 * HOUR + MIN) return { iv: '5m', step: 5 * MIN, per: 'per 5 minutes', name: '5-minute' };
  if (spanMs <= 7 * DAY + MIN) return { iv: '1h', step: HOUR, per: 'per hour', name: 'hourly' };
  return { iv: '6h', step: 6 * HOUR, per: 'per 6 hours', name: '6-hour' };
}

export function baseView() {
  const to = Math.ceil(Date.now() / MIN) * MIN;
  const from = to - RANGE_MS[state.range];
  return { from, to, zoomed: false, since: null, ...bucketFor(to - from) };
}

// zoomTo narrows a long range to the part with data, when all of it is in the last 6 h (a
// service that started a moment ago): minute buckets over that part, not one dot on a
// 24-hour axis.
// The narrowed window spans at least 10 minutes, so that its first minutes are not a dot.
export function zoomTo(view, firstMs) {
  const to = view.to;
  if (!(firstMs >= to - 6 * HOUR)) return view;
  const since = Math.floor(firstMs / MIN) * MIN;
  const from = Math.min(since, to - 10 * MIN);
  return { from, to, zoomed: true, since, ...bucketFor(to - from) };
}

// the range arguments of a query for the current view: the named range, or from/to when zoomed
export function rangeVars(view) {
  const v = view || state.view || baseView();
  return v.zoomed ? { tr: null, from: new Date(v.from).toISOString(), to: new Date(v.to).toISOString() } : { tr: state.range, from: null, to: null };
}
export const RANGE_PARAMS = '$tr: TimeRange, $from: DateTime, $to: DateTime';
export const RANGE_ARGS = 'timeRange: $tr, from: $from, to: $to';

// ---------------------------------------------------------------------------------------
// panels

export const $ = (sel, root) => (root || document).querySelector(sel);

export function panel(id, html, st) {
  const el = document.getElementById(id);
  $('.body', el).innerHTML = html;
  el.dataset.state = st || 'ok';
}
export function panelError(id, err) {
  const el = document.getElementById(id);
  if (!el || !$('.body', el)) return; // a banner (alerts) removes itself instead
  if (err instanceof AuthError) panel(id, '<p class="empty">Sign in to see this panel.</p>', 'auth');
  else panel(id, '<p class="error">Could not load: ' + esc(err && err.message) + '</p>', 'error');
}
export function subtitle(id, text) {
  const el = document.querySelector('#' + id + ' h2 .sub-title');
  if (el) el.textContent = text;
}

// traceLink: the trace id linked through dashboard.trace_url, plain text without it
export function traceLink(id) {
  const tpl = state.viewer && state.viewer.traceUrlTemplate;
  if (!tpl || !/^[0-9a-f]{32}$/i.test(id)) return '<code class="chip">' + esc(id) + '</code>';
  const url = tpl.split('{trace_id}').join(encodeURIComponent(id));
  if (!/^https?:/i.test(url)) return '<code class="chip">' + esc(id) + '</code>';
  return '<a class="link chip mono" data-testid="trace-link" href="' + esc(url) + '" target="_blank" rel="noopener noreferrer">' + esc(id) + '</a>';
}
