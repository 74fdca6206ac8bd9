//! iCalendar (RFC 5545) text for invitations and feeds, written by hand so that
//! every property is one Convene chose: times in UTC (`…Z`, which every client
//! converts to its own zone), text escaped (`\`, `;`, `,`, line breaks), control
//! characters dropped, and lines folded at 75 octets without splitting a UTF-8
//! character.
use chrono::{DateTime, Utc};

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

/// One meeting, as one VEVENT.
#[derive(Debug, Clone)]
pub struct Meeting<'a> {
    /// Stable for the event: every update and cancellation carries the same UID.
    pub uid: String,
    /// Raised with every change a calendar should take over.
    pub sequence: i64,
    pub stamp: DateTime<Utc>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    /// The event's public page, if it has one.
    pub url: Option<String>,
    /// (name, address) of whoever sends it.
    pub organizer: (&'a str, &'a str),
    /// (name, address, answer) of the person it goes to, with RSVP requested.
    pub attendee: Option<(&'a str, &'a str, PartStat)>,
    pub cancelled: bool,
}

/// A whole calendar object with one meeting and `method` (`REQUEST`, `CANCEL`,
/// `PUBLISH`).
pub fn calendar(method: &str, m: &Meeting<'_>) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Convene//Meetings of European judicial networks//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        format!("METHOD:{method}"),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}", text(&m.uid)),
        format!("SEQUENCE:{}", m.sequence),
        format!("DTSTAMP:{}", utc(m.stamp)),
        format!("DTSTART:{}", utc(m.starts)),
        format!("DTEND:{}", utc(m.ends)),
        format!("SUMMARY:{}", text(m.summary)),
        format!(
            "STATUS:{}",
            if m.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ),
    ];
    if !m.location.is_empty() {
        lines.push(format!("LOCATION:{}", text(m.location)));
    }
    if !m.description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", text(m.description)));
    }
    if let Some(url) = &m.url {
        lines.push(format!("URL:{}", uri(url)));
    }
    lines.push(format!(
        "ORGANIZER;CN={}:mailto:{}",
        param(m.organizer.0),
        uri(m.organizer.1)
    ));
    if let Some((name, address, part)) = m.attendee {
        lines.push(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT={};RSVP={}:mailto:{}",
            param(name),
            part.as_str(),
            if part == PartStat::NeedsAction {
                "TRUE"
            } else {
                "FALSE"
            },
            uri(address)
        ));
    }
    lines.push("END:VEVENT".to_owned());
    lines.push("END:VCALENDAR".to_owned());
    let mut out = String::new();
    for l in lines {
        fold(&l, &mut out);
    }
    out
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped; other
/// control characters and bidirectional overrides dropped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() || crate::domain::is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (`CN=`): quoted, without the characters a quoted value
/// cannot hold.
fn param(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && !crate::domain::is_bidi_control(*c))
        .collect();
    format!("\"{clean}\"")
}

/// A URI value: no spaces, controls or line breaks.
fn uri(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

/// Appends one content line, folded at 75 octets (CRLF and a space), never inside
/// a UTF-8 character.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn hostile_text_stays_inside_its_property_and_lines_fold_at_75_octets() {
        let t = Utc.with_ymd_and_hms(2027, 3, 17, 8, 30, 0).unwrap();
        let summary = "Plenary; spring, 2027\r\nATTENDEE:mailto:evil@example.com\u{202E}";
        let long = "é".repeat(100);
        let ics = calendar(
            "REQUEST",
            &Meeting {
                uid: "event-3@convene.example".into(),
                sequence: 2,
                stamp: t,
                starts: t,
                ends: t,
                summary,
                location: &long,
                description: "",
                url: None,
                organizer: ("Aoife \"Chair\" Byrne", "aoife@example.eu"),
                attendee: Some(("Ana", "ana@example.eu", PartStat::NeedsAction)),
                cancelled: false,
            },
        );
        assert!(ics
            .contains("SUMMARY:Plenary\\; spring\\, 2027\\nATTENDEE:mailto:evil@example.com\r\n"));
        assert_eq!(
            ics.matches("\r\nATTENDEE").count(),
            1,
            "one attendee line only"
        );
        assert!(ics.contains("ORGANIZER;CN=\"Aoife Chair Byrne\":mailto:aoife@example.eu"));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(ics.contains("DTSTART:20270317T083000Z"));
    }
}
