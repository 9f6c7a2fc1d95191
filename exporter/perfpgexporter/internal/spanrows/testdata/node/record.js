// Runs one request's worth of statements through the OpenTelemetry instrumentations of pg
// (PG_DSN: a database holding the table items) and, when MYSQL_URL is set, mysql2 (in the
// database MYSQL_DB, created and dropped here, outside the request), records the spans in
// memory and prints those of the request's trace as JSON lines on stdout. node_test.go
// turns them into OTLP and counts the query rows.
'use strict';
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg');
const { MySQL2Instrumentation } = require('@opentelemetry/instrumentation-mysql2');
const api = require('@opentelemetry/api');

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
registerInstrumentations({ instrumentations: [new PgInstrumentation(), new MySQL2Instrumentation()] });

const pg = require('pg');
const mysql = require('mysql2/promise');

async function pgWork() {
  const pool = new pg.Pool({ connectionString: process.env.PG_DSN, max: 1 });
  const r = await pool.query('SELECT id, qty FROM items WHERE qty > $1 ORDER BY id', [30]);
  if (r.rows.length !== 7) throw new Error(`pg: ${r.rows.length} rows, want 7`);
  const client = await pool.connect();
  for (let id = 2; id <= 4; id++) {
    await client.query({ name: 'qty-by-id', text: 'SELECT qty FROM items WHERE id = $1', values: [id] });
  }
  await client.query('BEGIN');
  await client.query('DELETE FROM items WHERE id = $1', [10]);
  await client.query('COMMIT');
  client.release();
  await pool.query('SELECT * FROM no_such_table').then(() => { throw new Error('pg: missing table queried'); }, () => {});
  await pool.end();
}

async function mysqlSetup(sql) {
  const conn = await mysql.createConnection({ uri: process.env.MYSQL_URL, multipleStatements: true });
  await conn.query(sql);
  await conn.end();
}

async function mysqlWork() {
  const conn = await mysql.createConnection(`${process.env.MYSQL_URL}/${process.env.MYSQL_DB}`);
  const [rows] = await conn.query('SELECT id, qty FROM items WHERE qty > ? ORDER BY id', [30]);
  if (rows.length !== 7) throw new Error(`mysql2: ${rows.length} rows, want 7`);
  for (let id = 2; id <= 4; id++) {
    await conn.execute('SELECT qty FROM items WHERE id = ?', [id]); // prepared once, executed three times
  }
  await conn.query('SELECT * FROM no_such_table').then(() => { throw new Error('mysql2: missing table queried'); }, () => {});
  await conn.end();
}

async function main() {
  const db = process.env.MYSQL_DB;
  if (process.env.MYSQL_URL) {
    await mysqlSetup(`CREATE DATABASE \`${db}\`; CREATE TABLE \`${db}\`.items (id int PRIMARY KEY, qty int NOT NULL);
      INSERT INTO \`${db}\`.items VALUES ${[...Array(10).keys()].map((i) => `(${i + 1}, ${(i + 1) * 10})`).join(', ')}`);
  }
  const tracer = api.trace.getTracer('test/http');
  let traceId;
  await tracer.startActiveSpan('GET /items', {
    kind: api.SpanKind.SERVER,
    attributes: { 'http.route': '/items', 'http.request.method': 'GET', 'http.response.status_code': 200 },
  }, async (span) => {
    traceId = span.spanContext().traceId;
    try {
      await pgWork();
      if (process.env.MYSQL_URL) await mysqlWork();
    } finally {
      span.end();
    }
  });
  if (process.env.MYSQL_URL) await mysqlSetup(`DROP DATABASE \`${db}\``);
  for (const s of exporter.getFinishedSpans().filter((x) => x.spanContext().traceId === traceId)) {
    const parent = s.parentSpanContext ? s.parentSpanContext.spanId : (s.parentSpanId || '');
    const scope = s.instrumentationScope || s.instrumentationLibrary;
    process.stdout.write(JSON.stringify({
      name: s.name, scope: scope.name, scopeVersion: scope.version || '', kind: s.kind,
      traceId: s.spanContext().traceId, spanId: s.spanContext().spanId, parentSpanId: parent,
      start: s.startTime, end: s.endTime, status: s.status.code, attributes: s.attributes,
    }) + '\n');
  }
  await provider.shutdown();
}

main().catch((e) => { console.error(e); process.exit(1); });
