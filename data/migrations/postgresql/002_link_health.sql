-- Link health, as SQLite's 010_link_health.sql: what the checker (bot/link_check.cpp) last saw of
-- each link; dead links are skipped by search and the story of the day; fix_url is a permanent
-- redirect offered to admins as an edit, archive_url a dead link's archived copy. Flags are 0/1
-- integers, so copy-store moves the rows between the two stores as they are.
CREATE TABLE link_health (
  link_id            BIGINT PRIMARY KEY,
  url                TEXT NOT NULL,
  status             INTEGER NOT NULL DEFAULT 0,
  final_url          TEXT NOT NULL DEFAULT '',
  error              TEXT NOT NULL DEFAULT '',
  checked_at         BIGINT NOT NULL DEFAULT 0,
  last_success       BIGINT NOT NULL DEFAULT 0,
  failures           INTEGER NOT NULL DEFAULT 0,
  failing_since      BIGINT NOT NULL DEFAULT 0,
  dead               INTEGER NOT NULL DEFAULT 0,
  fix_url            TEXT NOT NULL DEFAULT '',
  archive_url        TEXT NOT NULL DEFAULT '',
  archive_checked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX link_health_by_checked ON link_health (checked_at);
CREATE INDEX link_health_dead ON link_health (dead, link_id);
