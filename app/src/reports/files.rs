//! A report's files: their kind judged from the content (never the name), kept in
//! the database (every server process serves them, a backup holds them), and the
//! two plain routes: adding a file (a `multipart/form-data` form, no JavaScript
//! needed) and opening one, each asking the policy.
use super::store::{self, FileMeta, ReportRow};
use crate::events::store::EventRecord;
use crate::platform::auth::Viewer;
use crate::platform::policy::{self, Action, Audience};
use crate::platform::request::cookie;
use crate::platform::AppState;
use crate::AppError;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

/// The largest file a report takes: 20 MB.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of file a report takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Odt,
    Docx,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Odt => "application/vnd.oasis.opendocument.text",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Odt => "odt",
            Kind::Docx => "docx",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Odt => "OpenDocument text",
            Kind::Docx => "Word document",
        }
    }

    pub fn of_content_type(t: &str) -> Option<Kind> {
        [Kind::Pdf, Kind::Odt, Kind::Docx]
            .into_iter()
            .find(|k| k.content_type() == t)
    }

    /// What `data` is, read from its bytes: a PDF starts with `%PDF-`; an
    /// OpenDocument text is a ZIP whose first entry is `mimetype`, stored, saying
    /// so; a Word document is a ZIP holding `[Content_Types].xml` and
    /// `word/document.xml`. Anything else is None.
    pub fn sniff(data: &[u8]) -> Option<Kind> {
        if data.starts_with(b"%PDF-") {
            return Some(Kind::Pdf);
        }
        if !data.starts_with(b"PK\x03\x04") || data.len() < 30 {
            return None;
        }
        // OpenDocument: the first local header names `mimetype`, stored (method 0).
        let (method, size, name_len, extra_len) = (
            le16(data, 8)?,
            le32(data, 18)?,
            le16(data, 26)?,
            le16(data, 28)?,
        );
        if method == 0 && data.get(30..30 + name_len) == Some(b"mimetype") {
            let start = 30 + name_len + extra_len;
            return (data.get(start..start + size) == Some(Kind::Odt.content_type().as_bytes()))
                .then_some(Kind::Odt);
        }
        // Word: the central directory's names.
        let names = zip_names(data)?;
        let has = |n: &str| names.iter().any(|x| x.as_slice() == n.as_bytes());
        (has("[Content_Types].xml") && has("word/document.xml")).then_some(Kind::Docx)
    }
}

/// The little-endian 16-bit number at `i`, if the data reaches that far.
fn le16(data: &[u8], i: usize) -> Option<usize> {
    data.get(i..i + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
}

/// The little-endian 32-bit number at `i`, if the data reaches that far.
fn le32(data: &[u8], i: usize) -> Option<usize> {
    data.get(i..i + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

/// The entry names of a ZIP's central directory, or None when it has none that
/// can be read.
fn zip_names(data: &[u8]) -> Option<Vec<Vec<u8>>> {
    // The end record is in the last 64 KiB + 22 bytes.
    let tail_start = data.len().saturating_sub(65_557);
    let end = (tail_start..data.len().saturating_sub(21))
        .rev()
        .find(|&i| data[i..].starts_with(b"PK\x05\x06"))?;
    let count = le16(data, end + 10)?;
    let mut at = le32(data, end + 16)?;
    let mut names = Vec::with_capacity(count.min(1000));
    for _ in 0..count.min(10_000) {
        if !data.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let (n, x, c) = (
            le16(data, at + 28)?,
            le16(data, at + 30)?,
            le16(data, at + 32)?,
        );
        names.push(data.get(at + 46..at + 46 + n)?.to_vec());
        at += 46 + n + x + c;
    }
    Some(names)
}

/// A file's name as kept: its last path part, one line, at most 120 characters,
/// ending in the extension of what it really is.
pub fn clean_name(raw: &str, kind: Kind) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let one = crate::domain::text_field("file", last, crate::domain::Lines::One, 10_000)
        .ok()
        .flatten()
        .unwrap_or_default();
    let stem = match one.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem.trim().to_owned(),
        _ if !one.trim().is_empty() && !one.contains('.') => one.trim().to_owned(),
        _ => "report".to_owned(),
    };
    let stem: String = stem.chars().take(120).collect();
    format!("{stem}.{}", kind.extension())
}

/// How much of a report a reader gets.
pub struct Reading {
    pub report: ReportRow,
    /// The members-only annex and files.
    pub annex: bool,
    pub audience: Audience,
}

/// The report version `viewer` may read for event `e`, and whether the annex is
/// theirs: organisers read the latest approved or published version (and drafts on
/// their own page); everyone else the latest published one, or a later approved
/// version that was sent to them. A guest's link reads it only when it says so.
/// The annex only for the network's members and those who manage the event.
pub async fn reading(
    state: &AppState,
    viewer: Option<&Viewer>,
    e: &EventRecord,
) -> Result<Option<Reading>, AppError> {
    reading_of(state, viewer, e.network_id, e.id, e.status == "draft").await
}

/// Which version of an event's report a reader is shown (see [`reading`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// None at all: a draft event's report, for anyone but its organisers.
    Nothing,
    /// The latest approved or published version: its organisers'.
    LatestApproved,
    /// The latest version [`store::readable_condition`] lets this person (None:
    /// anyone) read.
    Readable(Option<i64>),
}

