package perfdb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// applyFunctions makes the functions, triggers and policies of the database those of the
// files in fsys (functions/*.sql, applied in the order of their names), in one transaction
// under the migration lock. goose applies a versioned migration once; these files are the
// only definition of their objects, so a changed file must reach every database on its next
// start without a new migration.
//
// When the files differ from the ones the database last got (a digest of names and contents
// in perf_schema_functions), every routine of the schema that no extension owns is dropped
// with what depends on it (triggers, policies, views: all defined in these files too), and
// the files are run. So a signature change needs no DROP in its file, and an object removed
// from the files does not linger. Anything else that depends on a routine (a column
// default, an index, a constraint) would be lost with it: the transaction fails instead.
// Unchanged files cost one digest comparison, and take no table lock.
func applyFunctions(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	files, err := fs.Glob(fsys, "functions/*.sql")
	if err != nil {
		return fmt.Errorf("perfdb: list functions: %w", err)
	}
	sort.Strings(files)
	texts := make([]string, len(files))
	h := sha256.New()
	for i, name := range files {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("perfdb: read %s: %w", name, err)
		}
		texts[i] = string(b)
		fmt.Fprintf(h, "%s\x00%d\x00%s", name, len(b), b)
	}
	digest := hex.EncodeToString(h.Sum(nil))

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("perfdb: apply functions: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLockID)); err != nil {
		return fmt.Errorf("perfdb: apply functions: lock: %w", err)
	}
	var current string
	err = tx.QueryRowContext(ctx, "SELECT digest FROM "+FunctionsTable).Scan(&current)
	if err != nil && err != sql.ErrNoRows {
		return fmt.Errorf("perfdb: apply functions: %w", err)
	}
	if current == digest {
		return nil
	}
	if _, err := tx.ExecContext(ctx, dropRoutinesSQL); err != nil {
		return fmt.Errorf("perfdb: apply functions: drop the previous ones: %w", err)
	}
	for i, name := range files {
		if _, err := tx.ExecContext(ctx, texts[i]); err != nil {
			return fmt.Errorf("perfdb: apply %s: %w", strings.TrimPrefix(name, "functions/"), err)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO "+FunctionsTable+` (digest) VALUES ($1)
		ON CONFLICT (id) DO UPDATE SET digest = excluded.digest, applied_at = now()`, digest); err != nil {
		return fmt.Errorf("perfdb: apply functions: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("perfdb: apply functions: %w", err)
	}
	return nil
}

// dropRoutinesSQL drops every routine of the current schema that no extension owns, and
// with them the triggers, policies and views that use them; it refuses when anything else
// uses one.
const dropRoutinesSQL = `DO $$
DECLARE
    routines oid[];
    blocker  text;
    r        regprocedure;
BEGIN
    SELECT coalesce(array_agg(p.oid), '{}') INTO routines FROM pg_proc p
     WHERE p.pronamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                                                  AND d.objid = p.oid AND d.deptype = 'e');
    SELECT pg_describe_object(d.classid, d.objid, d.objsubid) || ' uses ' || d.refobjid::regprocedure::text
      INTO blocker FROM pg_depend d
     WHERE d.refclassid = 'pg_proc'::regclass AND d.refobjid = ANY (routines)
       AND d.classid NOT IN ('pg_proc'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass, 'pg_rewrite'::regclass)
     LIMIT 1;
    IF blocker IS NOT NULL THEN
        RAISE EXCEPTION 'functions/ cannot be reapplied: % (only functions, triggers, policies and views may use a function; see migrations/README.md)', blocker;
    END IF;
    FOREACH r IN ARRAY routines::regprocedure[] LOOP
        EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r);
    END LOOP;
END;
$$`
