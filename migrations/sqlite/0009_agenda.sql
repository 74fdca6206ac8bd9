-- Agenda (issue 12): rooms, the chairs' draft, and the published versions readers
-- see, with what changed in each.

CREATE TABLE agenda_rooms (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    capacity  INTEGER CHECK (capacity > 0),
    note      TEXT NOT NULL DEFAULT '',
    UNIQUE (event_id, name)
);

-- The draft the chairs edit. An item keeps its id for life: it is the item's
-- identity on the agenda page, in the changelog and in calendars.
CREATE TABLE agenda_items (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('plenary_session', 'presentation', 'panel',
                     'workshop', 'break', 'meal', 'reception', 'closed_session')),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    room_id      INTEGER REFERENCES agenda_rooms (id) ON DELETE SET NULL,
    visibility   TEXT NOT NULL CHECK (visibility IN ('public', 'registered',
                     'members_and_partners', 'members_only', 'organisers_only')),
    capacity     INTEGER CHECK (capacity > 0),
    moderator_id INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX agenda_items_event ON agenda_items (event_id, starts_at);

-- Speakers in order: a person of the directory, or a name with an organisation.
CREATE TABLE agenda_speakers (
    item_id      INTEGER NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    person_id    INTEGER REFERENCES people (id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (item_id, position),
    CHECK (person_id IS NOT NULL OR name <> '')
);

-- Each publication of an event's agenda: numbered 1, 2, 3…
CREATE TABLE agenda_versions (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    published_by INTEGER REFERENCES people (id) ON DELETE SET NULL,
    UNIQUE (event_id, number)
);

-- What readers see: every item as the last version that had it published it, its
-- speakers and room written in (a later edit of the draft changes nothing here).
-- A removed item stays, marked with the version that removed it, so calendars can
-- be told it is cancelled. `sequence` rises with every published change of the item.
CREATE TABLE agenda_published (
    item_id      INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    room_name    TEXT NOT NULL,
    visibility   TEXT NOT NULL,
    capacity     INTEGER,
    -- JSON: [{"name": …, "organisation": …}] with the moderator last, marked.
    people       TEXT NOT NULL,
    sequence     INTEGER NOT NULL,
    added_in     INTEGER NOT NULL,
    changed_in   INTEGER NOT NULL,
    removed_in   INTEGER,
    modified_at  TEXT NOT NULL
);
CREATE INDEX agenda_published_event ON agenda_published (event_id, starts_at);

-- What each version changed, item by item: added, removed, moved (time or room),
-- changed (anything else). Titles are not copied here: readers see a change
-- through the item's published row, as much of it as they may see.
CREATE TABLE agenda_changes (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    item_id   INTEGER NOT NULL,
    change    TEXT NOT NULL CHECK (change IN ('added', 'removed', 'moved', 'changed')),
    PRIMARY KEY (event_id, number, item_id)
);
