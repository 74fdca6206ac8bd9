-- Signed-in pages without reading the session each time (issue 15): one number
-- that every change to who a session's person is or what they may do raises, in
-- the changing transaction, by triggers on what `platform::auth` reads of a
-- session (the session itself, the account, the person, memberships, event roles,
-- live invitations to events that are not drafts, the workshops they chair). A
-- server keeps each session's viewer while the number stays the same; every
-- process sharing the database sees a change at its next look, like
-- `content_version`. A session's touch (its `last_seen_at` moved on) and a new
-- session change nothing kept, and raise nothing.
CREATE TABLE viewer_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO viewer_version (id, n) VALUES (1, 0);
-- SQLite times are RFC 3339 text in UTC, which sorts as the instants do.
CREATE TRIGGER sessions_viewers_delete AFTER DELETE ON sessions
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER sessions_viewers_update AFTER UPDATE ON sessions
    WHEN NEW.last_seen_at < OLD.last_seen_at OR NEW.created_at IS NOT OLD.created_at
    OR NEW.person_id IS NOT OLD.person_id OR NEW.id_hash IS NOT OLD.id_hash
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_viewers_insert AFTER INSERT ON accounts
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_viewers_delete AFTER DELETE ON accounts
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER accounts_viewers_update AFTER UPDATE OF person_id, secretariat, disabled_at ON accounts
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER people_viewers_delete AFTER DELETE ON people
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER people_viewers_update AFTER UPDATE OF id, full_name, email ON people
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_viewers_insert AFTER INSERT ON memberships
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_viewers_delete AFTER DELETE ON memberships
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_viewers_update AFTER UPDATE ON memberships
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER event_roles_viewers_insert AFTER INSERT ON event_roles
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER event_roles_viewers_delete AFTER DELETE ON event_roles
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER event_roles_viewers_update AFTER UPDATE ON event_roles
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER invitations_viewers_insert AFTER INSERT ON invitations
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER invitations_viewers_delete AFTER DELETE ON invitations
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER invitations_viewers_update AFTER UPDATE OF event_id, person_id, status ON invitations
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_viewers_delete AFTER DELETE ON events
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_viewers_update AFTER UPDATE OF id, status ON events
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_item_chairs_viewers_insert AFTER INSERT ON agenda_item_chairs
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_item_chairs_viewers_delete AFTER DELETE ON agenda_item_chairs
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_item_chairs_viewers_update AFTER UPDATE ON agenda_item_chairs
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_items_viewers_delete AFTER DELETE ON agenda_items
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_items_viewers_update AFTER UPDATE OF id, event_id ON agenda_items
BEGIN UPDATE viewer_version SET n = n + 1 WHERE id = 1; END;