/// The [`Version`] `viewer` reads of the report of event `event_id` in network
/// `network_id`, a draft or not, and their audience; decided without the
/// database.
pub fn version_for(
    viewer: Option<&Viewer>,
    network_id: i64,
    event_id: i64,
    draft: bool,
) -> (Version, Audience) {
    let audience = policy::audience(
        viewer,
        crate::ids::NetworkId(network_id),
        crate::ids::EventId(event_id),
    );
    if audience == Audience::Organiser {
        return (Version::LatestApproved, audience);
    }
    if draft {
        return (Version::Nothing, audience);
    }
    let reader = viewer.filter(|v| {
        !v.is_guest()
            || policy::may(
                Some(v),
                Action::ActAsGuest {
                    event_id: crate::ids::EventId(event_id),
                    action: crate::platform::guests::GuestAction::ReadReport,
                },
            )
    });
    (Version::Readable(reader.map(|v| v.person_id)), audience)
}

/// [`reading`] of event `event_id` in network `network_id`, a draft or not.
pub async fn reading_of(
    state: &AppState,
    viewer: Option<&Viewer>,
    network_id: i64,
    event_id: i64,
    draft: bool,
) -> Result<Option<Reading>, AppError> {
    let (version, audience) = version_for(viewer, network_id, event_id, draft);
    let report = match version {
        Version::Nothing => None,
        Version::LatestApproved => store::latest_approved(&state.store, event_id).await?,
        Version::Readable(person) => store::readable(&state.store, event_id, person).await?,
    };
    Ok(report.map(|report| Reading {
        report,
        annex: policy::may_read_annex(audience),
        audience,
    }))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports/files/{id}", get(open_file))
        .route(
            "/events/{id}/report/files",
            // The whole form: the file and a few fields.
            post(add_file).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        )
}

async fn viewer_of(state: &AppState, headers: &HeaderMap) -> Result<Option<Viewer>, AppError> {
    crate::platform::auth::viewer_from_cookies(state, |name| cookie(headers, name)).await
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        "The page or item you asked for does not exist.\n",
    )
        .into_response()
}

/// `GET /reports/files/{id}`: a report's file, for a reader of that version (and
/// of the annex, for a members-only file). Anything else is "not found", the same
/// as a file that never existed.
async fn open_file(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let result: Result<Response, AppError> = async {
        // Who may open it is decided before a byte of it is read.
        let (meta, event_id) = match store::file_meta(&state.store, id).await {
            Ok(f) => f,
            Err(crate::platform::db::StoreError::NotFound) => return Ok(not_found()),
            Err(e) => return Err(e.into()),
        };
        let e = crate::events::store::event_record(&state.store, event_id).await?;
        let viewer = viewer_of(&state, &headers).await?;
        // Organisers open every version's files, drafts too.
        let organiser = policy::audience(
            viewer.as_ref(),
            crate::ids::NetworkId(e.network_id),
            crate::ids::EventId(e.id),
        ) == Audience::Organiser;
        let may = organiser
            || match reading(&state, viewer.as_ref(), &e).await? {
                Some(r) => r.report.id == meta.report_id && (r.annex || !meta.members_only),
                None => false,
            };
        if !may {
            return Ok(not_found());
        }
        let data = store::file_data(&state.store, id).await?;
        Ok(file_response(&meta, data))
    }
    .await;
    result.unwrap_or_else(|e| (e.status_code(), format!("{e}\n")).into_response())
}

