-- A supervising office's thresholds for its review: when a section counts
-- as copied (the share of its own wording found elsewhere, and the fewest
-- characters compared) and when a change from the year before counts as
-- large (the share and the fewest items). None kept: the review's defaults.
CREATE TABLE review_settings (
    supervisor TEXT PRIMARY KEY REFERENCES agencies(name),
    copy_threshold DOUBLE PRECISION NOT NULL,
    copy_min_chars BIGINT NOT NULL,
    change_ratio DOUBLE PRECISION NOT NULL,
    change_items BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
