-- Following the upstream wiki page (whygo sync): its validators (ETag, Last-Modified) for the
-- next conditional request and how the last sync went, per page URL; and one row per scheduled
-- period, inserted by the one replica that syncs in it.
CREATE TABLE upstream_state (
  url           TEXT NOT NULL PRIMARY KEY,
  etag          TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  checked_at    INTEGER NOT NULL DEFAULT 0,
  changed_at    INTEGER NOT NULL DEFAULT 0,
  outcome       TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE upstream_claims (
  period     INTEGER NOT NULL PRIMARY KEY,  -- the period's start, unix seconds
  claimed_by TEXT NOT NULL,
  claimed_at INTEGER NOT NULL
);
