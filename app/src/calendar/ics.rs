//! iCalendar (RFC 5545), written in one place for every channel: the feeds
//! (`METHOD:PUBLISH`) and the calendar parts of mails (`REQUEST`, `CANCEL`).
//!
//! Written here, line by line: lines folded at 75 octets without splitting a
//! UTF-8 character and ended with CRLF; TEXT values escaped (`\`, `;`, `,`, line
//! breaks) with carriage returns, other control characters and bidirectional
//! overrides taken out; parameter values quoted; addresses and links without
//! anything that could end a line; the VTIMEZONE of every TZID used built from
//! the time-zone database. (The `icalendar` crate's builders were most of a
//! 600-item feed's time; the tests read every calendar back with its parser.)
//! Everything written is a function of the data: no clock is read, so the same
//! data gives the same bytes (and the same ETag), mails included.
use chrono::{DateTime, Duration, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};
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
    let mut w = Writer {
        out: String::with_capacity(1024 + entries.len() * 700),
        start: 0,
        spare: String::with_capacity(256),
    };
    w.out.push_str("BEGIN:VCALENDAR\r\n");
    w.raw("VERSION", "2.0");
    w.raw(
        "PRODID",
        "-//Convene//Meetings of European judicial networks//EN",
    );
    w.raw("CALSCALE", "GREGORIAN");
    w.raw("METHOD", method.as_str());
    if let Some(name) = header.name {
        w.text("NAME", name);
        w.text("X-WR-CALNAME", name);
    }
    if let Some(refresh) = header.refresh {
        let refresh = refresh.to_string();
        w.line("REFRESH-INTERVAL").push_str(";VALUE=DURATION:");
        w.out.push_str(&refresh);
        w.fold();
        w.raw("X-PUBLISHED-TTL", &refresh);
    }
    if let Some(zone) = header.zone {
        w.raw("X-WR-TIMEZONE", zone.name());
    }
    // Each zone the entries use, once, in the order of their names, before the
    // events that refer to them.
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
            w.out.push_str(&vtimezone_remembered(zone, from, to));
        }
    }
    for e in entries {
        vevent(&mut w, e, header.organizer);
    }
    w.out.push_str("END:VCALENDAR\r\n");
    w.out
}

/// Writes content lines straight into `out`; a line longer than 75 octets is
/// then folded through `spare`. (Written directly rather than through the
/// `icalendar` crate's builders, whose maps of owned strings per property were
/// most of a 600-item feed's time.)
struct Writer {
    out: String,
    /// Where the line being written starts in `out`.
    start: usize,
    spare: String,
}

impl Writer {
    /// Starts a content line with its name; what is pushed next is its rest.
    fn line(&mut self, name: &str) -> &mut String {
        self.start = self.out.len();
        self.out.push_str(name);
        &mut self.out
    }

    /// Ends the line: folded at 75 octets, never inside a UTF-8 character, each
    /// continuation starting with one space, with CRLF.
    fn fold(&mut self) {
        const LIMIT: usize = 75;
        if self.out.len() - self.start > LIMIT {
            self.spare.clear();
            self.spare.push_str(&self.out[self.start..]);
            self.out.truncate(self.start);
            let mut rest = self.spare.as_str();
            let mut room = LIMIT;
            while rest.len() > room {
                let mut cut = room;
                while !rest.is_char_boundary(cut) {
                    cut -= 1;
                }
                self.out.push_str(&rest[..cut]);
                self.out.push_str("\r\n ");
                rest = &rest[cut..];
                // The space counts toward the next line's octets.
                room = LIMIT - 1;
            }
            self.out.push_str(rest);
        }
        self.out.push_str("\r\n");
    }

    /// `NAME:value`, the value written as it is (numbers, dates, codes).
    fn raw(&mut self, name: &str, value: &str) {
        self.line(name).push(':');
        self.out.push_str(value);
        self.fold();
    }

    /// `NAME:value` for a TEXT value, cleaned and escaped ([`push_text`]).
    fn text(&mut self, name: &str, value: &str) {
        self.line(name).push(':');
        push_text(&mut self.out, value);
        self.fold();
    }

    /// `NAME:value` for a URI value ([`push_uri`]).
    fn uri(&mut self, name: &str, value: &str) {
        self.line(name);
        self.uri_value("", value);
    }

    /// Ends a line begun with its name and parameters by `:prefix` and a URI value.
    fn uri_value(&mut self, prefix: &str, value: &str) {
        self.out.push(':');
        self.out.push_str(prefix);
        push_uri(&mut self.out, value);
        self.fold();
    }

