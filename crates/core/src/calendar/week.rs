//! The weekly pattern of business hours: per weekday a sorted list of non-overlapping intervals
//! in local wall-clock minutes, its validation, and its JSON shape for the settings UI.
//!
//! JSON shape (what the UI edits; all seven weekdays are written, a free day has no intervals;
//! on reading, a missing weekday means "no hours"):
//!
//! ```json
//! {"days": [{"weekday": 1, "intervals": [{"start": "09:00", "end": "12:00"},
//!                                        {"start": "13:00", "end": "18:00"}]},
//!           {"weekday": 2, "intervals": [...]}, ..., {"weekday": 7, "intervals": []}]}
//! ```
//!
//! `weekday` is 1 = Monday … 7 = Sunday (as in the `business_hours` table); times are `HH:MM`
//! in the team's time zone, `end` may be `24:00`.

use chrono::Weekday;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Minutes in a (wall-clock) day; the largest allowed interval end.
pub const MINUTES_PER_DAY: u16 = 1440;

/// One stretch of business time within a day: minutes from local midnight, half-open
/// `[start, end)`, `0 <= start < end <= 1440`. Exists so that a day's hours (with or without a
/// lunch break) are a plain list of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "IntervalJson", into = "IntervalJson")]
pub struct Interval {
    start: u16,
    end: u16,
}

impl Interval {
    /// A validated interval; rejects `start >= end` or `end > 1440` with
    /// `calendar.interval_invalid`.
    pub fn new(start: u16, end: u16) -> Result<Self> {
        if start >= end || end > MINUTES_PER_DAY {
            return Err(Error::invalid(
                "calendar.interval_invalid",
                "intervals",
                format!(
                    "an interval must start before it ends, within one day (got {}–{})",
                    format_hhmm(start),
                    format_hhmm(end)
                ),
            ));
        }
        Ok(Self { start, end })
    }

    /// An interval from `HH:MM` texts as the UI sends them (`end` may be `24:00`).
    pub fn parse(start: &str, end: &str) -> Result<Self> {
        Self::new(parse_hhmm(start)?, parse_hhmm(end)?)
    }

    /// Built-in constants only; the caller guarantees validity.
    const fn fixed(start: u16, end: u16) -> Self {
        Self { start, end }
    }

    /// First business minute, from local midnight.
    pub const fn start(self) -> u16 {
        self.start
    }

    /// The minute business stops (exclusive), from local midnight.
    pub const fn end(self) -> u16 {
        self.end
    }

    /// Nominal length in minutes (a DST switch inside the interval changes the real length).
    pub const fn minutes(self) -> u16 {
        self.end - self.start
    }
}

/// `HH:MM` → minutes from midnight; `24:00` is allowed (it is only valid as an interval end,
/// which [`Interval::new`] enforces).
fn parse_hhmm(text: &str) -> Result<u16> {
    let bad = || {
        Error::invalid(
            "calendar.time_invalid",
            "intervals",
            format!("expected a time as HH:MM, got {text:?}"),
        )
    };
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return Err(bad());
    }
    let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Minutes from midnight → `HH:MM`.
fn format_hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The serialised form of an [`Interval`].
#[derive(Serialize, Deserialize)]
struct IntervalJson {
    start: String,
    end: String,
}

impl TryFrom<IntervalJson> for Interval {
    type Error = Error;
    fn try_from(j: IntervalJson) -> Result<Self> {
        Interval::parse(&j.start, &j.end)
    }
}

impl From<Interval> for IntervalJson {
    fn from(i: Interval) -> Self {
        Self {
            start: format_hhmm(i.start),
            end: format_hhmm(i.end),
        }
    }
}

/// The team's regular week: for each weekday the business intervals, sorted and disjoint. It is
/// the base every working-time computation starts from; holidays and make-up days
/// ([`super::DayKind`]) override it per date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "WeeklyHoursJson", into = "WeeklyHoursJson")]
pub struct WeeklyHours {
    /// Index 0 = Monday … 6 = Sunday.
    days: [Vec<Interval>; 7],
}

impl WeeklyHours {
    /// A week without any business hours (every day free).
    pub fn empty() -> Self {
        Self::default()
    }

    /// A validated week from `(weekday, intervals)` pairs; weekdays not given have no hours.
    /// Each day's intervals are sorted; touching intervals (`09:00–12:00` + `12:00–18:00`) are
    /// merged into one; overlapping ones are rejected with `calendar.interval_overlap`; a weekday
    /// given twice is rejected with `calendar.weekday_duplicate`.
    pub fn new(days: impl IntoIterator<Item = (Weekday, Vec<Interval>)>) -> Result<Self> {
        let mut week = Self::empty();
        let mut seen = [false; 7];
        for (weekday, intervals) in days {
            let i = weekday.num_days_from_monday() as usize;
            if std::mem::replace(&mut seen[i], true) {
                return Err(Error::invalid(
                    "calendar.weekday_duplicate",
                    "weekday",
                    format!("{weekday} is given more than once"),
                ));
            }
            week.days[i] = normalise(intervals)?;
        }
        Ok(week)
    }

