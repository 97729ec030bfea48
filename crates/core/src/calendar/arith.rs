//! Business-time arithmetic on a [`WorkCalendar`]: the next open instant, adding and measuring
//! business minutes, and counting working days. Pure functions of the calendar and their
//! arguments (no clock, no I/O).
//!
//! Definitions used throughout:
//! - A day's business time is its intervals ([`WorkCalendar::intervals_on`]) mapped from local
//!   wall-clock minutes to instants. A wall-clock time that occurs twice (DST ends) maps to its
//!   earlier occurrence; one that does not exist (DST starts) maps to the end of the gap, the
//!   first instant that exists on the wall clock after it. So an interval containing the switch
//!   is an hour longer or shorter in real minutes, and nothing panics.
//! - Intervals are half-open: the instant an interval ends is not business time.
//! - Searches give up with `calendar.no_working_time` after [`MAX_IDLE_DAYS`] consecutive days
//!   without business time, so a calendar without hours never hangs.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone};
use chrono::{Timelike, Utc};

use super::WorkCalendar;
use crate::{Error, Result};

/// How many consecutive calendar days without business time a search walks through before it
/// concludes the calendar has no working time (about three years).
pub const MAX_IDLE_DAYS: u32 = 1096;

/// Largest duration [`WorkCalendar::add_business_minutes`] accepts (about 19 years around the
/// clock); keeps absurd input from walking the calendar for minutes of CPU time.
const MAX_MINUTES: i64 = 10_000_000;

/// Largest count of working days the day arithmetic accepts (far beyond any real deadline).
const MAX_WORKING_DAYS: u32 = 100_000;

/// One stretch of business time as instants, half-open `[start, end)`, never empty.
type Span = (DateTime<Utc>, DateTime<Utc>);

fn no_working_time() -> Error {
    Error::invalid(
        "calendar.no_working_time",
        "business_hours",
        format!(
            "no business hours within {MAX_IDLE_DAYS} consecutive days; check the weekly hours and holidays"
        ),
    )
}

fn out_of_range() -> Error {
    Error::invalid(
        "calendar.out_of_range",
        "date",
        "the date is outside the supported range",
    )
}

