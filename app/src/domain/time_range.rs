use super::DomainError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A start and an end in UTC where the end is after the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl TimeRange {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Self, DomainError> {
        if end <= start {
            return Err(DomainError::new(
                "ends_at",
                "The end must be after the start.",
            ));
        }
        Ok(Self { start, end })
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Upcoming means not yet over: an event in progress is still upcoming.
    pub fn is_over_at(&self, now: DateTime<Utc>) -> bool {
        self.end <= now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 19, h, 0, 0).unwrap()
    }

    #[test]
    fn an_end_before_or_at_the_start_is_refused_on_the_end_field() {
        assert_eq!(TimeRange::new(at(10), at(9)).unwrap_err().field, "ends_at");
        assert!(TimeRange::new(at(10), at(10)).is_err());
    }

    #[test]
    fn ranges_that_touch_do_not_overlap() {
        let a = TimeRange::new(at(9), at(10)).unwrap();
        let b = TimeRange::new(at(10), at(11)).unwrap();
        let c = TimeRange::new(at(9), at(12)).unwrap();
        assert!(!a.overlaps(&b));
        assert!(c.overlaps(&a) && c.overlaps(&b));
    }

    #[test]
    fn a_range_in_progress_is_not_over() {
        let r = TimeRange::new(at(9), at(17)).unwrap();
        assert!(!r.is_over_at(at(12)));
        assert!(r.is_over_at(at(17)));
    }
}