    /// Monday to Friday with the same `intervals` each day (e.g. a morning and an afternoon
    /// interval for a lunch break), weekends free.
    pub fn mon_fri(intervals: &[Interval]) -> Result<Self> {
        Self::new(WEEKDAYS[..5].iter().map(|&d| (d, intervals.to_vec())))
    }

    /// The usual mainland-China office week: Monday to Friday 09:00–18:00, no lunch break
    /// counted out. The default for a new team.
    pub fn default_china() -> Self {
        let day = vec![Interval::fixed(9 * 60, 18 * 60)];
        let mut days: [Vec<Interval>; 7] = Default::default();
        days[..5].fill(day);
        Self { days }
    }

    /// Monday to Friday 09:00–12:00 and 13:00–18:00: the common variant where the lunch hour
    /// does not count towards deadlines.
    pub fn default_china_with_lunch() -> Self {
        let day = vec![
            Interval::fixed(9 * 60, 12 * 60),
            Interval::fixed(13 * 60, 18 * 60),
        ];
        let mut days: [Vec<Interval>; 7] = Default::default();
        days[..5].fill(day);
        Self { days }
    }

    /// The intervals of a weekday in the regular week (before holiday overrides).
    pub fn on(&self, weekday: Weekday) -> &[Interval] {
        &self.days[weekday.num_days_from_monday() as usize]
    }

    /// Replace one weekday's intervals (validated as in [`WeeklyHours::new`]).
    pub fn set(&mut self, weekday: Weekday, intervals: Vec<Interval>) -> Result<()> {
        self.days[weekday.num_days_from_monday() as usize] = normalise(intervals)?;
        Ok(())
    }

    /// True when no weekday has any hours; such a week yields no working time at all.
    pub fn is_empty(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }

    /// The hours of a "standard working day", used for make-up working days (调休) that fall on
    /// a normally free weekday: Monday's hours, or if Monday is free the first weekday (Tuesday …
    /// Sunday) that has hours; empty if the week has none.
    pub fn standard_day(&self) -> &[Interval] {
        self.days
            .iter()
            .find(|d| !d.is_empty())
            .map_or(&[], Vec::as_slice)
    }

    /// Every `(weekday, interval)` in week order; the row form of the `business_hours` table.
    pub fn rows(&self) -> impl Iterator<Item = (Weekday, Interval)> + '_ {
        self.days.iter().enumerate().flat_map(|(i, day)| {
            let weekday = weekday_from_index(i);
            day.iter().map(move |&iv| (weekday, iv))
        })
    }
}

/// Weekday from the stored number 1 = Monday … 7 = Sunday (`calendar.weekday_invalid` otherwise).
pub(crate) fn weekday_from_number(n: i64) -> Result<Weekday> {
    match n {
        1..=7 => Ok(weekday_from_index((n - 1) as usize)),
        _ => Err(Error::invalid(
            "calendar.weekday_invalid",
            "weekday",
            format!("weekday must be 1 (Monday) to 7 (Sunday), got {n}"),
        )),
    }
}

/// Index 0 = Monday … 6 = Sunday; callers pass `0..7`.
fn weekday_from_index(i: usize) -> Weekday {
    WEEKDAYS[i]
}

/// The weekdays in the order of [`WeeklyHours`]' storage.
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Sort a day's intervals, merge touching ones, reject overlaps.
fn normalise(mut intervals: Vec<Interval>) -> Result<Vec<Interval>> {
    intervals.sort();
    let mut out: Vec<Interval> = Vec::with_capacity(intervals.len());
    for iv in intervals {
        match out.last_mut() {
            Some(last) if iv.start < last.end => {
                return Err(Error::invalid(
                    "calendar.interval_overlap",
                    "intervals",
                    format!(
                        "{}–{} overlaps {}–{}",
                        format_hhmm(iv.start),
                        format_hhmm(iv.end),
                        format_hhmm(last.start),
                        format_hhmm(last.end)
                    ),
                ));
            }
            Some(last) if iv.start == last.end => last.end = iv.end,
            _ => out.push(iv),
        }
    }
    Ok(out)
}

/// The serialised form of [`WeeklyHours`] (see the module doc).
#[derive(Serialize, Deserialize)]
struct WeeklyHoursJson {
    days: Vec<DayHoursJson>,
}

/// One weekday in [`WeeklyHoursJson`].
#[derive(Serialize, Deserialize)]
struct DayHoursJson {
    weekday: i64,
    #[serde(default)]
    intervals: Vec<Interval>,
}

impl TryFrom<WeeklyHoursJson> for WeeklyHours {
    type Error = Error;
    fn try_from(j: WeeklyHoursJson) -> Result<Self> {
        let days = j
            .days
            .into_iter()
            .map(|d| Ok((weekday_from_number(d.weekday)?, d.intervals)))
            .collect::<Result<Vec<_>>>()?;
        WeeklyHours::new(days)
    }
}