impl WorkCalendar {
    /// The team-local calendar date of an instant.
    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.tz).date_naive()
    }

    /// A local wall-clock time as an instant, resolving DST as described in the module doc.
    fn instant(&self, local: NaiveDateTime) -> Result<DateTime<Utc>> {
        match self.tz.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.to_utc()),
            LocalResult::None => {
                // In a gap: walk forward to the first wall-clock minute that exists. Real gaps are
                // at most a day long and start on whole minutes.
                let mut probe = local
                    .with_second(0)
                    .and_then(|p| p.with_nanosecond(0))
                    .ok_or_else(out_of_range)?;
                for _ in 0..2 * 1440 {
                    probe = probe
                        .checked_add_signed(TimeDelta::minutes(1))
                        .ok_or_else(out_of_range)?;
                    if let Some(t) = self.tz.from_local_datetime(&probe).earliest() {
                        return Ok(t.to_utc());
                    }
                }
                Err(out_of_range())
            }
        }
    }

    /// `minute` minutes after local midnight of `day` (1440 = the next midnight), as an instant.
    fn boundary(&self, day: NaiveDate, minute: u16) -> Result<DateTime<Utc>> {
        let local = day
            .and_time(NaiveTime::MIN)
            .checked_add_signed(TimeDelta::minutes(minute.into()))
            .ok_or_else(out_of_range)?;
        self.instant(local)
    }

    /// The business spans of a local date as instants, in order, disjoint, non-empty (an
    /// interval that DST squeezes to nothing is dropped).
    fn spans_on(&self, day: NaiveDate) -> Result<Vec<Span>> {
        let mut spans: Vec<Span> = Vec::new();
        for iv in self.intervals_on(day) {
            let mut start = self.boundary(day, iv.start())?;
            if let Some(&(_, prev_end)) = spans.last() {
                start = start.max(prev_end);
            }
            let end = self.boundary(day, iv.end())?;
            if end > start {
                spans.push((start, end));
            }
        }
        Ok(spans)
    }

    /// Feed the spans of `from` and the following days to `visit` until it returns a value;
    /// fails after [`MAX_IDLE_DAYS`] consecutive days without business time.
    fn scan<T>(&self, from: NaiveDate, mut visit: impl FnMut(Span) -> Option<T>) -> Result<T> {
        let mut day = from;
        let mut idle = 0u32;
        loop {
            let spans = self.spans_on(day)?;
            if spans.is_empty() {
                idle += 1;
                if idle > MAX_IDLE_DAYS {
                    return Err(no_working_time());
                }
            } else {
                idle = 0;
            }
            if let Some(found) = spans.into_iter().find_map(&mut visit) {
                return Ok(found);
            }
            day = day.succ_opt().ok_or_else(out_of_range)?;
        }
    }

    /// Whether `t` lies inside business hours ("are we open now?"); an interval's end instant
    /// is outside.
    pub fn is_open_at(&self, t: DateTime<Utc>) -> bool {
        self.spans_on(self.local_date(t))
            .is_ok_and(|spans| spans.iter().any(|&(s, e)| s <= t && t < e))
    }

    /// Where business time resumes: `t` itself if it is inside business hours, else the start
    /// of the next business interval. The start of every business-time clock.
    pub fn next_business_instant(&self, t: DateTime<Utc>) -> Result<DateTime<Utc>> {
        self.scan(self.local_date(t), |(s, e)| (e > t).then(|| s.max(t)))
    }

    /// The deadline `minutes` business minutes after `t`: the earliest instant `r >= t` such
    /// that exactly `minutes` minutes of business time lie in `[t, r)`. Time outside business
    /// hours does not count, so starting outside hours effectively starts at the next business
    /// minute; when the count runs out exactly at an interval's end the result is that end (not
    /// the next interval's start). `0` returns `t` unchanged. Negative `minutes` are rejected
    /// (`calendar.minutes_negative`).
    pub fn add_business_minutes(&self, t: DateTime<Utc>, minutes: i64) -> Result<DateTime<Utc>> {
        if minutes < 0 {
            return Err(Error::invalid(
                "calendar.minutes_negative",
                "minutes",
                "a duration cannot be negative",
            ));
        }
        if minutes > MAX_MINUTES {
            return Err(Error::invalid(
                "calendar.minutes_too_large",
                "minutes",
                format!("a duration can be at most {MAX_MINUTES} business minutes"),
            ));
        }
        if minutes == 0 {
            return Ok(t);
        }
        let mut left = TimeDelta::minutes(minutes);
        self.scan(self.local_date(t), |(s, e)| {
            if e <= t {
                return None;
            }
            let begin = s.max(t);
            let available = e - begin;
            if available >= left {
                Some(begin + left)
            } else {
                left -= available;
                None
            }
        })
    }

    /// Whole business minutes in `[a, b)` (truncated; `0` if `b <= a`). The inverse of
    /// [`WorkCalendar::add_business_minutes`]: `between(t, add(t, m)) == m`.
    pub fn business_minutes_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        if b <= a {
            return 0;
        }
        let last = self.local_date(b);
        let mut total = TimeDelta::zero();
        for day in self.local_date(a).iter_days().take_while(|d| *d <= last) {
            if self.intervals_on(day).is_empty() {
                continue;
            }
            for (s, e) in self.spans_on(day).unwrap_or_default() {
                let (lo, hi) = (s.max(a), e.min(b));
                if hi > lo {
                    total += hi - lo;
                }
            }
        }
        total.num_minutes()
    }

    /// The deadline "within `n` working days" of `t`. Definition: let `start =
    /// next_business_instant(t)` and `D` its local date; the result is the same local time of
    /// day as `start` on the `n`-th working day after `D`
    /// ([`WorkCalendar::add_working_days_to_date`]), clamped into that day's business
    /// intervals: if the time falls before or between intervals it moves to the next interval's
    /// start, if it is after the last interval it becomes that interval's end. `n = 0` gives
    /// `start`. E.g. Thursday 10:00 + 3 → Tuesday 10:00; Saturday 11:00 + 1 → Tuesday 09:00.
    pub fn add_working_days(&self, t: DateTime<Utc>, n: u32) -> Result<DateTime<Utc>> {
        check_working_days(n)?;
        let start = self.next_business_instant(t)?;
        if n == 0 {
            return Ok(start);
        }
        let local = start.with_timezone(&self.tz).naive_local();
        let target = self.add_working_days_to_date(local.date(), n)?;
        let time = local.time();
        let second = time.num_seconds_from_midnight();
        let intervals = self.intervals_on(target);
        let at_minute = |m: u16| {
            target
                .and_time(NaiveTime::MIN)
                .checked_add_signed(TimeDelta::minutes(m.into()))
                .ok_or_else(out_of_range)
        };
        let when = match intervals
            .iter()
            .find(|iv| second < u32::from(iv.end()) * 60)
        {
            Some(iv) if second >= u32::from(iv.start()) * 60 => target.and_time(time),
            Some(iv) => at_minute(iv.start())?,
            None => at_minute(intervals.last().ok_or_else(no_working_time)?.end())?,
        };
        self.instant(when)
    }

    /// The `n`-th working day after `day` (`day` itself for `n = 0`, working or not). For
    /// deadlines counted in whole days such as "onboarding within 5 working days".
    pub fn add_working_days_to_date(&self, day: NaiveDate, n: u32) -> Result<NaiveDate> {
        check_working_days(n)?;
        let mut current = day;
        let (mut left, mut idle) = (n, 0u32);
        while left > 0 {
            current = current.succ_opt().ok_or_else(out_of_range)?;
            if self.is_working_day(current) {
                left -= 1;
                idle = 0;
            } else {
                idle += 1;
                if idle > MAX_IDLE_DAYS {
                    return Err(no_working_time());
                }
            }
        }
        Ok(current)
    }

    /// Working days in `(a, b]` when `b >= a`, or minus the working days in `(b, a]` when
    /// `b < a` (e.g. "3 working days overdue"). Consistent with
    /// [`WorkCalendar::add_working_days_to_date`]: `between(d, add(d, n)) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let count = lo
            .iter_days()
            .skip(1)
            .take_while(|d| *d <= hi)
            .filter(|d| self.is_working_day(*d))
            .count();
        sign * i64::try_from(count).unwrap_or(i64::MAX)
    }
}

