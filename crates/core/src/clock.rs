//! Where "now" comes from. Production uses the system clock; tests and the admin CLI's
//! `reminders --at` use a fixed or settable clock, so every time rule can be checked at any
//! instant without waiting.

use chrono::{DateTime, Utc};
use std::sync::Mutex;

/// A source of the current instant.
pub trait Clock: Send + Sync {
    /// The current instant, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that says what it is told: fixed at an instant, or shifted from the real clock by an
/// offset (used by test builds of the app to push items past their deadlines without waiting).
#[derive(Debug, Default)]
pub struct ManualClock {
    state: Mutex<ManualState>,
}

#[derive(Debug, Default, Clone, Copy)]
enum ManualState {
    /// Real time plus nothing.
    #[default]
    Real,
    /// Always this instant.
    Fixed(DateTime<Utc>),
    /// Real time plus this many seconds.
    Offset(i64),
}

impl ManualClock {
    /// A clock fixed at `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            state: Mutex::new(ManualState::Fixed(at)),
        }
    }

    /// Fix the clock at `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.lock() = ManualState::Fixed(at);
    }

    /// Run at real speed, shifted by `seconds` from the wall clock.
    pub fn set_offset(&self, seconds: i64) {
        *self.lock() = ManualState::Offset(seconds);
    }

    /// Move a fixed clock forward (or an offset clock further) by `seconds`.
    pub fn advance(&self, seconds: i64) {
        let mut s = self.lock();
        *s = match *s {
            ManualState::Real => ManualState::Offset(seconds),
            ManualState::Fixed(t) => ManualState::Fixed(t + chrono::Duration::seconds(seconds)),
            ManualState::Offset(o) => ManualState::Offset(o + seconds),
        };
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ManualState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        match *self.lock() {
            ManualState::Real => Utc::now(),
            ManualState::Fixed(t) => t,
            ManualState::Offset(o) => Utc::now() + chrono::Duration::seconds(o),
        }
    }
}

/// The instant a stored INTEGER of Unix seconds stands for (out-of-range values, which only a
/// damaged database could hold, read as the epoch rather than failing the whole list).
pub fn from_unix(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn manual_clock_is_fixed_and_advances() {
        let t = Utc.with_ymd_and_hms(2026, 3, 1, 8, 0, 0).unwrap();
        let c = ManualClock::fixed(t);
        assert_eq!(c.now(), t);
        c.advance(90);
        assert_eq!(c.now(), t + chrono::Duration::seconds(90));
        c.set_offset(3600);
        let drift = c.now() - Utc::now();
        assert!((drift.num_seconds() - 3600).abs() <= 1);
    }
}
