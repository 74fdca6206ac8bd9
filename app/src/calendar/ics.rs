//! iCalendar (RFC 5545), written in one place for every channel: the feeds
//! (`METHOD:PUBLISH`) and the calendar parts of mails (`REQUEST`, `CANCEL`).
//!
//! Events are built with the `icalendar` crate, which folds lines at 75 octets
//! without splitting a UTF-8 character, ends them with CRLF and escapes TEXT
//! values (`\`, `;`, `,`, line feeds). What it leaves to its caller is done here:
//! carriage returns, other control characters and bidirectional overrides are
//! taken out of every value before it reaches the crate, parameter values are
//! quoted, addresses and links lose anything that could end a line, and the
//! VTIMEZONE of every TZID used is built from the time-zone database (the crate
//! has no VTIMEZONE). Everything written is a function of the data: no clock is
//! read, so the same data gives the same bytes (and the same ETag).
use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};
use icalendar::{Component, EventLike, Property};
use std::fmt::Write as _;

/// What a calendar object asks its reader to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A feed or a download: here are the meetings.
    Publish,
    /// An invitation or its update: put this in your calendar, and answer.
    Request,
    /// Take this meeting out of your calendar.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// An attendee's answer, as `PARTSTAT` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartStat {
    NeedsAction,
    Accepted,
    Declined,
    /// Not decided yet (waiting for a place or for approval).
    Tentative,
}

impl PartStat {
    fn as_str(self) -> &'static str {
        match self {
            PartStat::NeedsAction => "NEEDS-ACTION",
            PartStat::Accepted => "ACCEPTED",
            PartStat::Declined => "DECLINED",
            PartStat::Tentative => "TENTATIVE",
        }
    }
}

/// Whether a meeting takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    Tentative,
    /// Cancelled, or taken off the agenda: calendars remove it.
    Cancelled,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Confirmed => "CONFIRMED",
            Status::Tentative => "TENTATIVE",
            Status::Cancelled => "CANCELLED",
        }
    }
}

/// One meeting or agenda item, as one VEVENT.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Never changes: every update and cancellation carries the same UID.
    pub uid: String,
    /// Raised with every published change (stored, never computed from a clock).
    pub sequence: i64,
    /// `DTSTAMP`: when this version of the entry was written.
    pub stamp: DateTime<Utc>,
    /// `LAST-MODIFIED`, where known.
    pub modified: Option<DateTime<Utc>>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// Times are written in this zone with its TZID (and the calendar carries its
    /// VTIMEZONE); in UTC when `None`.
    pub zone: Option<Tz>,
    pub summary: String,
    pub location: String,
    /// Plain text.
    pub description: String,
    pub url: Option<String>,
    /// (name, address, answer) of the person a mail goes to, with RSVP asked for
    /// while they have not answered.
    pub attendee: Option<(String, String, PartStat)>,
    pub status: Status,
    /// `CATEGORIES`: what kind of item it is ("Workshop").
    pub category: Option<&'static str>,
}

/// What a calendar says about itself and of every entry in it.
#[derive(Debug, Clone, Default)]
pub struct Header<'a> {
    /// `X-WR-CALNAME` and `NAME`: the calendar's name in the reader's list.
    pub name: Option<&'a str>,
    /// `REFRESH-INTERVAL` and `X-PUBLISHED-TTL`: how often to fetch it again.
    pub refresh: Option<Duration>,
    /// `X-WR-TIMEZONE`: the zone the calendar's events are set in.
    pub zone: Option<Tz>,
    /// `ORGANIZER` of every entry: (name, address).
    pub organizer: Option<(&'a str, &'a str)>,
}

