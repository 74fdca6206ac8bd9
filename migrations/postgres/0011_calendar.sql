-- Calendar feeds (issue 13): the secret of each person's personal feed, stored
-- only as its hash. One per person: regenerating replaces it, revoking deletes
-- it; an erased person's goes with them.
CREATE TABLE calendar_tokens (
    person_id  BIGINT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

-- A personal feed reads all of its person's workshop choices at once.
CREATE INDEX agenda_signups_by_person ON agenda_signups (person_id);
