-- Retention (settings.retention_days): an upload's file and its jobs' result files are deleted
-- once nothing needs them — no queued or running job, every job of it finished before the cut-off.
-- The rows stay (the jobs' counters are history); `expired_at` / `files_expired_at` say the files
-- are gone, so that a download answers 410 instead of failing on a missing file.
ALTER TABLE uploads ADD COLUMN expired_at timestamptz;
ALTER TABLE jobs ADD COLUMN files_expired_at timestamptz;
CREATE INDEX uploads_to_expire ON uploads (created_at) WHERE expired_at IS NULL;
