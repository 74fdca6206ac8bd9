//! One change, one transaction: when any write of a change fails — its mail, its
//! audit entry — nothing of the change remains. A trigger made for the test refuses
//! one insert, on each backend.
use crate::helpers::*;
use app::on_pool;
use app::platform::{Backend, Store};

async fn scalar(store: &Store, sql: &str) -> i64 {
    on_pool!(store, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

/// Makes every insert into `table` (matching `when`, a condition on NEW) fail.
async fn refuse_inserts(store: &Store, table: &str, when: &str) {
    match store.backend() {
        Backend::Sqlite(pool) => {
            sqlx::raw_sql(&format!(
                "CREATE TRIGGER test_refuse_{table} BEFORE INSERT ON {table} WHEN {when}
                 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;"
            ))
            .execute(pool)
            .await
            .unwrap();
        }
        Backend::Postgres(pool) => {
            sqlx::raw_sql(&format!(
                "CREATE FUNCTION test_refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                 CREATE TRIGGER test_refuse_{table} BEFORE INSERT ON {table}
                 FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION test_refuse_{table}();"
            ))
            .execute(pool)
            .await
            .unwrap();
        }
    }
}

async fn person_id(store: &Store, email: &str) -> i64 {
    on_pool!(store, pool => {
        sqlx::query_scalar::<_, i64>("SELECT id FROM people WHERE email = $1")
            .bind(email).fetch_one(pool).await.unwrap()
    })
}

crate::on_both_backends! { TestApp;

    async fn when_the_mail_of_a_change_cannot_be_queued_the_change_and_its_audit_entry_are_gone(app) {
        let admin = app.demo(SECRETARIAT).await;
        let res = app.form("/api/admin/save_person", &[
            ("id", "0"), ("full_name", "Rui Almeida"), ("email", "rui.almeida@pgr.demo.example"),
            ("title", ""), ("organisation_id", ""), ("member_state", "PT"),
        ], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 302);
        let rui = person_id(&app.store, "rui.almeida@pgr.demo.example").await;
        let audits = scalar(&app.store, "SELECT COUNT(*) FROM audit_log").await;
        refuse_inserts(&app.store, "mail_outbox", "1 = 1").await;
        let res = app.form("/api/admin/account_action", &[("person_id", &rui.to_string()), ("action", "create")], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 500, "the failure is reported");
        let body = res.text().await.unwrap();
        assert!(body.contains("quote reference"), "as an opaque message: {body}");
        assert!(!body.contains("refused by the test"), "never the cause");
        assert_eq!(scalar(&app.store, &format!("SELECT COUNT(*) FROM accounts WHERE person_id = {rui}")).await, 0, "no account");
        assert_eq!(scalar(&app.store, &format!("SELECT COUNT(*) FROM auth_tokens WHERE person_id = {rui}")).await, 0, "no token");
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM audit_log").await, audits, "no audit entry");
    }

    async fn when_the_audit_entry_of_a_change_cannot_be_written_the_change_is_gone(app) {
        let admin = app.demo(SECRETARIAT).await;
        let partner = person_id(&app.store, PARTNER).await;
        let network = scalar(&app.store, "SELECT id FROM networks WHERE slug = 'thb-focus-group'").await;
        let before = scalar(&app.store, &format!("SELECT COUNT(*) FROM memberships WHERE person_id = {partner}")).await;
        refuse_inserts(&app.store, "audit_log", "NEW.action = 'membership_added'").await;
        let res = app.form("/api/admin/add_membership", &[
            ("person_id", &partner.to_string()), ("network_id", &network.to_string()), ("category", "associate_partner"),
            ("member_state", ""), ("active_from", ""), ("active_to", ""),
        ], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 500);
        assert_eq!(scalar(&app.store, &format!("SELECT COUNT(*) FROM memberships WHERE person_id = {partner}")).await, before,
            "the membership was not added without its audit entry");
        // The same change succeeds once the audit log takes entries again.
        refuse_inserts_off(&app.store, "audit_log").await;
        let res = app.form("/api/admin/add_membership", &[
            ("person_id", &partner.to_string()), ("network_id", &network.to_string()), ("category", "associate_partner"),
            ("member_state", ""), ("active_from", ""), ("active_to", ""),
        ], Some(&admin)).await;
        assert_eq!(res.status().as_u16(), 302);
        assert_eq!(scalar(&app.store, &format!("SELECT COUNT(*) FROM memberships WHERE person_id = {partner}")).await, before + 1);
        assert_eq!(scalar(&app.store, "SELECT COUNT(*) FROM audit_log WHERE action = 'membership_added'").await, 1);
    }
}

async fn refuse_inserts_off(store: &Store, table: &str) {
    let sql = match store.backend() {
        Backend::Sqlite(_) => format!("DROP TRIGGER test_refuse_{table}"),
        Backend::Postgres(_) => format!("DROP TRIGGER test_refuse_{table} ON {table}"),
    };
    on_pool!(store, pool => { sqlx::raw_sql(&sql).execute(pool).await.unwrap(); });
}
