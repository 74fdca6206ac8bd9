-- Fast public pages (issue 15): one number that every change to what a public
-- page shows raises, in the changing transaction, by triggers on the tables those
-- pages read. A server keeps anonymous pages as rendered while the number stays
-- the same; every process sharing the database sees a change at its next look.
CREATE TABLE content_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 0);
-- Every server process LISTENs on convene_content: the new number reaches them
-- when the writing transaction commits.
CREATE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v BIGINT;
BEGIN
    UPDATE content_version SET n = n + 1 WHERE id = 1 RETURNING n INTO v;
    PERFORM pg_notify('convene_content', v::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER networks_content AFTER INSERT OR UPDATE OR DELETE ON networks
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER events_content AFTER INSERT OR UPDATE OR DELETE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER event_organisations_content AFTER INSERT OR UPDATE OR DELETE ON event_organisations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER organisations_content AFTER INSERT OR UPDATE OR DELETE ON organisations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER memberships_content AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER people_content AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER agenda_rooms_content AFTER INSERT OR UPDATE OR DELETE ON agenda_rooms
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER agenda_versions_content AFTER INSERT OR UPDATE OR DELETE ON agenda_versions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER agenda_published_content AFTER INSERT OR UPDATE OR DELETE ON agenda_published
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER agenda_changes_content AFTER INSERT OR UPDATE OR DELETE ON agenda_changes
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER outcome_reports_content AFTER INSERT OR UPDATE OR DELETE ON outcome_reports
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
CREATE TRIGGER report_files_content AFTER INSERT OR UPDATE OR DELETE ON report_files
    FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version();
