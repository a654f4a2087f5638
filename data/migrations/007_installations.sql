-- Workspaces that installed the app themselves (OAuth): one bot token each, sealed with
-- AES-256-GCM under WHYGO_SECRET_KEY before it is written here, so this file never holds a token
-- in clear. A workspace that uninstalls loses its row, and its subscriptions wait (paused) until
-- it installs the app again.
CREATE TABLE installations (
  platform     TEXT NOT NULL,
  tenant       TEXT NOT NULL,
  enterprise   TEXT NOT NULL DEFAULT '',
  bot_user     TEXT NOT NULL DEFAULT '',
  sealed_token BLOB NOT NULL,
  installed_at INTEGER NOT NULL,
  PRIMARY KEY (platform, tenant)
);

ALTER TABLE subscriptions ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
