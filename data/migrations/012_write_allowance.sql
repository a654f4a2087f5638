-- Catalog writes from chat, per user (platform:user): a token bucket kept in the database, so
-- every process writing it (every replica) draws on one allowance. Taken with one upsert
-- (INSERT ... ON CONFLICT DO UPDATE ... RETURNING); a row whose bucket has filled up again says
-- nothing an absent row does not, and is pruned.
CREATE TABLE write_allowance (
  key        TEXT NOT NULL PRIMARY KEY,
  tokens     REAL NOT NULL,     -- left after the last take, before refilling
  updated_ms INTEGER NOT NULL,  -- when: unix milliseconds
  allowed    INTEGER NOT NULL   -- whether the last take got a token (1) or was refused (0)
) WITHOUT ROWID;
CREATE INDEX write_allowance_by_age ON write_allowance (updated_ms);
