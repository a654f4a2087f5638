-- Catalog writes from chat, per user (platform:user): a token bucket shared by every replica,
-- taken with one INSERT ... ON CONFLICT DO UPDATE ... RETURNING (the row lock orders replicas'
-- takes of one key). A row whose bucket has filled up again is pruned.
CREATE TABLE write_allowance (
  key        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
  tokens     DOUBLE PRECISION NOT NULL,  -- left after the last take, before refilling
  updated_ms BIGINT NOT NULL,            -- when: unix milliseconds
  allowed    BOOLEAN NOT NULL            -- whether the last take got a token
);
CREATE INDEX write_allowance_by_age ON write_allowance (updated_ms);
