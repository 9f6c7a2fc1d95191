// Live updates for the dashboard: a small graphql-transport-ws client (the protocol of the
// collector's /graphql WebSocket). Hand-written rather than the graphql-ws package: the page
// loads nothing from elsewhere (no CDN: the collector often runs where there is no internet,
// and its Content-Security-Policy allows only its own files), it has no build step that could
// bundle a package, and it needs only connection_init/ack, subscribe/next and ping/pong.
//
// perfLive.connect({token, subscriptions: [{query, variables, onNext}], onMode}) opens the
// socket, subscribes, calls onNext(payload) on every push and onMode(true) while live,
// onMode(false) when the socket is down (the page then polls); it reconnects with backoff,
// except after 4401 (the token was refused: the page's own requests will ask for another).
'use strict';

(function () {
  function connect(opts) {
    const url = new URL('graphql', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws = null;
    let stopped = false;
    let retries = 0;
    let timer = null;

    const send = (m) => ws && ws.readyState === 1 && ws.send(JSON.stringify(m));

    function open() {
      try {
        ws = new WebSocket(url, 'graphql-transport-ws');
      } catch (e) {
        retry();
        return;
      }
      ws.onopen = () => send({ type: 'connection_init', payload: opts.token ? { Authorization: 'Bearer ' + opts.token } : {} });
      ws.onmessage = (ev) => {
        let m;
        try { m = JSON.parse(ev.data); } catch (e) { ws.close(4400, 'Invalid message received'); return; }
        switch (m.type) {
          case 'connection_ack':
            retries = 0;
            opts.subscriptions.forEach((s, i) => send({ id: String(i + 1), type: 'subscribe', payload: { query: s.query, variables: s.variables || {} } }));
            opts.onMode(true);
            break;
          case 'ping':
            send({ type: 'pong' });
            break;
          case 'next': {
            const s = opts.subscriptions[Number(m.id) - 1];
            if (s) s.onNext(m.payload);
            break;
          }
          case 'error':
          case 'complete':
            // a subscription that ended would leave the page without its pushes: poll instead
            ws.close(1000, 'subscription ended');
            break;
        }
      };
      ws.onclose = (ev) => {
        ws = null;
        opts.onMode(false);
        if (!stopped && ev.code !== 4401) retry();
      };
    }

    function retry() {
      clearTimeout(timer);
      timer = setTimeout(open, Math.min(60000, 2000 * 2 ** retries++));
    }

    open();
    return {
      close() {
        stopped = true;
        clearTimeout(timer);
        if (ws) ws.close(1000, 'closed by the page');
      },
    };
  }

  window.perfLive = { connect };
})();
