package graphqlapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"
)

// userError is an error caused by the request (bad argument, limit): its message is shown
// as is.
type userError struct{ msg string }

func (e *userError) Error() string { return e.msg }

func userErrorf(format string, args ...any) error {
	return &userError{msg: fmt.Sprintf(format, args...)}
}

// publicError turns any error of a resolver into what the caller may see: user errors as
// they are, timeouts as such, everything else (SQL errors included) logged and replaced
// by a generic message, so no SQL, table name or value leaks.
func publicError(ctx context.Context, logger *zap.Logger, op string, err error) error {
	if err == nil {
		return nil
	}
	var ue *userError
	if errors.As(err, &ue) {
		return ue
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &userError{msg: op + ": the request took too long and was cancelled (limits.request_timeout)"}
	}
	if errors.Is(err, context.Canceled) {
		return &userError{msg: op + ": the request was cancelled"}
	}
	// 22021 character_not_in_repertoire: a text argument PostgreSQL cannot hold (a NUL,
	// U+0000, sent in a String argument). Stored text never contains one, so this is always
	// the caller's input: a user error, not an error-level log line per request.
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "22021" {
		return &userError{msg: op + ": a text argument contains a character that cannot be stored (NUL, U+0000)"}
	}
	logger.Error("perfgraphql query failed", zap.String("operation", op), zap.Error(err))
	return &userError{msg: op + ": internal error while reading performance data (details are in the collector log)"}
}
