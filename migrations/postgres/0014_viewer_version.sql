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
-- Every server process LISTENs on convene_viewers too.
CREATE FUNCTION bump_viewer_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
BEGIN
    UPDATE viewer_version SET n = n + 1 WHERE id = 1 RETURNING n INTO v;
    PERFORM pg_notify('convene_viewers', v::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER sessions_viewers_delete AFTER DELETE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
-- Any change to a session but its touch; `last_seen_at` moved back counts (a kept
-- viewer remembers when it was last seen).
CREATE TRIGGER sessions_viewers_update AFTER UPDATE ON sessions FOR EACH ROW
    WHEN (NEW.last_seen_at < OLD.last_seen_at OR NEW.created_at <> OLD.created_at
          OR NEW.person_id <> OLD.person_id OR NEW.id_hash <> OLD.id_hash)
    EXECUTE FUNCTION bump_viewer_version();
CREATE TRIGGER accounts_viewers AFTER INSERT OR DELETE OR UPDATE OF person_id, secretariat, disabled_at
    ON accounts FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
CREATE TRIGGER people_viewers AFTER DELETE OR UPDATE OF id, full_name, email
    ON people FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
CREATE TRIGGER memberships_viewers AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
CREATE TRIGGER event_roles_viewers AFTER INSERT OR UPDATE OR DELETE ON event_roles
    FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
CREATE TRIGGER invitations_viewers AFTER INSERT OR DELETE OR UPDATE OF event_id, person_id, status
    ON invitations FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
CREATE TRIGGER events_viewers AFTER DELETE OR UPDATE OF id, status
    ON events FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
CREATE TRIGGER agenda_item_chairs_viewers AFTER INSERT OR UPDATE OR DELETE ON agenda_item_chairs
    FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
CREATE TRIGGER agenda_items_viewers AFTER DELETE OR UPDATE OF id, event_id
    ON agenda_items FOR EACH STATEMENT EXECUTE FUNCTION bump_viewer_version();
