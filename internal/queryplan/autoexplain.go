package queryplan

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/otelcol-perf/otelcol-perf/internal/sqlnorm"
)

// LogRecord is what is read of one PostgreSQL jsonlog entry (log_destination = 'jsonlog',
// PostgreSQL 15+): the rest of the entry (user, host, application, the statement of an error)
// is never read.
type LogRecord struct {
	Timestamp string `json:"timestamp"`
	DBName    string `json:"dbname"`
	Severity  string `json:"error_severity"`
	Message   string `json:"message"`
}

// ParseLogRecord reads a jsonlog line.
func ParseLogRecord(line []byte) (LogRecord, error) {
	var r LogRecord
	err := json.Unmarshal(line, &r)
	return r, err
}

// Time is the entry's timestamp ("2026-12-01 12:34:56.789 UTC"); false when it is not in UTC
// (or GMT): a zone abbreviation does not name an offset, so another log_timezone is not
// trusted and the caller uses the time it read the entry.
func (r LogRecord) Time() (time.Time, bool) {
	ts, zone, ok := strings.Cut(r.Timestamp, " UTC")
	if !ok {
		ts, zone, ok = strings.Cut(r.Timestamp, " GMT")
	}
	if !ok || zone != "" {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02 15:04:05.999999", ts)
	return t.UTC(), err == nil
}

// auto_explain's message: "duration: 12.345 ms  plan:\n{...}" (auto_explain.log_format = json).
var autoExplainHead = regexp.MustCompile(`^duration: ([0-9]+(?:\.[0-9]+)?) ms  plan:\s*`)

// IsAutoExplain tells whether a message is an auto_explain plan (of any format).
func IsAutoExplain(message string) bool { return autoExplainHead.MatchString(message) }

// Actual is an execution auto_explain logged, redacted.
type Actual struct {
	DurationMs float64
	// Statement is the normalized "Query Text" (literals are ?) and its fingerprint, the same
	// as the client spans' of the statement.
	Statement sqlnorm.Result
	Plan      Plan
}

// Errors of ParseAutoExplain.
var (
	ErrNotAutoExplain = errors.New("queryplan: not an auto_explain message")
	ErrNotJSONFormat  = errors.New("queryplan: auto_explain message not in JSON format (auto_explain.log_format = json)")
	ErrNoQueryText    = errors.New("queryplan: auto_explain plan without Query Text")
)

// ParseAutoExplain reads an auto_explain message in JSON format and redacts it. The raw query
// text and plan never leave this function: only the normalized statement and the redacted plan do.
func ParseAutoExplain(message string, norm *sqlnorm.Normalizer) (Actual, error) {
	m := autoExplainHead.FindStringSubmatch(message)
	if m == nil {
		return Actual{}, ErrNotAutoExplain
	}
	body := strings.TrimSpace(message[len(m[0]):])
	if !strings.HasPrefix(body, "{") {
		return Actual{}, ErrNotJSONFormat
	}
	var a Actual
	a.DurationMs, _ = strconv.ParseFloat(m[1], 64)
	var head struct {
		QueryText *string `json:"Query Text"`
	}
	if err := json.Unmarshal([]byte(body), &head); err != nil {
		return Actual{}, ErrNotJSONFormat
	}
	if head.QueryText == nil || strings.TrimSpace(*head.QueryText) == "" {
		return Actual{}, ErrNoQueryText
	}
	a.Statement = norm.Normalize(*head.QueryText)
	p, err := Redact([]byte(body))
	if err != nil {
		return Actual{}, err
	}
	a.Plan = p
	return a, nil
}
