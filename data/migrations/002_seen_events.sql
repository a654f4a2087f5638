-- Inbound events already handled (Slack event_id, Matrix transaction and event ids), so a
-- platform's retries are answered once, across restarts too. Old rows are pruned.
CREATE TABLE seen_events (
  platform TEXT NOT NULL,
  event_id TEXT NOT NULL,
  seen_at  INTEGER NOT NULL,
  PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;
CREATE INDEX seen_events_by_age ON seen_events (seen_at);
