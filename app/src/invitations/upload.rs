//! Inviting guests from a spreadsheet: a CSV file of name, e-mail address,
//! organisation and Member State is read into a preview that names every bad row
//! by its line number and why; nothing is imported until the organiser confirms
//! the preview.
use leptos::server_fn;
use serde::{Deserialize, Serialize};

/// The largest file read (a spreadsheet of a few thousand guests).
pub const MAX_BYTES: usize = 512 * 1024;
/// The most guests one file invites.
pub const MAX_ROWS: usize = 2000;

/// One guest to invite, as read from a valid row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuestRow {
    pub line: usize,
    pub name: String,
    pub email: String,
    pub organisation: String,
    /// The Member State's code ("DE"), or empty.
    pub member_state: String,
}

/// What a file gave: the guests to invite, and each refused line with why.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub rows: Vec<GuestRow>,
    pub problems: Vec<(usize, String)>,
}

/// Splits CSV text into records of fields, with their first line number: commas or
/// semicolons (as spreadsheet programs in much of Europe write), double quotes
/// around fields that hold separators, quotes or line breaks, a byte-order mark.
fn records(text: &str) -> Vec<(usize, Vec<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut out = Vec::new();
    let (mut line, mut start) = (1usize, 1usize);
    let mut field = String::new();
    let mut fields = Vec::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            c if c == sep && !quoted => fields.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            '\n' if !quoted => {
                fields.push(std::mem::take(&mut field));
                out.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            '\n' => {
                line += 1;
                field.push(c);
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    out.retain(|(_, f)| f.iter().any(|v| !v.trim().is_empty()));
    out
}

/// Reads a guests' file. A first row naming the columns is recognised and skipped;
/// each other row needs a name and a valid address; the organisation is optional;
/// the Member State, when given, is a code ("DE") or a name ("Germany"). An
/// address twice in the file, or already invited (`invited` holds those addresses,
/// lower-cased), is refused at its line.
pub fn read(text: &str, invited: &std::collections::HashSet<String>) -> Preview {
    use crate::domain::{EmailAddress, MemberState};
    let mut p = Preview::default();
    let mut seen = std::collections::HashMap::new();
    for (i, (line, f)) in records(text).into_iter().enumerate() {
        let cell = |n: usize| f.get(n).map(|s| s.trim().to_owned()).unwrap_or_default();
        if i == 0 && cell(1).to_lowercase().contains("mail") && !cell(1).contains('@') {
            continue; // the header
        }
        if p.rows.len() >= MAX_ROWS {
            p.problems.push((
                line,
                format!("More than {MAX_ROWS} guests: split the file."),
            ));
            break;
        }
        let name = cell(0);
        let problem = if name.is_empty() {
            Some("No name in the first column.".to_owned())
        } else if let Err(e) = crate::domain::required_text("name", &name, "a name", 200) {
            Some(e.message)
        } else {
            None
        };
        if let Some(why) = problem {
            p.problems.push((line, why));
            continue;
        }
        let email = match EmailAddress::parse(cell(1)) {
            Ok(e) => e.as_str().to_owned(),
            Err(_) if cell(1).is_empty() => {
                p.problems
                    .push((line, "No e-mail address in the second column.".into()));
                continue;
            }
            Err(_) => {
                p.problems.push((
                    line,
                    format!(
                        "\u{201c}{}\u{201d} is not a valid e-mail address.",
                        cell(1).chars().take(80).collect::<String>()
                    ),
                ));
                continue;
            }
        };
        let key = email.to_lowercase();
        if let Some(first) = seen.get(&key) {
            p.problems.push((
                line,
                format!("{email} is already on line {first} of this file."),
            ));
            continue;
        }
        seen.insert(key.clone(), line);
        if invited.contains(&key) {
            p.problems
                .push((line, format!("{email} is already invited to this event.")));
            continue;
        }
        let organisation = match crate::domain::optional_text("organisation", &cell(2), 200) {
            Ok(o) => o.unwrap_or_default(),
            Err(e) => {
                p.problems.push((line, e.message));
                continue;
            }
        };
        let state = cell(3);
        let member_state = if state.is_empty() {
            String::new()
        } else {
            match MemberState::parse(&state.to_uppercase())
                .ok()
                .or_else(|| MemberState::all().find(|m| m.name().eq_ignore_ascii_case(&state)))
            {
                Some(m) => m.code().to_owned(),
                None => {
                    p.problems.push((
                        line,
                        format!(
                            "\u{201c}{}\u{201d} is not a Member State: give its code (DE) or its name (Germany), or leave it empty.",
                            state.chars().take(60).collect::<String>()
                        ),
                    ));
                    continue;
                }
            }
        };
        p.rows.push(GuestRow {
            line,
            name,
            email,
            organisation,
            member_state,
        });
    }
    p
}

/// `/events/:id/invitations/upload`: the form, and the preview of a file read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadData {
    pub event_id: i64,
    pub title: String,
    /// The preview being confirmed, with its id.
    pub preview: Option<(i64, Preview)>,
    /// Why invitations cannot go out now, if they cannot.
    pub closed_reason: Option<String>,
    /// A message about the file sent (too large, unreadable).
    pub error: Option<String>,
    pub form: crate::ui::FormState,
}

crate::ui::form_fields!(
    /// Confirming a preview: invites its guests.
    ImportForm, "import", secret [] { upload_id }
);

/// `/events/:id/invitations/upload`: the upload form, or the preview of the file
/// just read (`preview`), or why the file could not be read (`error`).
#[leptos::server(endpoint = "guest_upload_page", input = server_fn::codec::GetUrl)]
pub async fn guest_upload_page(
    event_id: i64,
    preview: Option<i64>,
    error: Option<String>,
) -> Result<UploadData, crate::AppError> {
    let (state, viewer, e) = crate::events::managed(event_id).await?;
    let now = state.clock.now();
    let preview = match preview {
        Some(id) => store::load(&state.store, id, event_id, viewer.person_id, now)
            .await?
            .map(|p| (id, p)),
        None => None,
    };
    Ok(UploadData {
        event_id,
        title: e.title.clone(),
        closed_reason: match super::api::may_invite(&e, now) {
            Err(crate::AppError::Conflict(why)) => Some(why),
            _ => None,
        },
        error: error.as_deref().map(|code| match code {
            "too_large" => format!(
                "The file is larger than {} KB: split it into several files.",
                MAX_BYTES / 1024
            ),
            "not_text" => {
                "The file is not text: save the spreadsheet as CSV (UTF-8) and choose that file."
                    .to_owned()
            }
            "empty" => "Choose a CSV file to read.".to_owned(),
            _ => "The file could not be read.".to_owned(),
        }),
        preview,
        form: crate::platform::forms::take::<ImportForm>().await,
    })
}

/// Invites the guests of a confirmed preview: each found in the directory by
/// address or added as a guest (with their organisation when the directory knows
/// it, and their Member State), invited with a personal link by mail; all in one
/// transaction with the audit entry, and the preview deleted with it, so a second
/// click imports nothing twice.
#[leptos::server(endpoint = "import_guests")]
pub async fn import_guests(
    event_id: i64,
    #[server(flatten)] form: ImportForm,
) -> Result<(), crate::AppError> {
    use crate::platform::{audit, forms};
    use crate::AppError;
    let back = format!("/events/{event_id}/invitations/upload");
    forms::submit_managing(event_id, &form, back.clone(), async |state, viewer| {
        let e = crate::events::store::event_record(&state.store, event_id).await?;
        let now = state.clock.now();
        super::api::may_invite(&e, now)?;
        let id: i64 = form
            .upload_id
            .trim()
            .parse()
            .map_err(|_| AppError::NotFound)?;
        let mut tx = state.store.begin().await?;
        let Some(preview) = store::take(&mut tx, id, event_id, viewer.person_id, now).await? else {
            return Err(AppError::Conflict(
                "This file was imported already, or is older than a day: read it again.".into(),
            ));
        };
        let (mut invited, mut added) = (0, 0);
        for row in &preview.rows {
            let known = super::api::server::person_in(&mut tx, &row.email).await?;
            let (person, name, email) = match known {
                Some(k) => k,
                None => {
                    let organisation_id = match row.organisation.as_str() {
                        "" => None,
                        o => crate::organisations::store::find_by_name(&mut tx, o).await?,
                    };
                    let person = super::api::server::add_guest(
                        &mut tx,
                        viewer.person_id,
                        &crate::directory::store::PersonInput {
                            full_name: &row.name,
                            email: &row.email,
                            title: None,
                            organisation_id,
                            member_state: (!row.member_state.is_empty())
                                .then_some(row.member_state.as_str()),
                        },
                        format!("as a guest of event {event_id}, from a file"),
                        now,
                    )
                    .await?;
                    added += 1;
                    (person, row.name.clone(), row.email.clone())
                }
            };
            if super::store::invite_person(&mut tx, event_id, person, viewer.person_id, now)
                .await?
                .is_some()
            {
                super::api::server::send_link_mail(
                    &mut tx,
                    &state,
                    &e,
                    person,
                    &name,
                    &email,
                    &viewer.name,
                    super::api::server::LinkMail::Invitation,
                )
                .await?;
                invited += 1;
            }
        }
        audit::record(
            &mut tx,
            audit::Entry::new(Some(viewer.person_id), "invitations_sent")
                .on("event", event_id)
                .detail(format!(
                    "{invited} from a file ({added} new to the directory)"
                )),
            now,
        )
        .await?;
        tx.commit().await?;
        state.mailer.wake();
        Ok(
            forms::Done::to(format!("/events/{event_id}/invitations")).with_notice(format!(
                "{} from the file, {} new to the directory; the invitations are on their way.",
                crate::ui::count_sentence(invited, "guest invited", "guests invited"),
                added
            )),
        )
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_row_is_named_by_its_line_and_the_good_ones_are_kept() {
        let invited: std::collections::HashSet<String> =
            ["old@example.eu".to_owned()].into_iter().collect();
        let text = "\u{feff}Name;E-mail;Organisation;Member State\r\n\
                    Anna Schmidt;anna@example.eu;\"Staatsanwaltschaft; Köln\";DE\r\n\
                    Jean Martin;not-an-address;;FR\r\n\
                    ;nobody@example.eu;;\r\n\
                    Marie Curie;ANNA@example.eu;;Poland\r\n\
                    Old Friend;old@example.eu;;\r\n\
                    Piet Jansen;piet@example.eu;;Atlantis\r\n\
                    \r\n\
                    \"Lena \"\"the judge\"\" Vogel\";lena@example.eu;;germany\r\n";
        let p = read(text, &invited);
        let lines: Vec<usize> = p.problems.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7], "{:?}", p.problems);
        assert!(p.problems[0].1.contains("not a valid e-mail address"));
        assert!(p.problems[1].1.contains("No name"));
        assert!(
            p.problems[2].1.contains("already on line 2"),
            "a duplicate in any case"
        );
        assert!(p.problems[3].1.contains("already invited"));
        assert!(p.problems[4].1.contains("not a Member State"));
        assert_eq!(p.rows.len(), 2);
        assert_eq!(
            p.rows[0].organisation, "Staatsanwaltschaft; Köln",
            "a quoted separator"
        );
        assert_eq!(p.rows[0].member_state, "DE");
        assert_eq!(p.rows[1].name, "Lena \"the judge\" Vogel");
        assert_eq!(
            (p.rows[1].line, p.rows[1].member_state.as_str()),
            (9, "DE"),
            "a name, any case"
        );
    }

    #[test]
    fn commas_and_no_header_work_too() {
        let p = read("A B,a@b.eu,,\nC D,c@d.eu,Org,nl\n", &Default::default());
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[1].member_state, "NL");
        assert!(p.problems.is_empty());
    }
}

