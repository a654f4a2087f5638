-- Curation from chat: links are removed softly (so undo can bring them back with their id),
-- duplicates are found by a normalised URL, every change is audited, and anyone may suggest.
ALTER TABLE links ADD COLUMN removed_at INTEGER;  -- NULL while the link is in the catalog
ALTER TABLE links ADD COLUMN url_key TEXT NOT NULL DEFAULT '';  -- filled by the store
CREATE INDEX links_by_url_key ON links (url_key);

-- The full-text index holds only links in the catalog. (A 'rebuild' of links_fts would index
-- removed rows too: never run one.)
DROP TRIGGER links_after_insert;
DROP TRIGGER links_after_delete;
DROP TRIGGER links_after_update;
CREATE TRIGGER links_after_insert AFTER INSERT ON links BEGIN
  INSERT INTO links_fts (rowid, title, author, tags, section, host, extra)
  SELECT new.id, new.title, new.author, new.tags, new.section, new.host, new.extra WHERE new.removed_at IS NULL;
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
END;
CREATE TRIGGER links_after_delete AFTER DELETE ON links BEGIN
  INSERT INTO links_fts (links_fts, rowid, title, author, tags, section, host, extra)
  SELECT 'delete', old.id, old.title, old.author, old.tags, old.section, old.host, old.extra WHERE old.removed_at IS NULL;
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
END;
CREATE TRIGGER links_after_update AFTER UPDATE ON links BEGIN
  INSERT INTO links_fts (links_fts, rowid, title, author, tags, section, host, extra)
  SELECT 'delete', old.id, old.title, old.author, old.tags, old.section, old.host, old.extra WHERE old.removed_at IS NULL;
  INSERT INTO links_fts (rowid, title, author, tags, section, host, extra)
  SELECT new.id, new.title, new.author, new.tags, new.section, new.host, new.extra WHERE new.removed_at IS NULL;
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
END;

-- Who changed what, when: one row per change, written in the change's transaction.
CREATE TABLE audit (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  at        INTEGER NOT NULL,           -- unix seconds
  platform  TEXT NOT NULL,
  user_id   TEXT NOT NULL,              -- stable platform id
  action    TEXT NOT NULL,              -- add, remove, edit, tag, untag, approve, reject, undo, import
  link_id   INTEGER,
  suggestion_id INTEGER,
  before    TEXT,                       -- JSON of the link before (NULL for an add)
  after     TEXT,                       -- JSON of the link after (NULL for a remove)
  detail    TEXT NOT NULL DEFAULT '',
  undo_of   INTEGER REFERENCES audit (id),
  undone_by INTEGER REFERENCES audit (id)
);
CREATE INDEX audit_by_user ON audit (platform, user_id, id);

CREATE TABLE suggestions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  url         TEXT NOT NULL,
  title       TEXT NOT NULL,
  platform    TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by  TEXT,
  decided_at  INTEGER,
  reason      TEXT NOT NULL DEFAULT '',
  link_id     INTEGER
);
CREATE INDEX suggestions_by_status ON suggestions (status, id);
