-- Where each suggestion was made, so what waits can be capped per tenant (workspace, server,
-- homeserver) and per channel, and which audit row decided it, so one "reject 3-40" is undone
-- as one.
ALTER TABLE suggestions ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
ALTER TABLE suggestions ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE suggestions ADD COLUMN decided_audit INTEGER REFERENCES audit (id);
CREATE INDEX suggestions_pending_by_place ON suggestions (status, platform, tenant, channel);