impl From<WeeklyHours> for WeeklyHoursJson {
    fn from(w: WeeklyHours) -> Self {
        let days = w
            .days
            .into_iter()
            .zip(1..)
            .map(|(intervals, weekday)| DayHoursJson { weekday, intervals })
            .collect();
        Self { days }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(s: &str, e: &str) -> Interval {
        Interval::parse(s, e).unwrap()
    }

    #[test]
    fn interval_validation() {
        assert_eq!(iv("09:00", "18:00").start(), 540);
        assert_eq!(iv("00:00", "24:00").minutes(), 1440);
        assert_eq!(
            Interval::new(600, 600).unwrap_err().code(),
            "calendar.interval_invalid"
        );
        assert_eq!(
            Interval::new(0, 1441).unwrap_err().code(),
            "calendar.interval_invalid"
        );
        for bad in ["9:00", "24:01", "12:60", "ab:cd", "", "25:00", "09-00"] {
            assert_eq!(
                Interval::parse(bad, "23:00").unwrap_err().code(),
                "calendar.time_invalid",
                "{bad}"
            );
        }
        assert_eq!(
            Interval::parse("24:00", "24:00").unwrap_err().code(),
            "calendar.interval_invalid"
        );
    }

    #[test]
    fn week_sorts_merges_and_rejects_overlap() {
        let w = WeeklyHours::new([(
            Weekday::Tue,
            vec![
                iv("13:00", "18:00"),
                iv("09:00", "12:00"),
                iv("12:00", "12:30"),
            ],
        )])
        .unwrap();
        assert_eq!(
            w.on(Weekday::Tue),
            &[iv("09:00", "12:30"), iv("13:00", "18:00")]
        );
        assert!(w.on(Weekday::Mon).is_empty());
        assert_eq!(w.standard_day(), w.on(Weekday::Tue));

        let err = WeeklyHours::mon_fri(&[iv("09:00", "12:00"), iv("11:00", "18:00")]).unwrap_err();
        assert_eq!(err.code(), "calendar.interval_overlap");
        let err = WeeklyHours::new([(Weekday::Mon, vec![]), (Weekday::Mon, vec![])]).unwrap_err();
        assert_eq!(err.code(), "calendar.weekday_duplicate");
    }

    #[test]
    fn defaults() {
        let w = WeeklyHours::default_china();
        assert_eq!(w.on(Weekday::Fri), &[iv("09:00", "18:00")]);
        assert!(w.on(Weekday::Sat).is_empty() && w.on(Weekday::Sun).is_empty());
        assert_eq!(w.standard_day(), &[iv("09:00", "18:00")]);
        let l = WeeklyHours::default_china_with_lunch();
        assert_eq!(
            l,
            WeeklyHours::mon_fri(&[iv("09:00", "12:00"), iv("13:00", "18:00")]).unwrap()
        );
        assert_eq!(l.rows().count(), 10);
        assert!(WeeklyHours::empty().is_empty() && WeeklyHours::empty().standard_day().is_empty());
    }

    #[test]
    fn json_shape_round_trips() {
        let w = WeeklyHours::default_china_with_lunch();
        let json = serde_json::to_value(&w).unwrap();
        assert_eq!(json["days"].as_array().unwrap().len(), 7);
        assert_eq!(json["days"][0]["weekday"], 1);
        assert_eq!(json["days"][0]["intervals"][1]["start"], "13:00");
        assert_eq!(json["days"][0]["intervals"][1]["end"], "18:00");
        assert_eq!(json["days"][6]["weekday"], 7);
        assert_eq!(json["days"][6]["intervals"], serde_json::json!([]));
        let back: WeeklyHours = serde_json::from_value(json).unwrap();
        assert_eq!(back, w);

        let sparse: WeeklyHours = serde_json::from_str(
            r#"{"days":[{"weekday":6,"intervals":[{"start":"10:00","end":"24:00"}]}]}"#,
        )
        .unwrap();
        assert_eq!(sparse.on(Weekday::Sat), &[iv("10:00", "24:00")]);
        assert!(sparse.on(Weekday::Mon).is_empty());

        for bad in [
            r#"{"days":[{"weekday":8,"intervals":[]}]}"#,
            r#"{"days":[{"weekday":1,"intervals":[{"start":"18:00","end":"09:00"}]}]}"#,
            r#"{"days":[{"weekday":1,"intervals":[{"start":"09:00","end":"12:00"},{"start":"10:00","end":"11:00"}]}]}"#,
            r#"{"days":[{"weekday":1,"intervals":[{"start":"9","end":"12:00"}]}]}"#,
        ] {
            assert!(serde_json::from_str::<WeeklyHours>(bad).is_err(), "{bad}");
        }
    }
}
