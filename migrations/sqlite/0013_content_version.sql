-- Fast public pages (issue 15): one number that every change to what a public
-- page shows raises, in the changing transaction, by triggers on the tables those
-- pages read. A server keeps anonymous pages as rendered while the number stays
-- the same; every process sharing the database sees a change at its next look.
CREATE TABLE content_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO content_version (id, n) VALUES (1, 0);
CREATE TRIGGER networks_content_insert AFTER INSERT ON networks
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER networks_content_update AFTER UPDATE ON networks
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER networks_content_delete AFTER DELETE ON networks
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_content_insert AFTER INSERT ON events
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_content_update AFTER UPDATE ON events
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER events_content_delete AFTER DELETE ON events
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER event_organisations_content_insert AFTER INSERT ON event_organisations
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER event_organisations_content_update AFTER UPDATE ON event_organisations
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER event_organisations_content_delete AFTER DELETE ON event_organisations
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_content_insert AFTER INSERT ON organisations
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_content_update AFTER UPDATE ON organisations
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_content_delete AFTER DELETE ON organisations
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_content_insert AFTER INSERT ON memberships
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_content_update AFTER UPDATE ON memberships
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_content_delete AFTER DELETE ON memberships
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER people_content_insert AFTER INSERT ON people
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER people_content_update AFTER UPDATE ON people
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER people_content_delete AFTER DELETE ON people
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_rooms_content_insert AFTER INSERT ON agenda_rooms
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_rooms_content_update AFTER UPDATE ON agenda_rooms
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_rooms_content_delete AFTER DELETE ON agenda_rooms
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_versions_content_insert AFTER INSERT ON agenda_versions
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_versions_content_update AFTER UPDATE ON agenda_versions
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_versions_content_delete AFTER DELETE ON agenda_versions
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_published_content_insert AFTER INSERT ON agenda_published
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_published_content_update AFTER UPDATE ON agenda_published
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_published_content_delete AFTER DELETE ON agenda_published
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_changes_content_insert AFTER INSERT ON agenda_changes
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_changes_content_update AFTER UPDATE ON agenda_changes
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER agenda_changes_content_delete AFTER DELETE ON agenda_changes
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER outcome_reports_content_insert AFTER INSERT ON outcome_reports
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER outcome_reports_content_update AFTER UPDATE ON outcome_reports
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER outcome_reports_content_delete AFTER DELETE ON outcome_reports
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER report_files_content_insert AFTER INSERT ON report_files
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER report_files_content_update AFTER UPDATE ON report_files
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER report_files_content_delete AFTER DELETE ON report_files
BEGIN UPDATE content_version SET n = n + 1 WHERE id = 1; END;
