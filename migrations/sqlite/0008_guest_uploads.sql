-- A guests' spreadsheet read for inviting (issue 11): kept as its preview until the
-- organiser confirms it (then it is deleted) or for a day at most.
CREATE TABLE guest_uploads (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    uploaded_by INTEGER REFERENCES people (id) ON DELETE CASCADE,
    -- The preview as JSON: the valid rows and each refused line with why.
    preview     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX guest_uploads_event ON guest_uploads (event_id);
