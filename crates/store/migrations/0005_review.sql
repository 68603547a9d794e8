-- The supervising office's review of annual reports: agencies gain their
-- region and level, their former names (机构改革) and whether they are on
-- the portal (an agency known only to the review has no 专栏 here); the
-- report files a supervisor collects are kept with their bytes, each report
-- in them matched to an agency and year, or listed with its problem.

ALTER TABLE agencies ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN level TEXT NOT NULL DEFAULT '';
-- 1: on the portal; 0: known only to a supervisor's review.
ALTER TABLE agencies ADD COLUMN on_portal BIGINT NOT NULL DEFAULT 1;

CREATE TABLE agency_names (
    agency TEXT NOT NULL REFERENCES agencies(name),
    former TEXT NOT NULL,
    PRIMARY KEY (agency, former)
);

CREATE TABLE review_files (
    id BIGINT PRIMARY KEY,
    -- The supervising agency that collected it.
    supervisor TEXT NOT NULL REFERENCES agencies(name),
    batch BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    -- The report's place in its file: 0 for a file of one report, else the
    -- row of a collection workbook.
    part BIGINT NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    -- The agency as the report names it.
    named TEXT NOT NULL DEFAULT '',
    agency TEXT REFERENCES agencies(name),
    year BIGINT,
    published_on TEXT,
    -- 'matched', 'unmatched', 'ambiguous', 'unreadable', 'no_year', 'duplicate'.
    status TEXT NOT NULL,
    problem TEXT NOT NULL DEFAULT '',
    -- The report as read (gongkai's JSON), when it could be read.
    report TEXT,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX review_files_supervisor ON review_files (supervisor, status, year);
CREATE INDEX review_files_agency ON review_files (agency, year);
-- A file collected twice is found by its hash.
CREATE INDEX review_files_hash ON review_files (supervisor, sha256);
