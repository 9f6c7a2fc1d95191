package perfpgexporter

import (
	"context"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// flakyProxy forwards TCP to PostgreSQL and can cut every connection and refuse new ones,
// which is what the exporter sees of a database outage (without stopping the server that
// other tests share).
type flakyProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	down   bool
	conns  map[net.Conn]bool
}

func newFlakyProxy(t *testing.T, target string) *flakyProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &flakyProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.setDown(true) })
	return p
}

func (p *flakyProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[s] = true, true
		p.mu.Unlock()
		go func() { _, _ = io.Copy(s, c); s.Close(); c.Close() }()
		go func() { _, _ = io.Copy(c, s); s.Close(); c.Close() }()
	}
}

func (p *flakyProxy) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			c.Close()
		}
		p.conns = map[net.Conn]bool{}
	}
}

// Connections cut again and again, also in the middle of commits, while batches flow
// through the queue with retries: after recovery every span is stored exactly once.
func TestTracesSurviveDatabaseOutageExactlyOnce(t *testing.T) {
	t.Parallel()
	var proxy *flakyProxy
	te := newTestExporters(t, func(c *Config) {
		u, err := url.Parse(c.DSN)
		if err != nil {
			t.Fatal(err)
		}
		proxy = newFlakyProxy(t, u.Host)
		u.Host = proxy.ln.Addr().String()
		c.DSN = u.String()
		q := exporterhelper.NewDefaultQueueConfig()
		q.NumConsumers = 4
		c.QueueConfig = configoptional.Some(q)
		c.BackOffConfig.Enabled = true
		c.BackOffConfig.InitialInterval = 50 * time.Millisecond
		c.BackOffConfig.MaxInterval = 200 * time.Millisecond
		c.BackOffConfig.MaxElapsedTime = 2 * time.Minute
		c.TimeoutConfig.Timeout = 3 * time.Second
	})
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute)

	stop := make(chan struct{})
	flapped := make(chan struct{})
	go func() { // outages of 50-300 ms, over and over
		defer close(flapped)
		for i := 0; ; i++ {
			select {
			case <-stop:
				proxy.setDown(false)
				return
			case <-time.After(time.Duration(50+(i%6)*50) * time.Millisecond):
			}
			proxy.setDown(i%2 == 0)
		}
	}()
	const batches, perBatch = 40, 250
	for b := 0; b < batches; b++ {
		td := ptrace.NewTraces()
		var specs []spanSpec
		for i := 0; i < perBatch; i++ {
			id := uint64(b*perBatch + i + 1)
			specs = append(specs,
				spanSpec{kind: ptrace.SpanKindServer, trace: byte(id), id: id, start: base, dur: time.Millisecond,
					attrs: map[string]any{"http.route": "/r"}},
				spanSpec{kind: ptrace.SpanKindClient, trace: byte(id), id: id + 1_000_000, parent: id, start: base, dur: time.Millisecond,
					attrs: map[string]any{"db.system.name": "postgresql", "db.query.text": "SELECT 1"}})
		}
		addSpans(td, map[string]any{"service.name": "svc"}, specs...)
		if err := te.traces.ConsumeTraces(ctx, td); err != nil {
			t.Fatalf("batch %d refused: %v", b, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(time.Second)
	close(stop)
	<-flapped

	deadline := time.Now().Add(90 * time.Second)
	var api, queries int
	for time.Now().Before(deadline) {
		api = count(t, te.pool, "SELECT count(*) FROM api_performance_log")
		queries = count(t, te.pool, "SELECT count(*) FROM query_performance_log")
		if api == batches*perBatch && queries == batches*perBatch {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if api != batches*perBatch || queries != batches*perBatch {
		t.Fatalf("after recovery: %d api rows and %d query rows, want %d each", api, queries, batches*perBatch)
	}
}
