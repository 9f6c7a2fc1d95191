-- Tells every replica's hub (livehub.Listen) that tenant $1's data changed: kind $2, id $3,
-- detail $4 (a JSON object of strings, or NULL).
-- Run inside the transaction that made the change: NOTIFY is delivered on commit only, so a
-- listener never hears of a change it cannot read yet. perf_notify
-- (migrations/functions/96_live_events.sql) writes the payload, for the triggers of
-- perf_recommendations and perf_alerts too; livehub's test reads both.
SELECT perf_notify($1::text, $2::text, $3::text, $4::json)