/// A whole calendar object: the header, the VTIMEZONE of each zone the entries
/// use, and one VEVENT per entry, with CRLF line ends.
pub fn calendar(method: Method, header: &Header<'_>, entries: &[Entry]) -> String {
    let mut head = icalendar::Calendar::empty();
    head.append_property(Property::new("VERSION", "2.0"));
    head.append_property(Property::new(
        "PRODID",
        "-//Convene//Meetings of European judicial networks//EN",
    ));
    head.append_property(Property::new("CALSCALE", "GREGORIAN"));
    head.append_property(Property::new("METHOD", method.as_str()));
    if let Some(name) = header.name {
        // NAME and X-WR-CALNAME are not text to the crate: escaped here.
        head.name(&escaped(&text(name)));
    }
    if let Some(refresh) = header.refresh {
        head.ttl(&refresh);
    }
    if let Some(zone) = header.zone {
        head.append_property(Property::new("X-WR-TIMEZONE", zone.name()));
    }
    // The crate writes the header and the closing line; the time zones go
    // between them, before the events that refer to them.
    let head = head.to_string();
    let mut out = String::with_capacity(head.len() + entries.len() * 700);
    out.push_str(head.strip_suffix("END:VCALENDAR\r\n").unwrap_or(&head));
    // Each zone the entries use, once, in the order of their names.
    let mut zones: Vec<Tz> = Vec::new();
    for z in entries.iter().filter_map(|e| e.zone) {
        if !zones.contains(&z) {
            zones.push(z);
        }
    }
    zones.sort_by_key(|z| z.name());
    for zone in zones {
        let used = entries.iter().filter(|e| e.zone == Some(zone));
        let from = used.clone().map(|e| e.starts).min();
        let to = used.map(|e| e.ends).max();
        if let (Some(from), Some(to)) = (from, to) {
            vtimezone(zone, from, to, &mut out);
        }
    }
    for e in entries {
        // Writing into a String cannot fail.
        let _ = vevent(e, header.organizer).fmt_write(&mut out);
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

fn vevent(e: &Entry, organizer: Option<(&str, &str)>) -> icalendar::Event {
    let mut ev = icalendar::Event::new();
    ev.uid(&uri(&e.uid))
        .add_property("SEQUENCE", e.sequence.max(0).to_string())
        .add_property("DTSTAMP", utc(e.stamp))
        .append_property(when("DTSTART", e.starts, e.zone))
        .append_property(when("DTEND", e.ends, e.zone))
        .summary(&text(&e.summary))
        .add_property("STATUS", e.status.as_str());
    if let Some(modified) = e.modified {
        ev.add_property("LAST-MODIFIED", utc(modified));
    }
    if !e.location.is_empty() {
        ev.location(&text(&e.location));
    }
    if !e.description.is_empty() {
        ev.description(&text(&e.description));
    }
    if let Some(url) = &e.url {
        ev.url(&uri(url));
    }
    if let Some(category) = e.category {
        ev.add_property("CATEGORIES", text(category));
    }
    if let Some((name, address)) = organizer {
        ev.append_property(
            Property::new("ORGANIZER", format!("mailto:{}", uri(address)))
                .add_parameter("CN", &param(name))
                .done(),
        );
    }
    if let Some((name, address, part)) = &e.attendee {
        ev.append_property(
            Property::new("ATTENDEE", format!("mailto:{}", uri(address)))
                .add_parameter("CN", &param(name))
                .add_parameter("ROLE", "REQ-PARTICIPANT")
                .add_parameter("PARTSTAT", part.as_str())
                .add_parameter(
                    "RSVP",
                    if *part == PartStat::NeedsAction {
                        "TRUE"
                    } else {
                        "FALSE"
                    },
                )
                .done(),
        );
    }
    ev.done()
}

/// `20270318T093000`: a date and time as iCalendar writes it (formatted
/// directly: the crate's format string per value was a tenth of a 600-item
/// feed's time).
fn digits(t: chrono::NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `20270318T093000Z`
fn utc(t: DateTime<Utc>) -> String {
    format!("{}Z", digits(t.naive_utc()))
}

/// `name` at `t` in `zone` with its TZID (`DTSTART;TZID=Europe/Brussels:20270318T103000`),
/// or in UTC.
fn when(name: &str, t: DateTime<Utc>, zone: Option<Tz>) -> Property {
    match zone {
        Some(z) if z != Tz::UTC => Property::new(name, digits(t.with_timezone(&z).naive_local()))
            .add_parameter("TZID", z.name())
            .done(),
        _ => Property::new(name, utc(t)),
    }
}

/// The VTIMEZONE of `zone` for the times from `from` to `to`: every change of
/// its offset from a year before to a year after, each as a STANDARD or DAYLIGHT
/// part with the local time it happens at, the offsets and the abbreviation. A
/// zone without changes in that span is one STANDARD part.
fn vtimezone(zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>, out: &mut String) {
    let offset = |t: DateTime<Utc>| zone.offset_from_utc_datetime(&t.naive_utc());
    let seconds = |t: DateTime<Utc>| offset(t).fix().local_minus_utc();
    // Whole days from midnight UTC, so that changes are found to the minute.
    let midnight = |t: DateTime<Utc>| {
        t.date_naive()
            .and_hms_opt(0, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or(t)
    };
    let start = midnight(from - Duration::days(366));
    let end = to + Duration::days(366);
    let mut parts = Vec::new();
    let mut day = start;
    while day < end {
        let next = day + Duration::days(1);
        if seconds(day) != seconds(next) {
            // The change is within this day: find its minute.
            let (mut lo, mut hi) = (0i64, 24 * 60);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if seconds(day + Duration::minutes(mid)) == seconds(day) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let at = day + Duration::minutes(hi);
            parts.push((at, seconds(day), seconds(at)));
        }
        day = next;
    }
    let _ = write!(out, "BEGIN:VTIMEZONE\r\nTZID:{}\r\n", zone.name());
    if parts.is_empty() {
        let s = seconds(from);
        let _ = write!(
            out,
            "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{}\r\nEND:STANDARD\r\n",
            utc_offset(s),
            utc_offset(s),
            tz_name(&offset(from)),
        );
    }
    for (at, before, after) in parts {
        // Daylight saving time is the part of the year with the larger offset.
        let kind = if after > before {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let local = at.naive_utc() + Duration::seconds(before.into());
        let _ = write!(
            out,
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nTZNAME:{}\r\nEND:{kind}\r\n",
            digits(local),
            utc_offset(before),
            utc_offset(after),
            tz_name(&offset(at)),
        );
    }
    out.push_str("END:VTIMEZONE\r\n");
}

/// An abbreviation as the database gives it ("CET"), or the offset ("+03").
fn tz_name(offset: &chrono_tz::TzOffset) -> String {
    offset
        .abbreviation()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '-')
        .collect()
}

/// `+0100`, `-0330`, `+053000` (seconds only where the zone has them).
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// A TEXT value before the crate escapes it: line breaks as one line feed (which
/// the crate writes as `\n`), other control characters and bidirectional
/// overrides dropped.
fn text(s: &str) -> String {
    if !s
        .chars()
        .any(|c| c.is_control() || crate::domain::is_bidi_control(c))
    {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' => out.push('\n'),
            c if c.is_control() || crate::domain::is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// TEXT escaping for the properties the crate writes as they are.
fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (`CN=`): always quoted, without the characters a quoted
/// value cannot hold. (The crate quotes a value with `:` or `;` itself.)
fn param(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && !crate::domain::is_bidi_control(*c))
        .collect();
    if clean.contains([':', ';']) {
        clean
    } else {
        format!("\"{clean}\"")
    }
}

/// A URI value (`URL`, `mailto:`, UID): no spaces, controls or line breaks.
fn uri(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !c.is_whitespace() && !crate::domain::is_bidi_control(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(summary: &str, location: &str) -> Entry {
        let t = Utc.with_ymd_and_hms(2027, 3, 17, 8, 30, 0).unwrap();
        Entry {
            uid: "event-3@convene.example".into(),
            sequence: 2,
            stamp: t,
            modified: Some(t),
            starts: t,
            ends: t + Duration::hours(2),
            zone: None,
            summary: summary.into(),
            location: location.into(),
            description: String::new(),
            url: None,
            attendee: Some(("Ana".into(), "ana@example.eu".into(), PartStat::NeedsAction)),
            status: Status::Confirmed,
            category: None,
        }
    }

    /// A mail's header: the organizer of its one entry.
    fn mail() -> Header<'static> {
        Header {
            organizer: Some(("Aoife \"Chair\" Byrne", "aoife@example.eu")),
            ..Header::default()
        }
    }

    #[test]
    fn hostile_text_stays_inside_its_property_and_lines_fold_at_75_octets() {
        let summary = "Plenary; spring, 2027\r\nATTENDEE:mailto:evil@example.com\u{202E}";
        let long = "é".repeat(100);
        let ics = calendar(Method::Request, &mail(), &[entry(summary, &long)]);
        assert!(
            ics.contains(
                "SUMMARY:Plenary\\; spring\\, 2027\\nATTENDEE:mailto:evil@example.com\r\n"
            ),
            "{ics}"
        );
        assert_eq!(
            ics.matches("\r\nATTENDEE").count(),
            1,
            "one attendee line only"
        );
        assert!(
            ics.contains("ORGANIZER;CN=\"Aoife Chair Byrne\":mailto:aoife@example.eu"),
            "{ics}"
        );
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(ics.contains("DTSTART:20270317T083000Z"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "no bare line feed");
    }

    #[test]
    fn zoned_times_carry_their_tzid_and_a_vtimezone_with_the_changes_around_them() {
        let mut e = entry("Opening", "Room 1");
        e.zone = Some(chrono_tz::Europe::Brussels);
        let ics = calendar(Method::Publish, &Header::default(), &[e]);
        assert!(
            ics.contains("DTSTART;TZID=Europe/Brussels:20270317T093000\r\n"),
            "{ics}"
        );
        assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Brussels\r\n"));
        // The spring change of 2027 (last Sunday of March, 02:00 CET).
        assert!(ics.contains(
            "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT"
        ), "{ics}");
        assert!(ics.contains(
            "BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD"
        ), "{ics}");
        assert_eq!(ics.matches("BEGIN:VTIMEZONE").count(), 1);
        assert!(
            !ics.contains("DTSTART:2026") || ics.contains("DTSTART:20260329T020000\r\n"),
            "whole minutes: {ics}"
        );
        assert!(ics.find("END:VTIMEZONE").unwrap() < ics.find("BEGIN:VEVENT").unwrap());
    }

    #[test]
    fn a_zone_without_changes_is_one_standard_part() {
        let mut e = entry("Opening", "");
        e.zone = Some(chrono_tz::Asia::Tokyo);
        let ics = calendar(Method::Publish, &Header::default(), &[e]);
        assert!(ics.contains("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nEND:STANDARD"), "{ics}");
    }

    #[test]
    fn the_same_data_gives_the_same_feed_bytes() {
        // A feed's entries have no ATTENDEE, whose several parameters the crate
        // writes in no fixed order (mails only carry one).
        let feed = |name| {
            let mut e = entry("A, B; C", "D");
            e.attendee = None;
            e.zone = Some(chrono_tz::Europe::Brussels);
            let header = Header {
                name: Some(name),
                refresh: Some(Duration::hours(1)),
                zone: e.zone,
                organizer: Some(("Convene", "convene@example.eu")),
            };
            calendar(Method::Publish, &header, &[e])
        };
        assert_eq!(feed("N"), feed("N"));
        assert!(
            feed("A, B; C \\ D").contains("X-WR-CALNAME:A\\, B\\; C \\\\ D\r\n"),
            "{}",
            feed("x")
        );
    }
}
