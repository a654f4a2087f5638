-- Where a client that reads its platform by polling (Matrix as an ordinary user, /sync) stopped:
-- the next_batch token of the last batch it handled, per account, so a restart goes on from
-- there and neither misses nor repeats a message.
CREATE TABLE sync_positions (
  platform   TEXT NOT NULL,
  account    TEXT NOT NULL,
  position   TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (platform, account)
) WITHOUT ROWID;
