use chrono::{DateTime, Utc};

/// The one place that reads the system time, so tests can fix "now".
#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    #[default]
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    #[allow(clippy::disallowed_methods)] // the clock is where Utc::now belongs
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }
}
