// A graphql-ws client (the library browsers and Node services use) subscribing to the
// collector: node subscribe.mjs <ws url> <token> <id=query>... Every event is printed as one
// JSON line on stdout for the Go test to read: {"ev":"next","id":...,"payload":...},
// {"ev":"error",...}, {"ev":"complete",...}, {"ev":"connected"}, {"ev":"closed","code":...}.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, ...ops] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: token ? { Authorization: 'Bearer ' + token } : undefined,
  lazy: false,
  retryAttempts: 0,
  keepAlive: 0,
  on: {
    connected: () => out({ ev: 'connected' }),
    closed: (e) => out({ ev: 'closed', code: e && e.code, reason: e && e.reason }),
    error: (e) => out({ ev: 'socket-error', message: String(e && e.message) }),
  },
});

for (const op of ops) {
  const i = op.indexOf('=');
  const id = op.slice(0, i);
  client.subscribe({ query: op.slice(i + 1) }, {
    next: (payload) => out({ ev: 'next', id, payload }),
    error: (err) => out({ ev: 'error', id, error: Array.isArray(err) ? err : String(err && (err.reason || err.message) || err), code: err && err.code }),
    complete: () => out({ ev: 'complete', id }),
  });
}

process.on('SIGTERM', () => { client.dispose(); process.exit(0); });
