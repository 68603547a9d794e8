-- The office ledger. One set of migrations for SQLite and PostgreSQL: only
-- portable types (TEXT, BIGINT, DOUBLE PRECISION); dates are ISO 8601 text
-- ('2025-03-04'), which sorts and compares as dates; times are RFC 3339 text.

CREATE TABLE agencies (
    name TEXT PRIMARY KEY,
    review_body TEXT NOT NULL DEFAULT '',
    court TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- Per-key counters: application numbers per agency and year, audit sequence.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE applications (
    agency TEXT NOT NULL REFERENCES agencies(name),
    number TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    source_number TEXT NOT NULL DEFAULT '',
    applicant_kind TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_id_document TEXT NOT NULL DEFAULT '',
    applicant_contact TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL,
    received_on TEXT NOT NULL,
    request TEXT NOT NULL,
    form TEXT NOT NULL DEFAULT '',
    -- Derived from the events by the deadline clock, kept for lists and reports.
    stage TEXT NOT NULL,
    due_on TEXT,
    closed_on TEXT,
    outcome TEXT,
    provisional BIGINT NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (agency, number)
);
CREATE INDEX applications_received ON applications (agency, received_on);
CREATE INDEX applications_closed ON applications (agency, closed_on);
CREATE INDEX applications_open ON applications (stage, due_on);

CREATE TABLE events (
    agency TEXT NOT NULL,
    number TEXT NOT NULL,
    seq BIGINT NOT NULL,
    on_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (agency, number, seq),
    FOREIGN KEY (agency, number) REFERENCES applications(agency, number)
);

CREATE TABLE documents (
    agency TEXT NOT NULL REFERENCES agencies(name),
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    repealed_on TEXT,
    PRIMARY KEY (agency, number)
);

CREATE TABLE enforcement (
    agency TEXT NOT NULL REFERENCES agencies(name),
    year BIGINT NOT NULL,
    license BIGINT NOT NULL,
    penalty BIGINT NOT NULL,
    coercion BIGINT NOT NULL,
    fee_amount DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (agency, year)
);

CREATE TABLE legal_cases (
    agency TEXT NOT NULL REFERENCES agencies(name),
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    filed_on TEXT NOT NULL,
    decided_on TEXT,
    result TEXT,
    PRIMARY KEY (agency, number)
);

CREATE TABLE narratives (
    agency TEXT NOT NULL REFERENCES agencies(name),
    year BIGINT NOT NULL,
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (agency, year, section)
);

CREATE TABLE letter_templates (
    agency TEXT NOT NULL,
    template_key TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (agency, template_key)
);

-- Years of the working-day calendar an administrator added or replaced; the
-- shipped years are built in.
CREATE TABLE calendar_years (
    year BIGINT PRIMARY KEY,
    data TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every change: who, when, what, before and after (JSON, personal data of
-- applicants removed).
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    before_state TEXT,
    after_state TEXT
);
