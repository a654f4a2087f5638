-- Link health (bot/link_check.cpp): what the checker last saw of each link. A link that failed
-- `failures` checks in a row, the first at `failing_since`, long enough ago (WHYGO_LINK_DEAD_AFTER),
-- is dead: search and the story of the day skip it. A permanent redirect to a live page is kept
-- as `fix_url`, an edit offered to admins (`fixes`, `accept <n>`); a dead link's copy in the
-- Internet Archive as `archive_url`. Flags are 0/1 integers, as in every table copy-store moves.
CREATE TABLE link_health (
  link_id            INTEGER PRIMARY KEY,
  url                TEXT NOT NULL,                 -- the URL checked: the link's at that time
  status             INTEGER NOT NULL DEFAULT 0,    -- the last answer's; 0: none (error says why)
  final_url          TEXT NOT NULL DEFAULT '',      -- where redirects ended
  error              TEXT NOT NULL DEFAULT '',      -- why the last check failed; '' when it did not
  checked_at         INTEGER NOT NULL DEFAULT 0,
  last_success       INTEGER NOT NULL DEFAULT 0,    -- 0: never
  failures           INTEGER NOT NULL DEFAULT 0,    -- in a row
  failing_since      INTEGER NOT NULL DEFAULT 0,    -- the first of them; 0: none
  dead               INTEGER NOT NULL DEFAULT 0,
  fix_url            TEXT NOT NULL DEFAULT '',      -- a permanent redirect's live target; '' none
  archive_url        TEXT NOT NULL DEFAULT '',      -- the archived copy; '' none known
  archive_checked_at INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX link_health_by_checked ON link_health (checked_at);
CREATE INDEX link_health_dead ON link_health (dead, link_id);
