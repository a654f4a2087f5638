-- Search leaves SQLite: the full-text index is now a Xapian index beside the database, derived
-- from the links table (bot/search_index.cpp), so the same search runs over any store. What
-- the index needs from here: every link row stamped with the catalog version that last wrote
-- it, deleted rows remembered the same way, and an id that tells this catalog from a copy of
-- another one. An index at version V then follows the rows written after V.
DROP TRIGGER links_after_insert;
DROP TRIGGER links_after_delete;
DROP TRIGGER links_after_update;
DROP TABLE links_vocab;
DROP TABLE links_fts;

ALTER TABLE links ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX links_by_version ON links (version);

-- Links are removed softly (removed_at); should a row ever be deleted, the index hears of it here.
CREATE TABLE links_deleted (
  id      INTEGER PRIMARY KEY,
  version INTEGER NOT NULL
);
CREATE INDEX links_deleted_by_version ON links_deleted (version);

INSERT INTO meta (key, value) VALUES ('catalog_id', random());

-- Every write moves catalog_version (search caches key on it, across processes) and stamps the
-- row with it. The stamping UPDATE fires links_after_update again, which its WHEN skips.
CREATE TRIGGER links_after_insert AFTER INSERT ON links BEGIN
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
  UPDATE links SET version = (SELECT value FROM meta WHERE key = 'catalog_version') WHERE id = new.id;
END;
CREATE TRIGGER links_after_update AFTER UPDATE ON links WHEN new.version = old.version BEGIN
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
  UPDATE links SET version = (SELECT value FROM meta WHERE key = 'catalog_version') WHERE id = new.id;
END;
CREATE TRIGGER links_after_delete AFTER DELETE ON links BEGIN
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
  INSERT OR REPLACE INTO links_deleted (id, version)
  VALUES (old.id, (SELECT value FROM meta WHERE key = 'catalog_version'));
END;