#[cfg(feature = "ssr")]
pub mod store {
    //! The previews waiting for confirmation.
    use super::Preview;
    use crate::platform::db::{Store, StoreResult, Tx};
    use crate::{on_pool, on_tx};
    use chrono::{DateTime, Utc};

    /// Keeps a preview (and forgets those older than a day); returns its id.
    pub async fn save(
        store: &Store,
        event_id: i64,
        by: i64,
        preview: &Preview,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let json = serde_json::to_string(preview)
            .map_err(|e| crate::platform::db::StoreError::Other(e.into()))?;
        Ok(on_pool!(store, pool => {
            sqlx::query("DELETE FROM guest_uploads WHERE created_at < $1")
                .bind(now - chrono::Duration::days(1))
                .execute(pool)
                .await?;
            sqlx::query_scalar(
                "INSERT INTO guest_uploads (event_id, uploaded_by, preview, created_at)
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(event_id)
            .bind(by)
            .bind(json)
            .bind(now)
            .fetch_one(pool)
            .await?
        }))
    }

    /// A preview of this event uploaded by this person, if it is not a day old.
    pub async fn load(
        store: &Store,
        id: i64,
        event_id: i64,
        by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Preview>> {
        let sql = format!("SELECT preview FROM guest_uploads WHERE {USABLE}");
        let json: Option<String> = on_pool!(store, pool => {
            sqlx::query_scalar(&sql)
                .bind(id)
                .bind(event_id)
                .bind(by)
                .bind(now - chrono::Duration::days(1))
                .fetch_optional(pool)
                .await?
        });
        decoded(json)
    }

    /// A preview its uploader may still use: (id, event, uploader, a day ago).
    const USABLE: &str = "id = $1 AND event_id = $2 AND uploaded_by = $3 AND created_at >= $4";

    fn decoded(json: Option<String>) -> StoreResult<Option<Preview>> {
        json.map(|j| {
            serde_json::from_str(&j).map_err(|e| crate::platform::db::StoreError::Other(e.into()))
        })
        .transpose()
    }

    /// Takes a preview for importing, inside the import's transaction: it is
    /// deleted with the same commit, so it is imported once.
    pub async fn take(
        tx: &mut Tx<'_>,
        id: i64,
        event_id: i64,
        by: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Preview>> {
        let sql = format!("DELETE FROM guest_uploads WHERE {USABLE} RETURNING preview");
        let json: Option<String> = on_tx!(tx, conn => {
            sqlx::query_scalar(&sql)
                .bind(id)
                .bind(event_id)
                .bind(by)
                .bind(now - chrono::Duration::days(1))
                .fetch_optional(conn)
                .await?
        });
        decoded(json)
    }

    /// The addresses (lower-cased) already invited to an event, not revoked.
    pub async fn invited(
        store: &Store,
        event_id: i64,
    ) -> StoreResult<std::collections::HashSet<String>> {
        let rows: Vec<String> = on_pool!(store, pool => {
            sqlx::query_scalar(
                "SELECT lower(p.email) FROM invitations i JOIN people p ON p.id = i.person_id
                 WHERE i.event_id = $1 AND i.status <> 'revoked'",
            )
            .bind(event_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().collect())
    }

    /// Forgets a person's previews (erasure).
    pub async fn erase_person(tx: &mut Tx<'_>, person_id: i64) -> StoreResult<()> {
        on_tx!(tx, conn => {
            sqlx::query("DELETE FROM guest_uploads WHERE uploaded_by = $1")
                .bind(person_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}
