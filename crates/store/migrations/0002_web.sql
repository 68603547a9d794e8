-- The web system: agencies as a hierarchy with a number for addresses, users
-- and their roles, sessions and API tokens (kept as hashes), login
-- throttling, the receipts of online applications, and approvals asked of a
-- 负责人.

ALTER TABLE agencies ADD COLUMN id BIGINT;
ALTER TABLE agencies ADD COLUMN parent TEXT;
-- 'government' (人民政府: report due 31 March) or 'department' (31 January).
ALTER TABLE agencies ADD COLUMN kind TEXT NOT NULL DEFAULT 'department';
UPDATE agencies SET id = (SELECT COUNT(*) FROM agencies a2 WHERE a2.name <= agencies.name);
UPDATE agencies SET kind = 'government' WHERE name LIKE '%人民政府' OR name LIKE '%办事处';
INSERT INTO counters (name, value) SELECT 'agency', COUNT(*) FROM agencies;
CREATE UNIQUE INDEX agencies_id ON agencies (id);
CREATE INDEX applications_due ON applications (agency, stage, due_on);

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- 'admin' 管理员, 'clerk' 经办人, 'leader' 负责人, 'supervisor' 上级机关.
    role TEXT NOT NULL,
    -- The agency the user works for (none for the platform's administrator).
    agency TEXT REFERENCES agencies(name),
    active BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);

-- Failed logins per key (a login name, or an address), in a sliding window.
CREATE TABLE login_failures (
    key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
);

-- Online applications: the applicant's lookup code (hashed) and the key of
-- the form that was submitted, so a second submission of the same form
-- gives back the same application.
CREATE TABLE receipts (
    agency TEXT NOT NULL,
    number TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    form_key TEXT NOT NULL UNIQUE,
    submitted_at TEXT NOT NULL,
    PRIMARY KEY (agency, number),
    FOREIGN KEY (agency, number) REFERENCES applications(agency, number)
);

-- Requests that need a 负责人's decision (an extension of the deadline).
CREATE TABLE approvals (
    id BIGINT PRIMARY KEY,
    agency TEXT NOT NULL,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    -- 'pending', 'approved', 'refused'.
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT NOT NULL DEFAULT '',
    FOREIGN KEY (agency, number) REFERENCES applications(agency, number)
);
CREATE INDEX approvals_case ON approvals (agency, number);
CREATE INDEX approvals_pending ON approvals (agency, status);