    /// `NAME[;TZID=zone]:local time`, or in UTC without a zone.
    fn when(&mut self, name: &str, t: DateTime<Utc>, zone: Option<Tz>) {
        self.line(name);
        match zone {
            Some(z) if z != Tz::UTC => {
                self.out.push_str(";TZID=");
                self.out.push_str(z.name());
                self.out.push(':');
                push_digits(&mut self.out, t.with_timezone(&z).naive_local());
            }
            _ => {
                self.out.push(':');
                push_digits(&mut self.out, t.naive_utc());
                self.out.push('Z');
            }
        }
        self.fold();
    }

    /// `DTSTAMP:20270318T093000Z` and the like.
    fn utc(&mut self, name: &str, t: DateTime<Utc>) {
        self.when(name, t, None);
    }
}

fn vevent(w: &mut Writer, e: &Entry, organizer: Option<(&str, &str)>) {
    w.out.push_str("BEGIN:VEVENT\r\n");
    w.uri("UID", &e.uid);
    let _ = write!(w.line("SEQUENCE"), ":{}", e.sequence.max(0));
    w.fold();
    w.utc("DTSTAMP", e.stamp);
    w.when("DTSTART", e.starts, e.zone);
    w.when("DTEND", e.ends, e.zone);
    w.text("SUMMARY", &e.summary);
    w.raw("STATUS", e.status.as_str());
    if let Some(modified) = e.modified {
        w.utc("LAST-MODIFIED", modified);
    }
    if !e.location.is_empty() {
        w.text("LOCATION", &e.location);
    }
    if !e.description.is_empty() {
        w.text("DESCRIPTION", &e.description);
    }
    if let Some(url) = &e.url {
        w.uri("URL", url);
    }
    if let Some(category) = e.category {
        w.text("CATEGORIES", category);
    }
    if let Some((name, address)) = organizer {
        push_param(w.line("ORGANIZER"), "CN", name);
        w.uri_value("mailto:", address);
    }
    if let Some((name, address, part)) = &e.attendee {
        let line = w.line("ATTENDEE");
        push_param(line, "CN", name);
        line.push_str(";ROLE=REQ-PARTICIPANT;PARTSTAT=");
        line.push_str(part.as_str());
        line.push_str(if *part == PartStat::NeedsAction {
            ";RSVP=TRUE"
        } else {
            ";RSVP=FALSE"
        });
        w.uri_value("mailto:", address);
    }
    w.out.push_str("END:VEVENT\r\n");
}

/// `20270318T093000`: a date and time as iCalendar writes it, digit by digit (six
/// formatting calls per time showed in the profile of a 600-item feed).
fn push_digits(out: &mut String, t: chrono::NaiveDateTime) {
    use chrono::{Datelike, Timelike};
    let mut buf = [b'T'; 15];
    let mut put = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    // Years before 1 or after 9999 are not iCalendar dates; the clamp keeps four digits.
    put(0, 4, t.year().clamp(0, 9999) as u32);
    put(4, 2, t.month());
    put(6, 2, t.day());
    put(9, 2, t.hour());
    put(11, 2, t.minute());
    put(13, 2, t.second());
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
}

fn digits(t: chrono::NaiveDateTime) -> String {
    let mut s = String::with_capacity(15);
    push_digits(&mut s, t);
    s
}

