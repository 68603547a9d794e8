-- Proactive disclosure: the items an agency publishes of its own accord,
-- each step of their review, their attachments, the agency's particulars
-- for its 指南 and the versions of the 指南 as edited, and the annual
-- reports published in its 专栏.

CREATE TABLE items (
    id BIGINT PRIMARY KEY,
    agency TEXT NOT NULL REFERENCES agencies(name),
    -- 索引号: the agency's code, the year and a number; never reused.
    index_no TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL,
    -- 成文日期, and the date of a change that restarts the 20 working days.
    written_on TEXT NOT NULL,
    changed_on TEXT,
    due_on TEXT,
    published_on TEXT,
    doc_no TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    column_key TEXT NOT NULL,
    -- 'active' 主动公开, 'on_request' 依申请公开, 'withheld' 不予公开.
    disclosure TEXT NOT NULL,
    -- For the last two: the article of the 条例 and the reason.
    disclosure_ground TEXT NOT NULL DEFAULT '',
    disclosure_reason TEXT NOT NULL DEFAULT '',
    -- '' or 'regulation' / 'normative' (规章、行政规范性文件: table 2).
    doc_kind TEXT NOT NULL DEFAULT '',
    -- '' or 'valid' / 'expired' / 'repealed', and the day it changed.
    validity TEXT NOT NULL DEFAULT '',
    validity_on TEXT,
    -- The policy this item is the 解读 of.
    interprets BIGINT REFERENCES items(id),
    status TEXT NOT NULL,
    -- A change asked of a published item (JSON), awaiting the 负责人.
    request TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Raised on every change: what the search index has not yet seen.
    change_seq BIGINT NOT NULL
);
CREATE INDEX items_public ON items (agency, status, column_key, published_on);
-- The 目录 and the 专栏's latest items: one agency's, newest first.
CREATE INDEX items_agency_published ON items (agency, status, published_on);
CREATE INDEX items_change ON items (change_seq);
CREATE INDEX items_interprets ON items (interprets);

CREATE TABLE item_steps (
    item BIGINT NOT NULL REFERENCES items(id),
    seq BIGINT NOT NULL,
    step TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item, seq)
);

CREATE TABLE attachments (
    id BIGINT PRIMARY KEY,
    item BIGINT NOT NULL REFERENCES items(id),
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    -- The text read from it, for the search.
    text TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_item ON attachments (item);

-- The particulars the 指南 is made from (JSON of gongkai_casework::disclosure::Profile).
CREATE TABLE agency_profiles (
    agency TEXT PRIMARY KEY REFERENCES agencies(name),
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The 指南 as edited: every version kept; the newest is shown.
CREATE TABLE guides (
    agency TEXT NOT NULL REFERENCES agencies(name),
    version BIGINT NOT NULL,
    body TEXT NOT NULL,
    edited_by TEXT NOT NULL,
    edited_at TEXT NOT NULL,
    PRIMARY KEY (agency, version)
);

-- Annual reports published in the 专栏: the report as published (gongkai's
-- JSON), every publication kept (a corrected report is a new version).
CREATE TABLE published_reports (
    agency TEXT NOT NULL REFERENCES agencies(name),
    year BIGINT NOT NULL,
    version BIGINT NOT NULL,
    published_on TEXT NOT NULL,
    published_by TEXT NOT NULL,
    report TEXT NOT NULL,
    errors BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    PRIMARY KEY (agency, year, version)
);

-- A normative document issued through the workflow is that item.
ALTER TABLE documents ADD COLUMN item BIGINT;
