-- Catalog: links, the order of sections, and the full-text index kept in step by triggers, so
-- search can never disagree with the table.
CREATE TABLE sections (
  name     TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);

CREATE TABLE links (
  id         INTEGER PRIMARY KEY,
  title      TEXT NOT NULL,
  url        TEXT NOT NULL,
  author     TEXT NOT NULL DEFAULT '',
  medium     TEXT NOT NULL DEFAULT '',
  section    TEXT NOT NULL,
  subject    TEXT NOT NULL DEFAULT '',
  tags       TEXT NOT NULL DEFAULT '',  -- space-separated
  host       TEXT NOT NULL DEFAULT '',
  extra      TEXT NOT NULL DEFAULT '',  -- medium, split and joined spellings, unaccented names
  origin     TEXT NOT NULL DEFAULT 'wiki' CHECK (origin IN ('wiki', 'admin')),
  position   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX links_by_url ON links (url);
CREATE INDEX links_by_order ON links (section, position, id);

CREATE VIRTUAL TABLE links_fts USING fts5 (
  title, author, tags, section, host, extra,
  content = 'links', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
CREATE VIRTUAL TABLE links_vocab USING fts5vocab (links_fts, 'row');

CREATE TRIGGER links_after_insert AFTER INSERT ON links BEGIN
  INSERT INTO links_fts (rowid, title, author, tags, section, host, extra)
  VALUES (new.id, new.title, new.author, new.tags, new.section, new.host, new.extra);
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
END;
CREATE TRIGGER links_after_delete AFTER DELETE ON links BEGIN
  INSERT INTO links_fts (links_fts, rowid, title, author, tags, section, host, extra)
  VALUES ('delete', old.id, old.title, old.author, old.tags, old.section, old.host, old.extra);
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
END;
CREATE TRIGGER links_after_update AFTER UPDATE ON links BEGIN
  INSERT INTO links_fts (links_fts, rowid, title, author, tags, section, host, extra)
  VALUES ('delete', old.id, old.title, old.author, old.tags, old.section, old.host, old.extra);
  INSERT INTO links_fts (rowid, title, author, tags, section, host, extra)
  VALUES (new.id, new.title, new.author, new.tags, new.section, new.host, new.extra);
  UPDATE meta SET value = value + 1 WHERE key = 'catalog_version';
END;

-- Small counters and flags: catalog_version changes with every catalog write (search caches
-- key on it, across processes); seeded is set once the bundled catalog was imported.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
INSERT INTO meta (key, value) VALUES ('catalog_version', 0), ('seeded', 0);
