-- Probe of the read replica (replica.go): is it a standby, does a WAL receiver run, and how
-- old is what it shows. replay_lag_seconds is 0 when everything received is replayed while a
-- receiver streams (an idle primary: the last replayed commit may be old, yet nothing is
-- missing); else the age of the last replayed commit (clock_timestamp() of the standby minus
-- the commit time of the primary), which is an upper bound: NULL before the standby replayed
-- any commit since it started. pg_stat_wal_receiver has a row (pid visible to every role)
-- only while a receiver process runs.
SELECT pg_is_in_recovery() AS in_recovery,
       EXISTS (SELECT 1 FROM pg_stat_wal_receiver) AS receiving,
       CASE
           WHEN NOT pg_is_in_recovery() THEN NULL
           WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
                AND pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn() THEN 0
           ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8
       END AS replay_lag_seconds