fn check_working_days(n: u32) -> Result<()> {
    if n > MAX_WORKING_DAYS {
        return Err(Error::invalid(
            "calendar.days_too_large",
            "days",
            format!("at most {MAX_WORKING_DAYS} working days"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{DayKind, Interval, WeeklyHours, china};
    use chrono::{Datelike, Weekday};
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A local wall-clock time that exists exactly once, as an instant.
    fn at(cal: &WorkCalendar, y: i32, mo: u32, day: u32, h: u32, mi: u32) -> DateTime<Utc> {
        cal.tz
            .with_ymd_and_hms(y, mo, day, h, mi, 0)
            .single()
            .unwrap()
            .to_utc()
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn iv(s: &str, e: &str) -> Interval {
        Interval::parse(s, e).unwrap()
    }

    fn shanghai(week: WeeklyHours) -> WorkCalendar {
        WorkCalendar::new(chrono_tz::Asia::Shanghai, week)
    }

    fn china_2026(week: WeeklyHours) -> WorkCalendar {
        let mut cal = shanghai(week);
        for day in china::days_2026() {
            cal.set_day(day.day, day.kind, day.name);
        }
        cal
    }

    #[test]
    fn friday_afternoon_plus_one_hour_is_monday_morning() {
        let cal = shanghai(WeeklyHours::mon_fri(&[iv("09:00", "17:00")]).unwrap());
        let fri = at(&cal, 2026, 3, 6, 16, 30);
        assert_eq!(d(2026, 3, 6).weekday(), Weekday::Fri);
        let due = cal.add_business_minutes(fri, 60).unwrap();
        assert_eq!(due, at(&cal, 2026, 3, 9, 9, 30));
        assert_eq!(cal.business_minutes_between(fri, due), 60);
        // Running out exactly at the end of the day gives the end, not Monday 09:00.
        assert_eq!(
            cal.add_business_minutes(fri, 30).unwrap(),
            at(&cal, 2026, 3, 6, 17, 0)
        );
        assert_eq!(cal.add_business_minutes(fri, 0).unwrap(), fri);
    }

    #[test]
    fn lunch_break_is_skipped() {
        let cal = shanghai(WeeklyHours::default_china_with_lunch());
        let start = at(&cal, 2026, 3, 4, 11, 30);
        assert_eq!(
            cal.add_business_minutes(start, 60).unwrap(),
            at(&cal, 2026, 3, 4, 13, 30)
        );
        assert!(!cal.is_open_at(at(&cal, 2026, 3, 4, 12, 15)));
        assert_eq!(
            cal.next_business_instant(at(&cal, 2026, 3, 4, 12, 15))
                .unwrap(),
            at(&cal, 2026, 3, 4, 13, 0)
        );
        // A full day is 8 business hours.
        assert_eq!(
            cal.business_minutes_between(at(&cal, 2026, 3, 4, 0, 0), at(&cal, 2026, 3, 5, 0, 0)),
            480
        );
    }

    #[test]
    fn national_day_2026_with_make_up_days() {
        let cal = china_2026(WeeklyHours::default_china());
        let eve = at(&cal, 2026, 9, 30, 17, 0);
        // One business day's worth of minutes (9 h): 1 h on the eve, 8 h on 8 October.
        let due = cal.add_business_minutes(eve, 9 * 60).unwrap();
        assert_eq!(due, at(&cal, 2026, 10, 8, 17, 0));
        assert_eq!(cal.business_minutes_between(eve, due), 540);
        for holiday in 1..=7 {
            assert!(!cal.is_working_day(d(2026, 10, holiday)), "Oct {holiday}");
        }
        assert_eq!(d(2026, 9, 20).weekday(), Weekday::Sun);
        assert_eq!(d(2026, 10, 10).weekday(), Weekday::Sat);
        assert!(cal.is_working_day(d(2026, 9, 20)));
        assert!(cal.is_working_day(d(2026, 10, 10)));
        assert!(!cal.is_working_day(d(2026, 10, 11)));
        assert_eq!(cal.intervals_on(d(2026, 10, 10)), &[iv("09:00", "18:00")]);
        assert_eq!(
            cal.add_working_days_to_date(d(2026, 9, 30), 1).unwrap(),
            d(2026, 10, 8)
        );
        assert_eq!(
            cal.add_working_days_to_date(d(2026, 9, 30), 3).unwrap(),
            d(2026, 10, 10)
        );
        assert_eq!(
            cal.add_working_days_to_date(d(2026, 9, 30), 4).unwrap(),
            d(2026, 10, 12)
        );
        assert_eq!(cal.working_days_between(d(2026, 9, 30), d(2026, 10, 12)), 4);
        assert_eq!(
            cal.working_days_between(d(2026, 10, 12), d(2026, 9, 30)),
            -4
        );
        // Saturday 19 Sep .. Monday 21 Sep: Sunday 20 is a make-up day.
        assert_eq!(cal.working_days_between(d(2026, 9, 19), d(2026, 9, 21)), 2);
        assert_eq!(
            cal.add_working_days(eve, 1).unwrap(),
            at(&cal, 2026, 10, 8, 17, 0)
        );
    }

    #[test]
    fn spring_festival_make_up_saturday() {
        let cal = china_2026(WeeklyHours::default_china());
        assert_eq!(d(2026, 2, 13).weekday(), Weekday::Fri);
        assert_eq!(
            cal.add_working_days_to_date(d(2026, 2, 13), 1).unwrap(),
            d(2026, 2, 14)
        );
        assert_eq!(
            cal.add_working_days(at(&cal, 2026, 2, 13, 10, 0), 1)
                .unwrap(),
            at(&cal, 2026, 2, 14, 10, 0)
        );
        // After the make-up Saturday the festival runs until 23 February.
        assert_eq!(
            cal.add_working_days_to_date(d(2026, 2, 14), 1).unwrap(),
            d(2026, 2, 24)
        );
    }

    #[test]
    fn created_on_saturday_starts_monday() {
        let cal = shanghai(WeeklyHours::default_china());
        let sat = at(&cal, 2026, 3, 7, 11, 0);
        assert_eq!(
            cal.next_business_instant(sat).unwrap(),
            at(&cal, 2026, 3, 9, 9, 0)
        );
        assert_eq!(
            cal.add_business_minutes(sat, 30).unwrap(),
            at(&cal, 2026, 3, 9, 9, 30)
        );
        assert_eq!(
            cal.add_working_days(sat, 1).unwrap(),
            at(&cal, 2026, 3, 10, 9, 0)
        );
        assert_eq!(
            cal.add_working_days(sat, 0).unwrap(),
            at(&cal, 2026, 3, 9, 9, 0)
        );
        let inside = at(&cal, 2026, 3, 9, 10, 0);
        assert_eq!(cal.next_business_instant(inside).unwrap(), inside);
        // An interval's end is outside business hours.
        assert_eq!(
            cal.next_business_instant(at(&cal, 2026, 3, 9, 18, 0))
                .unwrap(),
            at(&cal, 2026, 3, 10, 9, 0)
        );
    }

    #[test]
    fn three_working_days_from_thursday() {
        let cal = shanghai(WeeklyHours::default_china());
        assert_eq!(
            cal.add_working_days(at(&cal, 2026, 3, 5, 10, 0), 3)
                .unwrap(),
            at(&cal, 2026, 3, 10, 10, 0)
        );
    }

    #[test]
    fn working_days_clamp_into_the_target_days_hours() {
        let week = WeeklyHours::new([
            (Weekday::Mon, vec![iv("09:00", "18:00")]),
            (Weekday::Tue, vec![iv("13:00", "18:00")]),
            (
                Weekday::Wed,
                vec![iv("09:00", "12:00"), iv("14:00", "15:00")],
            ),
        ])
        .unwrap();
        let cal = shanghai(week);
        // Mon 10:00 → Tue before its hours → Tue 13:00.
        assert_eq!(
            cal.add_working_days(at(&cal, 2026, 3, 9, 10, 0), 1)
                .unwrap(),
            at(&cal, 2026, 3, 10, 13, 0)
        );
        // Mon 12:30 → Wed between intervals → Wed 14:00.
        assert_eq!(
            cal.add_working_days(at(&cal, 2026, 3, 9, 12, 30), 2)
                .unwrap(),
            at(&cal, 2026, 3, 11, 14, 0)
        );
        // Mon 17:00 → Wed after its last interval → Wed 15:00.
        assert_eq!(
            cal.add_working_days(at(&cal, 2026, 3, 9, 17, 0), 2)
                .unwrap(),
            at(&cal, 2026, 3, 11, 15, 0)
        );
    }

    #[test]
    fn no_working_time_is_an_error_not_a_hang() {
        let t = utc("2026-03-06T08:00:00Z");
        let empty = shanghai(WeeklyHours::empty());
        let code = |r: Result<DateTime<Utc>>| r.unwrap_err().code();
        assert_eq!(
            code(empty.next_business_instant(t)),
            "calendar.no_working_time"
        );
        assert_eq!(
            code(empty.add_business_minutes(t, 1)),
            "calendar.no_working_time"
        );
        assert_eq!(
            code(empty.add_working_days(t, 1)),
            "calendar.no_working_time"
        );
        assert_eq!(
            empty
                .add_working_days_to_date(d(2026, 1, 1), 1)
                .unwrap_err()
                .code(),
            "calendar.no_working_time"
        );
        assert_eq!(
            empty.business_minutes_between(t, utc("2030-01-01T00:00:00Z")),
            0
        );
        // Make-up days cannot invent hours when the week has none.
        let mut only_overrides = shanghai(WeeklyHours::empty());
        only_overrides.set_day(d(2026, 3, 7), DayKind::Workday, "");
        assert!(!only_overrides.is_working_day(d(2026, 3, 7)));

        // Four years of holidays: the search gives up instead of walking on forever.
        let mut closed = shanghai(WeeklyHours::default_china());
        for day in d(2026, 1, 1).iter_days().take(4 * 366) {
            closed.set_day(day, DayKind::Holiday, "closed");
        }
        assert_eq!(
            code(closed.add_business_minutes(t, 1)),
            "calendar.no_working_time"
        );
        // Three years of holidays are still bridged.
        let mut long = shanghai(WeeklyHours::default_china());
        for day in d(2026, 1, 1).iter_days().take(3 * 365) {
            long.set_day(day, DayKind::Holiday, "closed");
        }
        assert_eq!(
            long.next_business_instant(t).unwrap(),
            at(&long, 2029, 1, 1, 9, 0)
        );
        assert_eq!(
            shanghai(WeeklyHours::default_china())
                .add_business_minutes(t, -1)
                .unwrap_err()
                .code(),
            "calendar.minutes_negative"
        );
    }

    fn berlin(week: WeeklyHours) -> WorkCalendar {
        WorkCalendar::new(chrono_tz::Europe::Berlin, week)
    }

    #[test]
    fn berlin_office_hours_across_dst() {
        let cal = berlin(WeeklyHours::mon_fri(&[iv("09:00", "17:00")]).unwrap());
        // DST starts Sunday 2026-03-29; Friday 16:30 CET + 1 h = Monday 09:30 CEST.
        let fri = utc("2026-03-27T15:30:00Z");
        let due = cal.add_business_minutes(fri, 60).unwrap();
        assert_eq!(due, utc("2026-03-30T07:30:00Z"));
        assert_eq!(cal.business_minutes_between(fri, due), 60);
        // DST ends Sunday 2026-10-25: Friday 16:30 CEST + 1 h = Monday 09:30 CET.
        let fri = utc("2026-10-23T14:30:00Z");
        assert_eq!(
            cal.add_business_minutes(fri, 60).unwrap(),
            utc("2026-10-26T08:30:00Z")
        );
        assert_eq!(
            cal.add_working_days(fri, 1).unwrap(),
            utc("2026-10-26T15:30:00Z")
        );
    }

    #[test]
    fn berlin_interval_across_the_switch() {
        // Sundays 01:00–04:00 local: 2 real hours when DST starts, 4 when it ends.
        let cal = berlin(WeeklyHours::new([(Weekday::Sun, vec![iv("01:00", "04:00")])]).unwrap());
        let spring = (utc("2026-03-28T12:00:00Z"), utc("2026-03-29T12:00:00Z"));
        let autumn = (utc("2026-10-24T12:00:00Z"), utc("2026-10-25T12:00:00Z"));
        assert_eq!(cal.business_minutes_between(spring.0, spring.1), 120);
        assert_eq!(cal.business_minutes_between(autumn.0, autumn.1), 240);
        // 01:00 CET = 00:00 UTC; an hour later the clock jumps from 02:00 to 03:00.
        assert_eq!(
            cal.add_business_minutes(spring.0, 60).unwrap(),
            utc("2026-03-29T01:00:00Z")
        );
        assert_eq!(
            cal.add_business_minutes(spring.0, 120).unwrap(),
            utc("2026-03-29T02:00:00Z")
        );
        // 01:00 CEST = 23:00 UTC Saturday; the end 04:00 CET = 03:00 UTC.
        assert_eq!(
            cal.next_business_instant(autumn.0).unwrap(),
            utc("2026-10-24T23:00:00Z")
        );
        assert_eq!(
            cal.add_business_minutes(autumn.0, 240).unwrap(),
            utc("2026-10-25T03:00:00Z")
        );
    }

    #[test]
    fn berlin_time_of_day_in_the_gap_moves_forward() {
        let week = WeeklyHours::new(
            [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
                Weekday::Sun,
            ]
            .map(|w| (w, vec![iv("00:00", "24:00")])),
        )
        .unwrap();
        let cal = berlin(week);
        // Saturday 02:30 CET + 1 working day: Sunday 02:30 does not exist → 03:00 CEST.
        let sat = utc("2026-03-28T01:30:00Z");
        assert_eq!(
            cal.add_working_days(sat, 1).unwrap(),
            utc("2026-03-29T01:00:00Z")
        );
        // The DST days are 23 and 25 hours long.
        assert_eq!(
            cal.business_minutes_between(utc("2026-03-28T23:00:00Z"), utc("2026-03-29T22:00:00Z")),
            23 * 60
        );
        assert_eq!(
            cal.business_minutes_between(utc("2026-10-24T22:00:00Z"), utc("2026-10-25T23:00:00Z")),
            25 * 60
        );
        // Saturday 02:30 CEST + 1 working day: Sunday 02:30 happens twice → the first one.
        assert_eq!(
            cal.add_working_days(utc("2026-10-24T00:30:00Z"), 1)
                .unwrap(),
            utc("2026-10-25T00:30:00Z")
        );
    }

    /// Calendars the properties run against: China 2026 with lunch break, and Berlin with odd
    /// hours including an interval across the DST switch.
    fn calendars() -> Vec<WorkCalendar> {
        let berlin_week = WeeklyHours::new([
            (
                Weekday::Mon,
                vec![iv("08:00", "12:00"), iv("12:30", "16:45")],
            ),
            (Weekday::Wed, vec![iv("00:00", "24:00")]),
            (Weekday::Fri, vec![iv("22:00", "24:00")]),
            (Weekday::Sat, vec![iv("00:00", "00:15")]),
            (Weekday::Sun, vec![iv("01:30", "03:30")]),
        ])
        .unwrap();
        let mut berlin = berlin(berlin_week);
        berlin.set_day(d(2026, 5, 1), DayKind::Holiday, "Tag der Arbeit");
        berlin.set_day(d(2026, 5, 2), DayKind::Workday, "");
        vec![china_2026(WeeklyHours::default_china_with_lunch()), berlin]
    }

    /// Instants from December 2025 to January 2027, on whole seconds.
    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        let lo = utc("2025-12-01T00:00:00Z").timestamp();
        let hi = utc("2027-01-31T00:00:00Z").timestamp();
        (lo..hi).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn between_inverts_add(which in 0..2usize, t in instant(), m in 0i64..30_000) {
            let cal = &calendars()[which];
            let due = cal.add_business_minutes(t, m).unwrap();
            prop_assert!(due >= t);
            prop_assert_eq!(cal.business_minutes_between(t, due), m);
        }

        #[test]
        fn add_is_monotonic(which in 0..2usize, t in instant(), a in 0i64..20_000, b in 0i64..20_000) {
            let cal = &calendars()[which];
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(cal.add_business_minutes(t, lo).unwrap() <= cal.add_business_minutes(t, hi).unwrap());
        }

        #[test]
        fn result_is_in_business_hours(which in 0..2usize, t in instant(), m in 1i64..20_000) {
            let cal = &calendars()[which];
            let due = cal.add_business_minutes(t, m).unwrap();
            // Inside an interval or exactly at its end: the second before is business time.
            prop_assert!(cal.is_open_at(due - TimeDelta::seconds(1)), "{} → {}", t, due);
            let next = cal.next_business_instant(t).unwrap();
            prop_assert!(cal.is_open_at(next));
            prop_assert!(next >= t);
            prop_assert_eq!(cal.business_minutes_between(t, next), 0);
        }

        #[test]
        fn add_is_additive(which in 0..2usize, t in instant(), a in 0i64..15_000, b in 0i64..15_000) {
            let cal = &calendars()[which];
            let split = cal.add_business_minutes(cal.add_business_minutes(t, a).unwrap(), b).unwrap();
            prop_assert_eq!(cal.add_business_minutes(t, a + b).unwrap(), split);
        }

        #[test]
        fn working_days_round_trip(which in 0..2usize, t in instant(), n in 0u32..400) {
            let cal = &calendars()[which];
            let day = t.date_naive();
            let later = cal.add_working_days_to_date(day, n).unwrap();
            prop_assert_eq!(cal.working_days_between(day, later), i64::from(n));
            prop_assert_eq!(cal.working_days_between(later, day), -i64::from(n));
            if n > 0 {
                prop_assert!(cal.is_working_day(later));
                prop_assert!(later > day);
            }
            let due = cal.add_working_days(t, n).unwrap();
            prop_assert!(due >= t);
            let local_due = due.with_timezone(&cal.tz).date_naive();
            let start = cal.next_business_instant(t).unwrap().with_timezone(&cal.tz).date_naive();
            prop_assert_eq!(cal.working_days_between(start, local_due), i64::from(n));
        }
    }
}
