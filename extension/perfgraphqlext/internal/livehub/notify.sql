-- Tells every replica's hub (livehub.Listen) that tenant $1's data changed: kind $2, id $3,
-- detail $4 (a JSON object of strings, or NULL).
-- Run inside the transaction that made the change: NOTIFY is delivered on commit only, so a
-- listener never hears of a change it cannot read yet. The trigger of perf_recommendations
-- (migrations/functions/96_live_events.sql) writes the same payload; livehub's test pins both.
SELECT pg_notify('perf_events', json_strip_nulls(json_build_object('tenant', $1::text, 'kind', $2::text, 'id', $3::text, 'detail', $4::json))::text)
