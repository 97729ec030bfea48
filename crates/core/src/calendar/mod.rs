//! Working time: the team's weekly business hours, public holidays and make-up working days
//! (调休), and the arithmetic every deadline in Rapport is built on.
//!
//! The model, in one place:
//! - [`WeeklyHours`] (`week.rs`) is the regular week: per weekday, intervals of local wall-clock
//!   minutes such as 09:00–12:00 + 13:00–18:00.
//! - Per-date overrides ([`DayKind`]): a `Holiday` has no hours at all; a `Workday` on a day
//!   that has no regular hours (a weekend make-up day) gets the hours of a standard working day,
//!   see [`WeeklyHours::standard_day`]; a `Workday` on a day with regular hours keeps them.
//! - [`WorkCalendar`] (this file) bundles the week, the overrides and the team's time zone and
//!   answers pure questions (no I/O, no clock); the deadline arithmetic is in `arith.rs`.
//! - `china.rs` holds the official mainland-China holiday table, `ical.rs` reads holiday
//!   calendars in iCalendar form, `store.rs` loads and saves all of this in SQLite, and
//!   `admin.rs` puts permission checks and audit entries in front of the store for the UI.

pub mod admin;
mod arith;
pub mod china;
pub mod ical;
pub mod store;
mod week;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

pub use admin::CalendarView;
pub use arith::MAX_IDLE_DAYS;
pub use store::{CalendarDay, ImportSummary};
pub use week::{Interval, MINUTES_PER_DAY, WeeklyHours};

use crate::{Error, Result};

/// What a dated exception to the regular week means. Stored as `holiday` / `workday`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off (public holiday, company closure): no business hours that day.
    Holiday,
    /// A working day (调休 make-up day): business hours even if the weekday is normally free.
    Workday,
}

impl DayKind {
    /// The stored and serialised text.
    pub const fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
}

impl fmt::Display for DayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DayKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "holiday" => Ok(DayKind::Holiday),
            "workday" => Ok(DayKind::Workday),
            other => Err(Error::invalid(
                "calendar.day_kind_invalid",
                "kind",
                format!("day kind must be 'holiday' or 'workday', got {other:?}"),
            )),
        }
    }
}

/// Everything needed to compute working time for the team: its time zone, regular week and
/// dated overrides. Cheap to query, holds no connection; load it with [`store::load`].
#[derive(Debug, Clone, PartialEq)]
pub struct WorkCalendar {
    /// The team's time zone; business hours are wall-clock times in it.
    pub tz: Tz,
    /// The regular week.
    pub week: WeeklyHours,
    /// Dated overrides: kind and display name (e.g. `春节`).
    pub days: BTreeMap<NaiveDate, (DayKind, String)>,
}

impl WorkCalendar {
    /// A calendar with no dated overrides.
    pub fn new(tz: Tz, week: WeeklyHours) -> Self {
        Self {
            tz,
            week,
            days: BTreeMap::new(),
        }
    }

    /// Add or replace one dated override (builder-style helper for callers and tests).
    pub fn set_day(&mut self, day: NaiveDate, kind: DayKind, name: impl Into<String>) {
        self.days.insert(day, (kind, name.into()));
    }

    /// The override for a date, if any.
    pub fn day_override(&self, day: NaiveDate) -> Option<(DayKind, &str)> {
        self.days.get(&day).map(|(k, n)| (*k, n.as_str()))
    }

    /// The business intervals (local minutes) that apply on `day`: none on a holiday; on a
    /// make-up workday whose weekday has no regular hours, the standard working day's hours
    /// ([`WeeklyHours::standard_day`]); otherwise the weekday's regular hours.
    pub fn intervals_on(&self, day: NaiveDate) -> &[Interval] {
        let regular = self.week.on(day.weekday());
        match self.days.get(&day) {
            Some((DayKind::Holiday, _)) => &[],
            Some((DayKind::Workday, _)) if regular.is_empty() => self.week.standard_day(),
            _ => regular,
        }
    }

    /// True when `day` has any business hours (after overrides).
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !self.intervals_on(day).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn overrides_decide_the_hours() {
        let mut cal = WorkCalendar::new(chrono_tz::Asia::Shanghai, WeeklyHours::default_china());
        cal.set_day(d(2026, 10, 1), DayKind::Holiday, "国庆节");
        cal.set_day(d(2026, 10, 10), DayKind::Workday, "国庆节补班");
        assert!(cal.is_working_day(d(2026, 9, 30)));
        assert!(!cal.is_working_day(d(2026, 10, 1)));
        assert!(!cal.is_working_day(d(2026, 10, 3))); // plain Saturday
        assert!(cal.is_working_day(d(2026, 10, 10))); // make-up Saturday
        assert_eq!(cal.intervals_on(d(2026, 10, 10)), cal.week.standard_day());
        assert_eq!(
            cal.day_override(d(2026, 10, 1)),
            Some((DayKind::Holiday, "国庆节"))
        );

        // A Workday on a day with its own regular hours keeps them.
        let week = WeeklyHours::new([
            (chrono::Weekday::Mon, vec![Interval::new(600, 700).unwrap()]),
            (chrono::Weekday::Sat, vec![Interval::new(60, 120).unwrap()]),
        ])
        .unwrap();
        let mut cal = WorkCalendar::new(chrono_tz::UTC, week);
        cal.set_day(d(2026, 10, 10), DayKind::Workday, "");
        cal.set_day(d(2026, 10, 11), DayKind::Workday, "");
        assert_eq!(
            cal.intervals_on(d(2026, 10, 10)),
            &[Interval::new(60, 120).unwrap()]
        );
        assert_eq!(
            cal.intervals_on(d(2026, 10, 11)),
            &[Interval::new(600, 700).unwrap()]
        );
    }

    #[test]
    fn day_kind_text() {
        assert_eq!("holiday".parse::<DayKind>().unwrap(), DayKind::Holiday);
        assert_eq!(DayKind::Workday.to_string(), "workday");
        assert_eq!(
            serde_json::to_string(&DayKind::Workday).unwrap(),
            "\"workday\""
        );
        assert_eq!(
            "Holiday".parse::<DayKind>().unwrap_err().code(),
            "calendar.day_kind_invalid"
        );
    }
}
