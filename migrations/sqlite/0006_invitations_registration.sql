-- Invitations and registration (issue 11).

-- Raised whenever a change to the event (its times, venue or title) should reach
-- the calendars of the people invited: the SEQUENCE of the iCalendar updates.
ALTER TABLE events ADD COLUMN calendar_sequence INTEGER NOT NULL DEFAULT 0;

-- One invitation per person and event. The invitee answers through a personal
-- link (guest_links); the invitation records what they answered.
CREATE TABLE invitations (
    id               INTEGER PRIMARY KEY,
    event_id         INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    invited_by       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    -- How they came to be invited: a membership category, or 'person'.
    invited_as       TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('invited', 'accepted', 'declined', 'revoked')),
    -- The invitee's message when declining.
    message          TEXT,
    created_at       TEXT NOT NULL,
    opened_at        TEXT,
    answered_at      TEXT,
    last_reminded_at TEXT,
    UNIQUE (event_id, person_id)
);
CREATE INDEX invitations_person ON invitations (person_id);

-- One registration per person and event. Confirmed in-person registrations never
-- exceed the event's capacity; the waiting list is numbered 1, 2, 3… without gaps
-- or repeats (the unique index refuses repeats outright).
CREATE TABLE registrations (
    id                INTEGER PRIMARY KEY,
    event_id          INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id         INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    status            TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    waitlist_position INTEGER,
    attendance        TEXT NOT NULL CHECK (attendance IN ('in_person', 'online')),
    dietary           TEXT NOT NULL DEFAULT '',
    accessibility     TEXT NOT NULL DEFAULT '',
    -- The version of the privacy notice the person agreed to.
    privacy_version   TEXT NOT NULL,
    list_consent      INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    cancelled_at      TEXT,
    UNIQUE (event_id, person_id),
    CHECK ((status = 'waitlisted') = (waitlist_position IS NOT NULL))
);
CREATE INDEX registrations_person ON registrations (person_id);
CREATE UNIQUE INDEX registrations_waitlist ON registrations (event_id, waitlist_position)
    WHERE waitlist_position IS NOT NULL;

-- The attendance register: who was present, excused or absent on each day of the
-- meeting (checked in on the day; outcome reports draw on it).
CREATE TABLE attendance_register (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('present', 'excused', 'absent')),
    recorded_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (event_id, person_id, day)
);
CREATE INDEX attendance_register_person ON attendance_register (person_id);
