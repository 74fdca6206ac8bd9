-- Agenda, second part (issue 12): descriptions rendered once when published,
-- workshop sign-up, and workshop chairs.

-- The published description as HTML, rendered from its Markdown and cleaned when
-- the version is published: readers' pages never render or clean anything.
ALTER TABLE agenda_published ADD COLUMN description_html TEXT NOT NULL DEFAULT '';

-- Registered participants' choices of published workshops. A choice points at the
-- published item (what the participant saw), kept when the item is removed so that
-- "my agenda" can say it was cancelled.
CREATE TABLE agenda_signups (
    item_id    INTEGER NOT NULL REFERENCES agenda_published (item_id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (item_id, person_id)
);
CREATE INDEX agenda_signups_person ON agenda_signups (event_id, person_id);

-- The chairs of one workshop: they edit its title, description and speakers only.
CREATE TABLE agenda_item_chairs (
    item_id   INTEGER NOT NULL REFERENCES agenda_items (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, person_id)
);
CREATE INDEX agenda_item_chairs_person ON agenda_item_chairs (person_id);
