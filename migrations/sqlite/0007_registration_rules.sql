-- Registration rules (issue 11): who may register without an invitation,
-- moderation, delegation quotas per Member State, and the organisers' own
-- questions with the participants' answers.

-- Membership categories whose active members of the event's network may register
-- without an invitation, comma-separated ('national_contact_point,observer'); empty:
-- by invitation only.
ALTER TABLE events ADD COLUMN open_to TEXT NOT NULL DEFAULT '';
-- Registrations wait for an organiser's approval before they hold a place.
ALTER TABLE events ADD COLUMN moderated INTEGER NOT NULL DEFAULT 0;

-- Registrations gain two states: awaiting approval, and rejected (with the
-- organisers' message), and who registered them when it was not themselves (the
-- National Contact Point registering their delegation) with the role given.
-- SQLite changes a CHECK only by copying the table.
CREATE TABLE registrations_new (
    id                INTEGER PRIMARY KEY,
    event_id          INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waitlisted', 'rejected', 'cancelled')),
    waitlist_position INTEGER,
    attendance        TEXT NOT NULL CHECK (attendance IN ('in_person', 'online')),
    dietary           TEXT NOT NULL DEFAULT '',
    accessibility     TEXT NOT NULL DEFAULT '',
    privacy_version   TEXT NOT NULL,
    list_consent      INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    cancelled_at      TEXT,
    registered_by     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    delegation_role   TEXT NOT NULL DEFAULT '',
    decision_message  TEXT NOT NULL DEFAULT '',
    UNIQUE (event_id, person_id),
    CHECK ((status = 'waitlisted') = (waitlist_position IS NOT NULL))
);
INSERT INTO registrations_new (id, event_id, person_id, status, waitlist_position, attendance,
        dietary, accessibility, privacy_version, list_consent, created_at, updated_at, cancelled_at)
    SELECT id, event_id, person_id, status, waitlist_position, attendance, dietary, accessibility,
        privacy_version, list_consent, created_at, updated_at, cancelled_at FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
CREATE INDEX registrations_person ON registrations (person_id);
CREATE INDEX registrations_registered_by ON registrations (registered_by);
CREATE UNIQUE INDEX registrations_waitlist ON registrations (event_id, waitlist_position)
    WHERE waitlist_position IS NOT NULL;

-- The organisers' own questions on the registration form, in order.
CREATE TABLE registration_questions (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('short_text', 'long_text', 'single_choice', 'multiple_choice', 'checkbox')),
    label      TEXT NOT NULL,
    -- The choices of a single or multiple choice, one per line.
    choices    TEXT NOT NULL DEFAULT '',
    required   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (event_id, position)
);

-- A participant's answer to one question (several choices: one per line).
CREATE TABLE registration_answers (
    question_id INTEGER NOT NULL REFERENCES registration_questions (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    answer      TEXT NOT NULL,
    PRIMARY KEY (question_id, person_id)
);
CREATE INDEX registration_answers_person ON registration_answers (person_id);