/// [`vtimezone`], remembered by its zone and span: every mail of one event and
/// every feed of one agenda asks for the same one, and finding the changes looks
/// up the zone's offset for each day of three years (a twentieth of the CPU of a
/// burst of registrations, each mail with its calendar part, before it was kept).
fn vtimezone_remembered(
    zone: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> std::sync::Arc<String> {
    use crate::platform::kept::{remember, Bounded};
    use std::sync::{LazyLock, Mutex};
    static SEEN: LazyLock<Mutex<Bounded<String>>> =
        LazyLock::new(|| Mutex::new(Bounded::new(256 << 10)));
    let key = format!("{}|{}|{}", zone.name(), from.timestamp(), to.timestamp());
    remember(&SEEN, &key, || {
        let mut out = String::new();
        vtimezone(zone, from, to, &mut out);
        out
    })
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

/// A TEXT value, escaped (`\\`, `;`, `,`, a line break as `\\n`: a CR LF or a
/// lone CR is one break), with other control characters and bidirectional
/// overrides dropped: nothing in it can end its line or reorder what is shown.
fn push_text(out: &mut String, s: &str) {
    /// The bytes written as they are: printable ASCII but the three escaped. A
    /// table looked up per byte, rather than a `match` of ranges, since most of
    /// a feed's bytes are such text (a tenth of writing a 600-item feed).
    const PLAIN: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0x20;
        while b < 0x7f {
            t[b] = true;
            b += 1;
        }
        t[b'\\' as usize] = false;
        t[b';' as usize] = false;
        t[b',' as usize] = false;
        t
    };
    // Runs of characters that need nothing are copied whole.
    let bytes = s.as_bytes();
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if PLAIN[bytes[i] as usize] {
            i += 1;
            continue;
        }
        // What replaces the character at `i`, and how many bytes it takes.
        let (escape, width) = match bytes[i] {
            b'\\' => ("\\\\", 1),
            b';' => ("\\;", 1),
            b',' => ("\\,", 1),
            b'\n' => ("\\n", 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => ("\\n", 2),
            b'\r' => ("\\n", 1),
            0x80.. => {
                let c = s[i..].chars().next().unwrap_or_default();
                if !(c.is_control() || crate::domain::is_bidi_control(c)) {
                    i += c.len_utf8();
                    continue;
                }
                ("", c.len_utf8())
            }
            // Other ASCII control characters, DEL included.
            _ => ("", 1),
        };
        out.push_str(&s[run..i]);
        out.push_str(escape);
        i += width;
        run = i;
    }
    out.push_str(&s[run..]);
}

/// `;NAME="value"`: a parameter, always quoted, without the characters a quoted
/// value cannot hold.
fn push_param(out: &mut String, name: &str, value: &str) {
    out.push(';');
    out.push_str(name);
    out.push_str("=\"");
    out.extend(
        value
            .chars()
            .filter(|c| !c.is_control() && *c != '"' && !crate::domain::is_bidi_control(*c)),
    );
    out.push('"');
}

/// A URI value (`URL`, `mailto:`, UID): no spaces, controls or line breaks.
fn push_uri(out: &mut String, s: &str) {
    if s.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        out.push_str(s);
        return;
    }
    out.extend(
        s.chars().filter(|c| {
            !c.is_control() && !c.is_whitespace() && !crate::domain::is_bidi_control(*c)
        }),
    );
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
    fn a_remembered_vtimezone_is_the_one_written_and_spans_never_share_one() {
        let brussels = chrono_tz::Europe::Brussels;
        let t = Utc.with_ymd_and_hms(2027, 3, 17, 8, 30, 0).unwrap();
        let later = t + Duration::days(800);
        let written = |zone, from, to| {
            let mut out = String::new();
            vtimezone(zone, from, to, &mut out);
            out
        };
        for _ in 0..2 {
            assert_eq!(
                *vtimezone_remembered(brussels, t, t + Duration::hours(2)),
                written(brussels, t, t + Duration::hours(2))
            );
            assert_eq!(
                *vtimezone_remembered(brussels, t, later),
                written(brussels, t, later)
            );
            assert_eq!(
                *vtimezone_remembered(chrono_tz::Asia::Tokyo, t, later),
                written(chrono_tz::Asia::Tokyo, t, later)
            );
        }
        assert_ne!(
            vtimezone_remembered(brussels, t, t + Duration::hours(2)),
            vtimezone_remembered(brussels, t, later),
            "a longer span has more changes"
        );
    }

    #[test]
    fn a_zone_without_changes_is_one_standard_part() {
        let mut e = entry("Opening", "");
        e.zone = Some(chrono_tz::Asia::Tokyo);
        let ics = calendar(Method::Publish, &Header::default(), &[e]);
        assert!(ics.contains("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nTZNAME:JST\r\nEND:STANDARD"), "{ics}");
    }

    #[test]
    fn the_same_data_gives_the_same_bytes_mails_included() {
        let feed = |name| {
            let mut e = entry("A, B; C", "D");
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
        let named = feed("A, B; C \\ D");
        assert!(
            named.contains("X-WR-CALNAME:A\\, B\\; C \\\\ D\r\n"),
            "{named}"
        );
        assert!(
            named.contains("REFRESH-INTERVAL;VALUE=DURATION:PT3600S\r\n"),
            "{named}"
        );
        assert!(
            named.replace("\r\n ", "").contains(
                "ATTENDEE;CN=\"Ana\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:ana@example.eu\r\n"
            ),
            "the attendee's parameters in one order: {named}"
        );
    }

    #[test]
    fn text_is_escaped_and_cleaned_wherever_the_characters_fall() {
        let cases = [
            ("plain", "plain"),
            ("a\r\nb\rc\nd", "a\\nb\\nc\\nd"),
            ("\r\n", "\\n"),
            ("x\\;,y", "x\\\\\\;\\,y"),
            ("\u{0}nul\u{7f}del\u{1b}", "nuldel"),
            ("é\u{202E}ü\u{2066}老", "éü老"),
            ("\u{85}next line", "next line"),
            ("", ""),
        ];
        for (given, written) in cases {
            let mut out = String::new();
            push_text(&mut out, given);
            assert_eq!(out, written, "{given:?}");
        }
    }

    #[test]
    fn long_lines_fold_on_character_boundaries_and_unfold_to_the_text() {
        let summary = format!("{}老虎 {}", "x".repeat(73), "é".repeat(80));
        let ics = calendar(Method::Publish, &Header::default(), &[entry(&summary, "")]);
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains(&format!("SUMMARY:{summary}\r\n")),
            "{ics}"
        );
    }
}
