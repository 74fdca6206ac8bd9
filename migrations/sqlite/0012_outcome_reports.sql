-- Outcome reports (issue 14). One row per version of an event's report: a
-- correction of an approved report is a new version that goes through approval
-- again. Texts are the chairs' Markdown; the annex is for members only.
CREATE TABLE outcome_reports (
    id             INTEGER PRIMARY KEY,
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    status         TEXT NOT NULL
                   CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'published')),
    summary        TEXT NOT NULL DEFAULT '',
    conclusions    TEXT NOT NULL DEFAULT '',
    next_steps     TEXT NOT NULL DEFAULT '',
    annex          TEXT NOT NULL DEFAULT '',
    -- For a correction: what changed since the version before (said in its mail).
    change_note    TEXT NOT NULL DEFAULT '',
    -- The secretariat's comments when it returned the report.
    review_comment TEXT NOT NULL DEFAULT '',
    -- The attendance figures as submitted (JSON), frozen with the text.
    attendance     TEXT,
    created_by     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    submitted_by   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    submitted_at   TEXT,
    approved_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    approved_at    TEXT,
    published_at   TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (event_id, version)
);

-- Files of a report version (PDF, ODT, DOCX), kept in the database so that every
-- server process serves them and a backup holds them. A correction copies them.
CREATE TABLE report_files (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES outcome_reports (id) ON DELETE CASCADE,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    -- Part of the members-only annex.
    members_only INTEGER NOT NULL DEFAULT 0 CHECK (members_only IN (0, 1)),
    data         BLOB NOT NULL,
    uploaded_by  INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX report_files_report ON report_files (report_id);

-- Each press of "send": to whom (the groups chosen) and by whom. The messages
-- themselves are outbox rows keyed `report:VERSION-ID:person:ID`.
CREATE TABLE report_sendings (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES outcome_reports (id) ON DELETE CASCADE,
    groups     TEXT NOT NULL,
    queued     INTEGER NOT NULL,
    sent_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX report_sendings_report ON report_sendings (report_id);
