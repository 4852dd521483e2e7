-- The checks kept, and the records replicas share. Times are microseconds
-- since the epoch (UTC), as in the SQLite schema.
CREATE TABLE checks (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	domain  TEXT   NOT NULL,
	at_us   BIGINT NOT NULL,
	source  TEXT   NOT NULL,
	user_id TEXT   NOT NULL,
	status  TEXT   NOT NULL,
	-- the Snapshot, kept once however many checks saw it
	snapshot TEXT   NOT NULL
);
CREATE INDEX checks_domain_at ON checks (domain, at_us);
CREATE INDEX checks_user_at ON checks (user_id, at_us) WHERE user_id <> '';
CREATE INDEX checks_at ON checks (at_us);

-- Snapshots by content hash: a domain checked every night and unchanged
-- costs one row here. last_us is the time of the latest check that saw
-- it, so that pruning by time never removes a snapshot still in use.
CREATE TABLE snapshots (
	hash    TEXT   PRIMARY KEY,
	data    TEXT   NOT NULL, -- JSON
	last_us BIGINT NOT NULL
);
CREATE INDEX snapshots_last ON snapshots (last_us);

CREATE TABLE claims (
	key        TEXT   PRIMARY KEY,
	expires_us BIGINT NOT NULL
);

CREATE TABLE buckets (
	key        TEXT   PRIMARY KEY,
	tat_us     BIGINT NOT NULL,
	expires_us BIGINT NOT NULL
);

CREATE TABLE slots (
	key        TEXT   NOT NULL,
	lease      TEXT   NOT NULL,
	expires_us BIGINT NOT NULL,
	PRIMARY KEY (key, lease)
);
