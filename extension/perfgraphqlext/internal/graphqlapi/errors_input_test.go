package graphqlapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// A NUL in a String argument makes PostgreSQL fail with SQLSTATE 22021; that is the
// caller's input (found by test/e2e TestSecurityBadInputMatrix): a user error naming the
// problem, and no error-level log line. Other SQL errors stay internal and logged.
func TestPublicErrorNULArgumentIsAUserError(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	logger := zap.New(core)
	nul := fmt.Errorf("read: %w", &pgconn.PgError{Code: "22021", Message: `invalid byte sequence for encoding "UTF8": 0x00`})
	err := publicError(context.Background(), logger, "endpointMetrics", nul)
	var ue *userError
	if !errors.As(err, &ue) || !strings.Contains(ue.msg, "NUL") || strings.Contains(ue.msg, "UTF8") {
		t.Fatalf("publicError(22021) = %v, want a user error about NUL without the SQL message", err)
	}
	if n := logs.FilterLevelExact(zapcore.ErrorLevel).Len(); n != 0 {
		t.Fatalf("%d error-level log lines for bad input", n)
	}
	internal := &pgconn.PgError{Code: "42P01", Message: `relation "x" does not exist`}
	err = publicError(context.Background(), logger, "endpointMetrics", internal)
	if !errors.As(err, &ue) || strings.Contains(ue.msg, "relation") {
		t.Fatalf("publicError(42P01) = %v, want the generic message", err)
	}
	if n := logs.FilterLevelExact(zapcore.ErrorLevel).Len(); n != 1 {
		t.Fatalf("%d error-level log lines for an internal SQL error, want 1", n)
	}
}
