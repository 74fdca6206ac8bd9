-- Foundation: organisations, people, networks, memberships, events.
-- Times are UTC (TEXT in RFC 3339 as sqlx writes them); each event keeps its IANA zone.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    short_name TEXT,
    kind       TEXT NOT NULL,
    country    TEXT
);

CREATE TABLE people (
    id              INTEGER PRIMARY KEY,
    full_name       TEXT NOT NULL,
    email           TEXT NOT NULL UNIQUE,
    title           TEXT,
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    member_state    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

CREATE TABLE networks (
    id                   INTEGER PRIMARY KEY,
    slug                 TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    short_name           TEXT NOT NULL,
    established          TEXT NOT NULL,
    summary              TEXT NOT NULL,
    mandate              TEXT NOT NULL,
    priorities           TEXT NOT NULL,
    host_organisation_id INTEGER REFERENCES organisations (id) ON DELETE SET NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

CREATE TABLE memberships (
    id           INTEGER PRIMARY KEY,
    network_id   INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    member_state TEXT,
    active_from  TEXT,
    active_to    TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (network_id, person_id, category)
);
CREATE INDEX memberships_person ON memberships (person_id);

CREATE TABLE events (
    id                     INTEGER PRIMARY KEY,
    network_id             INTEGER NOT NULL REFERENCES networks (id) ON DELETE CASCADE,
    slug                   TEXT NOT NULL,
    title                  TEXT NOT NULL,
    kind                   TEXT NOT NULL,
    status                 TEXT NOT NULL,
    summary                TEXT NOT NULL,
    starts_at              TEXT NOT NULL,
    ends_at                TEXT NOT NULL,
    time_zone              TEXT NOT NULL,
    venue                  TEXT NOT NULL,
    online_link            TEXT,
    chair_label            TEXT,
    capacity               INTEGER,
    delegation_quota       INTEGER,
    registration_opens_at  TEXT,
    registration_closes_at TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    UNIQUE (network_id, slug),
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_starts_at ON events (starts_at);

CREATE TABLE event_organisations (
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    PRIMARY KEY (event_id, organisation_id, role)
);

CREATE TABLE event_roles (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    PRIMARY KEY (event_id, person_id, role)
);
