-- Following the upstream wiki page (whygo sync): its validators for the next conditional request
-- and how the last sync went, per page URL; one row per scheduled period, inserted by the one
-- replica that syncs in it (SQLite: 011_upstream.sql).
CREATE TABLE upstream_state (
  url           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  etag          TEXT NOT NULL DEFAULT '',
  last_modified TEXT NOT NULL DEFAULT '',
  checked_at    BIGINT NOT NULL DEFAULT 0,
  changed_at    BIGINT NOT NULL DEFAULT 0,
  outcome       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE upstream_claims (
  period     BIGINT NOT NULL PRIMARY KEY,
  claimed_by TEXT NOT NULL,
  claimed_at BIGINT NOT NULL
);
