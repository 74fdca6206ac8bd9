//! Times are stored in UTC with the event's IANA zone beside them; people read them in
//! that zone, with the zone named.
use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

/// Parses an IANA zone name such as `Europe/Amsterdam`.
pub fn parse_zone(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// The stored zone of event `event_id`: one that does not parse is the data's
/// fault, logged with its cause and shown as an internal error.
pub fn event_zone(event_id: i64, name: &str) -> Result<Tz, crate::AppError> {
    parse_zone(name).ok_or_else(|| {
        crate::AppError::internal(anyhow::anyhow!("event {event_id} has an invalid time zone"))
    })
}

/// "25–26 September 2024", "30 September – 1 October 2025", "19 March 2025".
pub fn date_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    let s = start.with_timezone(&zone);
    // An event ending at midnight ends on the previous day for a reader.
    let e = (end - chrono::Duration::seconds(1)).with_timezone(&zone);
    let e = if e < s { s } else { e };
    if s.date_naive() == e.date_naive() {
        s.format("%-d %B %Y").to_string()
    } else if s.year() == e.year() && s.month() == e.month() {
        format!("{}–{}", s.format("%-d"), e.format("%-d %B %Y"))
    } else if s.year() == e.year() {
        format!("{} – {}", s.format("%-d %B"), e.format("%-d %B %Y"))
    } else {
        format!("{} – {}", s.format("%-d %B %Y"), e.format("%-d %B %Y"))
    }
}

/// The day a time falls on in `zone`, as pages write dates: "10 November 2026".
pub fn local_date(t: DateTime<Utc>, zone: Tz) -> String {
    crate::ui::long_date(t.with_timezone(&zone).date_naive())
}

/// "Wednesday 19 March 2025, 09:30 CET".
pub fn date_time(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone)
        .format("%A %-d %B %Y, %H:%M %Z")
        .to_string()
}

/// An event's registration window as a sentence, in the event's zone and relative
/// to `now`: "Opens … and closes …", "Open now, until …", "Closed on …"; `None`
/// when no date is set.
pub fn registration_window(
    opens: Option<DateTime<Utc>>,
    closes: Option<DateTime<Utc>>,
    zone: Tz,
    now: DateTime<Utc>,
) -> Option<String> {
    let at = |t: DateTime<Utc>| date_time(t, zone);
    Some(match (opens, closes) {
        (None, None) => return None,
        (_, Some(c)) if c <= now => format!("Closed on {}.", at(c)),
        (Some(o), Some(c)) if o > now => format!("Opens {} and closes {}.", at(o), at(c)),
        (_, Some(c)) => format!("Open now, until {}.", at(c)),
        (Some(o), None) if o > now => format!("Opens {}.", at(o)),
        (Some(o), None) => format!("Opened {}.", at(o)),
    })
}

/// The value for an HTML `datetime` attribute, with the zone's offset.
pub fn machine(t: DateTime<Utc>, zone: Tz) -> String {
    t.with_timezone(&zone).to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_hague_in_september_is_summer_time() {
        let z = parse_zone("Europe/Amsterdam").unwrap();
        assert_eq!(
            date_time(utc(2024, 9, 25, 7, 30), z),
            "Wednesday 25 September 2024, 09:30 CEST"
        );
        assert_eq!(
            date_time(utc(2025, 3, 19, 8, 0), z),
            "Wednesday 19 March 2025, 09:00 CET"
        );
    }

    #[test]
    fn spans_collapse_shared_months_and_years() {
        let z = parse_zone("Europe/Amsterdam").unwrap();
        assert_eq!(
            date_span(utc(2024, 9, 25, 7, 0), utc(2024, 9, 26, 15, 0), z),
            "25–26 September 2024"
        );
        assert_eq!(
            date_span(utc(2025, 9, 30, 7, 0), utc(2025, 10, 1, 15, 0), z),
            "30 September – 1 October 2025"
        );
        assert_eq!(
            date_span(utc(2025, 3, 19, 8, 0), utc(2025, 3, 19, 16, 0), z),
            "19 March 2025"
        );
    }

    #[test]
    fn the_registration_window_reads_relative_to_now() {
        let z = parse_zone("Europe/Amsterdam").unwrap();
        let (o, c) = (utc(2027, 2, 1, 8, 0), utc(2027, 3, 5, 16, 0));
        assert_eq!(
            registration_window(Some(o), Some(c), z, utc(2027, 1, 1, 0, 0)).unwrap(),
            "Opens Monday 1 February 2027, 09:00 CET and closes Friday 5 March 2027, 17:00 CET."
        );
        assert_eq!(
            registration_window(Some(o), Some(c), z, utc(2027, 2, 10, 0, 0)).unwrap(),
            "Open now, until Friday 5 March 2027, 17:00 CET."
        );
        assert_eq!(
            registration_window(Some(o), Some(c), z, utc(2027, 4, 1, 0, 0)).unwrap(),
            "Closed on Friday 5 March 2027, 17:00 CET."
        );
        assert_eq!(registration_window(None, None, z, o), None);
    }

    #[test]
    fn an_unknown_zone_is_refused() {
        assert!(parse_zone("Europe/Atlantis").is_none());
    }
}