fn file_response(meta: &FileMeta, data: Vec<u8>) -> Response {
    let ascii: String = meta
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " .-_()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = crate::ui::query_value(&meta.filename);
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut res = (StatusCode::OK, data).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// `POST /events/{id}/report/files`: adds a file to the report's draft, then
/// sends the browser back to the report's page, saying what happened there
/// (`?file=added`, `too_large`, `wrong_type`, `empty`, `closed`). The draft's
/// saved text is never touched.
async fn add_file(
    State(state): State<AppState>,
    Path(event_id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let page = format!("/events/{event_id}/report");
    let back = |code: &str| Redirect::to(&format!("{page}?file={code}#files")).into_response();
    let result: Result<Response, AppError> = async {
        let viewer = policy::require(
            viewer_of(&state, &headers).await?,
            Action::ManageEvent {
                event_id: crate::ids::EventId(event_id),
            },
        )?;
        let Ok(mut multipart) = multipart else {
            return Ok(back("empty"));
        };
        let mut bytes = Vec::new();
        let mut name = String::new();
        let mut members_only = false;
        loop {
            let mut field = match multipart.next_field().await {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(_) => return Ok(back("too_large")),
            };
            match field.name() {
                Some("file") => {
                    name = field.file_name().unwrap_or_default().to_owned();
                    loop {
                        match field.chunk().await {
                            Ok(Some(chunk)) => {
                                if bytes.len() + chunk.len() > MAX_FILE_BYTES {
                                    return Ok(back("too_large"));
                                }
                                bytes.extend_from_slice(&chunk);
                            }
                            Ok(None) => break,
                            Err(_) => return Ok(back("too_large")),
                        }
                    }
                }
                Some("members_only") => {
                    members_only = field.text().await.unwrap_or_default() == "yes";
                }
                _ => {}
            }
        }
        if bytes.is_empty() {
            return Ok(back("empty"));
        }
        let Some(kind) = Kind::sniff(&bytes) else {
            return Ok(back("wrong_type"));
        };
        let filename = clean_name(&name, kind);
        let now = state.clock.now();
        let mut tx = state.store.begin().await?;
        crate::registration::store::lock_event(&mut tx, event_id).await?;
        let Some(report) = store::latest_tx(&mut tx, event_id).await? else {
            return Ok(back("closed"));
        };
        let added = store::add_file(
            &mut tx,
            report.id,
            &store::NewFile {
                filename: &filename,
                content_type: kind.content_type(),
                members_only,
                data: &bytes,
            },
            viewer.person_id,
            now,
        )
        .await?;
        let Some(file_id) = added else {
            return Ok(back("closed"));
        };
        crate::platform::audit::record(
            &mut tx,
            crate::platform::audit::Entry::new(Some(viewer.person_id), "report_file_added")
                .on("event", event_id)
                .detail(format!(
                    "version {}, file {file_id}: {filename} ({} bytes{})",
                    report.version,
                    bytes.len(),
                    if members_only { ", members only" } else { "" }
                )),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(back("added"))
    }
    .await;
    result.unwrap_or_else(|e| (e.status_code(), format!("{e}\n")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP with the named entries, stored, with a central directory.
    pub(crate) fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, body) in entries {
            let offset = out.len() as u32;
            let mut local = b"PK\x03\x04".to_vec();
            local.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            local.extend_from_slice(&[0; 4]); // crc (not checked here)
            local.extend_from_slice(&(body.len() as u32).to_le_bytes());
            local.extend_from_slice(&(body.len() as u32).to_le_bytes());
            local.extend_from_slice(&(name.len() as u16).to_le_bytes());
            local.extend_from_slice(&0u16.to_le_bytes());
            local.extend_from_slice(name.as_bytes());
            local.extend_from_slice(body);
            out.extend_from_slice(&local);
            let mut c = b"PK\x01\x02".to_vec();
            c.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            c.extend_from_slice(&[0; 4]);
            c.extend_from_slice(&(body.len() as u32).to_le_bytes());
            c.extend_from_slice(&(body.len() as u32).to_le_bytes());
            c.extend_from_slice(&(name.len() as u16).to_le_bytes());
            c.extend_from_slice(&[0; 12]);
            c.extend_from_slice(&offset.to_le_bytes());
            c.extend_from_slice(name.as_bytes());
            central.extend_from_slice(&c);
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    #[test]
    fn the_kind_comes_from_the_content() {
        assert_eq!(Kind::sniff(b"%PDF-1.7\n..."), Some(Kind::Pdf));
        let odt = zip(&[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b"<x/>"),
        ]);
        assert_eq!(Kind::sniff(&odt), Some(Kind::Odt));
        let ods = zip(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert_eq!(Kind::sniff(&ods), None, "a spreadsheet is not a text");
        let docx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(Kind::sniff(&docx), Some(Kind::Docx));
        let xlsx = zip(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<x/>"),
        ]);
        assert_eq!(Kind::sniff(&xlsx), None);
        for other in [
            &b"<html><script>alert(1)</script>"[..],
            b"MZ\x90\0 an executable",
            b"",
            b"PK\x03\x04 cut short",
        ] {
            assert_eq!(Kind::sniff(other), None);
        }
    }

    #[test]
    fn a_name_keeps_its_last_part_on_one_line_with_the_real_extension() {
        assert_eq!(
            clean_name("C:\\Users\\x\\Report 2027.pdf", Kind::Pdf),
            "Report 2027.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd", Kind::Pdf), "passwd.pdf");
        assert_eq!(clean_name("notes.exe", Kind::Docx), "notes.docx");
        assert_eq!(clean_name("", Kind::Odt), "report.odt");
        assert_eq!(clean_name("a\r\nb.pdf", Kind::Pdf), "report.pdf");
        assert_eq!(clean_name("x\u{202e}fdp.exe", Kind::Pdf), "report.pdf");
    }
}
