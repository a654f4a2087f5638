-- The Go story of the day: the rotation as it was shown, channels that asked for the daily post,
-- and one claim per (platform, channel, local date) taken before sending, so nothing posts twice.
CREATE TABLE story_days (
  day     INTEGER PRIMARY KEY,  -- days since 1970-01-01
  link_id INTEGER NOT NULL,
  cycle   INTEGER NOT NULL      -- every active link is shown once per cycle
);

CREATE TABLE subscriptions (
  platform   TEXT NOT NULL,
  channel    TEXT NOT NULL,
  tenant     TEXT NOT NULL DEFAULT '',
  minute     INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 1439),  -- local time of day
  zone       TEXT NOT NULL,                                       -- IANA name
  thread     TEXT NOT NULL DEFAULT '',                            -- reserved for threaded posts
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (platform, channel)
);

CREATE TABLE post_claims (
  platform   TEXT NOT NULL,
  channel    TEXT NOT NULL,
  local_date INTEGER NOT NULL,   -- days since 1970-01-01 in the subscription's zone
  link_id    INTEGER NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'failed', 'abandoned')),
  claim_key  TEXT NOT NULL,      -- idempotency key for platforms that honour one
  claimed_by TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  done_at    INTEGER,
  attempts   INTEGER NOT NULL DEFAULT 0,
  reason     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (platform, channel, local_date)
);
CREATE INDEX post_claims_by_status ON post_claims (status, claimed_at);
