//! Loading and saving the working calendar in SQLite: the `business_hours` and
//! `calendar_days` tables of `0001_foundation.sql`. Functions take a shared
//! [`rusqlite::Connection`] (a `&Transaction` derefs to one). Multi-row writes are all or
//! nothing through a SQL `SAVEPOINT`: on its own it is a transaction of its own, inside the
//! caller's transaction (e.g. first-run setup) it nests, and the caller's commit decides.
//!
//! Dates are stored as `YYYY-MM-DD`; `source` says where a row came from: `user` (set in the
//! UI), `cn-2026` (the built-in table), `ical` (an imported file).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::week::weekday_from_number;
use super::{DayKind, Interval, WeeklyHours, WorkCalendar, china, ical};
use crate::{Error, Result};

/// `source` of rows the team entered by hand.
pub const SOURCE_USER: &str = "user";
/// `source` of rows written by [`import_ical`].
pub const SOURCE_ICAL: &str = "ical";
/// Longest day name accepted by [`set_day`], in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// One row of `calendar_days`, as the calendar settings page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// The date (`YYYY-MM-DD` in JSON).
    pub day: NaiveDate,
    /// Holiday or make-up working day.
    pub kind: DayKind,
    /// Display name, e.g. `国庆节`; may be empty.
    pub name: String,
    /// Where the row came from: `user`, `cn-2026`, `ical`.
    pub source: String,
}

/// What [`import_ical`] wrote, for the confirmation message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Events read from the file.
    pub events: usize,
    /// Days written as holidays.
    pub holidays: usize,
    /// Days written as make-up working days.
    pub workdays: usize,
}

/// A time-zone name (IANA, e.g. `Asia/Shanghai`) as a [`Tz`]; `calendar.time_zone_invalid`
/// otherwise. Shared by [`load`] and whoever validates the team's settings.
pub fn parse_time_zone(name: &str) -> Result<Tz> {
    name.trim().parse::<Tz>().map_err(|_| {
        Error::invalid(
            "calendar.time_zone_invalid",
            "time_zone",
            format!("{name:?} is not a known time zone (expected e.g. Asia/Shanghai)"),
        )
    })
}

/// The team's complete working calendar in time zone `tz_name` (stored with the team). An empty
/// `business_hours` table yields a week without hours, for which deadline arithmetic reports
/// `calendar.no_working_time`.
pub fn load(conn: &Connection, tz_name: &str) -> Result<WorkCalendar> {
    let tz = parse_time_zone(tz_name)?;
    let week = load_weekly_hours(conn)?;
    let mut days = BTreeMap::new();
    for row in list_days(conn, None)? {
        days.insert(row.day, (row.kind, row.name));
    }
    Ok(WorkCalendar { tz, week, days })
}

/// The weekly hours alone (for the settings page).
pub fn load_weekly_hours(conn: &Connection) -> Result<WeeklyHours> {
    let mut stmt = conn.prepare(
        "SELECT weekday, start_minute, end_minute FROM business_hours ORDER BY weekday, start_minute",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut by_day: BTreeMap<i64, Vec<Interval>> = BTreeMap::new();
    for row in rows {
        let (weekday, start, end) = row?;
        let minute = |m: i64| {
            u16::try_from(m).map_err(|_| {
                Error::invalid(
                    "calendar.interval_invalid",
                    "intervals",
                    format!("stored minute {m} is out of range"),
                )
            })
        };
        by_day
            .entry(weekday)
            .or_default()
            .push(Interval::new(minute(start)?, minute(end)?)?);
    }
    let days = by_day
        .into_iter()
        .map(|(n, intervals)| Ok((weekday_from_number(n)?, intervals)))
        .collect::<Result<Vec<_>>>()?;
    WeeklyHours::new(days)
}

/// Replace the weekly hours with `week`, all or nothing (see the module doc).
pub fn save_weekly_hours(conn: &Connection, week: &WeeklyHours) -> Result<()> {
    atomically(conn, || {
        conn.execute("DELETE FROM business_hours", [])?;
        let mut insert = conn.prepare(
            "INSERT INTO business_hours (weekday, start_minute, end_minute) VALUES (?1, ?2, ?3)",
        )?;
        for (weekday, iv) in week.rows() {
            insert.execute(params![weekday.number_from_monday(), iv.start(), iv.end()])?;
        }
        Ok(())
    })
}

/// The dated overrides in date order, all of them or those of one `year`.
pub fn list_days(conn: &Connection, year: Option<i32>) -> Result<Vec<CalendarDay>> {
    let (from, until) = match year {
        Some(y) if (1000..=9998).contains(&y) => {
            (format!("{y:04}-01-01"), format!("{:04}-01-01", y + 1))
        }
        Some(y) => {
            return Err(Error::invalid(
                "calendar.year_invalid",
                "year",
                format!("year {y} is out of range"),
            ));
        }
        // Every stored day sorts between "" and "~" (digits sort before the tilde).
        None => (String::new(), "~".to_string()),
    };
    let mut stmt = conn.prepare(
        "SELECT day, kind, name, source FROM calendar_days WHERE day >= ?1 AND day < ?2 ORDER BY day",
    )?;
    let rows = stmt.query_map(params![from, until], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (day, kind, name, source) = row?;
        let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|_| {
            Error::invalid(
                "calendar.day_invalid",
                "day",
                format!("stored day {day:?} is not a YYYY-MM-DD date"),
            )
        })?;
        out.push(CalendarDay {
            day,
            kind: kind.parse()?,
            name,
            source,
        });
    }
    Ok(out)
}

/// Run `write` all or nothing: inside a savepoint, released on success and rolled back on
/// failure. Works with or without an enclosing transaction (unlike `BEGIN`).
fn atomically<T>(conn: &Connection, write: impl FnOnce() -> Result<T>) -> Result<T> {
    conn.execute_batch("SAVEPOINT calendar_write")?;
    let result = write().and_then(|value| {
        conn.execute_batch("RELEASE calendar_write")?;
        Ok(value)
    });
    if result.is_err() {
        // Best effort: the original error is the one worth reporting.
        let _ = conn.execute_batch("ROLLBACK TO calendar_write; RELEASE calendar_write");
    }
    result
}

/// The stored text of a date; rejects years that would not sort as `YYYY-MM-DD`.
fn day_text(day: NaiveDate) -> Result<String> {
    use chrono::Datelike;
    if !(1000..=9999).contains(&day.year()) {
        return Err(Error::invalid(
            "calendar.day_invalid",
            "day",
            format!("{day} is out of range"),
        ));
    }
    Ok(day.format("%Y-%m-%d").to_string())
}

/// Mark one date as holiday or make-up working day (insert or replace; `source` becomes
/// `user`). The name is trimmed and at most [`MAX_NAME_CHARS`] characters.
pub fn set_day(conn: &Connection, day: NaiveDate, kind: DayKind, name: &str) -> Result<()> {
    let name = name.trim();
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            "calendar.name_too_long",
            "name",
            format!("the name can be at most {MAX_NAME_CHARS} characters"),
        ));
    }
    conn.execute(
        "INSERT INTO calendar_days (day, kind, name, source) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                                         source = excluded.source",
        params![day_text(day)?, kind.as_str(), name, SOURCE_USER],
    )?;
    Ok(())
}

/// Remove a date's override so the regular week applies again; `NotFound` if there was none.
pub fn remove_day(conn: &Connection, day: NaiveDate) -> Result<()> {
    let removed = conn.execute(
        "DELETE FROM calendar_days WHERE day = ?1",
        params![day_text(day)?],
    )?;
    if removed == 0 {
        return Err(Error::NotFound("calendar_day"));
    }
    Ok(())
}

/// Add the official 2026 mainland-China holidays and make-up days ([`china::days_2026`]).
/// Idempotent and respectful of the team's edits: dates that already have a row are left
/// alone. Returns the number of rows added.
pub fn seed_china_2026(conn: &Connection) -> Result<usize> {
    atomically(conn, || {
        let mut insert = conn.prepare(
            "INSERT OR IGNORE INTO calendar_days (day, kind, name, source) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut added = 0;
        for d in china::days_2026() {
            added += insert.execute(params![
                day_text(d.day)?,
                d.kind.as_str(),
                d.name,
                china::SOURCE_2026
            ])?;
        }
        Ok(added)
    })
}

/// Import a holiday calendar file (iCalendar text, rules in [`super::ical`]). Every day it
/// marks is written with `source = 'ical'`, replacing an existing row for that date; all or
/// nothing.
pub fn import_ical(conn: &Connection, text: &str) -> Result<ImportSummary> {
    let parsed = ical::parse(text)?;
    let mut summary = ImportSummary {
        events: parsed.events,
        ..ImportSummary::default()
    };
    atomically(conn, || {
        let mut upsert = conn.prepare(
            "INSERT INTO calendar_days (day, kind, name, source) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                                             source = excluded.source",
        )?;
        for d in &parsed.days {
            upsert.execute(params![
                day_text(d.day)?,
                d.kind.as_str(),
                d.name,
                SOURCE_ICAL
            ])?;
            match d.kind {
                DayKind::Holiday => summary.holidays += 1,
                DayKind::Workday => summary.workdays += 1,
            }
        }
        Ok(summary)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("../../migrations/0001_foundation.sql"))
            .unwrap();
        conn
    }

    fn count(conn: &Connection) -> i64 {
        conn.query_row("SELECT COUNT(*) FROM calendar_days", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn weekly_hours_round_trip() {
        let conn = db();
        assert!(load_weekly_hours(&conn).unwrap().is_empty());
        let week = WeeklyHours::default_china_with_lunch();
        save_weekly_hours(&conn, &week).unwrap();
        assert_eq!(load_weekly_hours(&conn).unwrap(), week);
        let rows: i64 = conn
            .query_row("SELECT COUNT(*) FROM business_hours", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 10);
        // Saving replaces, it does not add.
        save_weekly_hours(&conn, &WeeklyHours::default_china()).unwrap();
        assert_eq!(
            load_weekly_hours(&conn).unwrap(),
            WeeklyHours::default_china()
        );
        save_weekly_hours(&conn, &WeeklyHours::empty()).unwrap();
        assert!(load_weekly_hours(&conn).unwrap().is_empty());
    }

    #[test]
    fn seed_is_idempotent_and_keeps_user_rows() {
        let conn = db();
        set_day(&conn, d(2026, 10, 8), DayKind::Holiday, "公司团建").unwrap();
        set_day(&conn, d(2026, 10, 1), DayKind::Holiday, "我们的国庆").unwrap();
        let total = china::days_2026().len();
        assert_eq!(seed_china_2026(&conn).unwrap(), total - 1);
        assert_eq!(seed_china_2026(&conn).unwrap(), 0);
        assert_eq!(count(&conn), total as i64 + 1);
        let days = list_days(&conn, Some(2026)).unwrap();
        let oct1 = days.iter().find(|x| x.day == d(2026, 10, 1)).unwrap();
        assert_eq!(
            (oct1.name.as_str(), oct1.source.as_str()),
            ("我们的国庆", "user")
        );
        let oct10 = days.iter().find(|x| x.day == d(2026, 10, 10)).unwrap();
        assert_eq!(oct10.kind, DayKind::Workday);
        assert_eq!(oct10.source, "cn-2026");
        assert!(list_days(&conn, Some(2025)).unwrap().is_empty());
        assert_eq!(list_days(&conn, None).unwrap().len(), total + 1);
        assert_eq!(
            list_days(&conn, Some(99999)).unwrap_err().code(),
            "calendar.year_invalid"
        );
        let json = serde_json::to_value(oct10).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"day": "2026-10-10", "kind": "workday", "name": "国庆节补班", "source": "cn-2026"})
        );
    }

    #[test]
    fn writes_nest_inside_a_callers_transaction() {
        let mut conn = db();
        let tx = conn.transaction().unwrap();
        save_weekly_hours(&tx, &WeeklyHours::default_china()).unwrap();
        assert_eq!(seed_china_2026(&tx).unwrap(), china::days_2026().len());
        tx.rollback().unwrap();
        assert!(load_weekly_hours(&conn).unwrap().is_empty());
        assert_eq!(count(&conn), 0);

        let tx = conn.transaction().unwrap();
        save_weekly_hours(&tx, &WeeklyHours::default_china()).unwrap();
        seed_china_2026(&tx).unwrap();
        tx.commit().unwrap();
        assert_eq!(
            load_weekly_hours(&conn).unwrap(),
            WeeklyHours::default_china()
        );
        assert_eq!(count(&conn), china::days_2026().len() as i64);
    }

    #[test]
    fn failed_write_is_rolled_back() {
        let conn = db();
        let result: Result<()> = atomically(&conn, || {
            set_day(&conn, d(2026, 1, 1), DayKind::Holiday, "x")?;
            Err(Error::NotFound("test"))
        });
        assert!(matches!(result, Err(Error::NotFound("test"))));
        assert_eq!(count(&conn), 0);
        assert!(conn.is_autocommit(), "no transaction left open");
    }

    #[test]
    fn set_and_remove_days() {
        let conn = db();
        let day = d(2026, 3, 7);
        set_day(&conn, day, DayKind::Workday, "  加班日 ").unwrap();
        set_day(&conn, day, DayKind::Holiday, "休息").unwrap();
        let rows = list_days(&conn, None).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].kind, rows[0].name.as_str()),
            (DayKind::Holiday, "休息")
        );
        assert_eq!(
            set_day(&conn, day, DayKind::Holiday, &"长".repeat(101))
                .unwrap_err()
                .code(),
            "calendar.name_too_long"
        );
        remove_day(&conn, day).unwrap();
        assert!(matches!(remove_day(&conn, day), Err(Error::NotFound(_))));
        assert_eq!(count(&conn), 0);
    }

    #[test]
    fn loaded_calendar_sees_the_holidays() {
        let conn = db();
        save_weekly_hours(&conn, &WeeklyHours::default_china()).unwrap();
        seed_china_2026(&conn).unwrap();
        let cal = load(&conn, "Asia/Shanghai").unwrap();
        let tz = cal.tz;
        let eve = tz.with_ymd_and_hms(2026, 9, 30, 17, 0, 0).unwrap().to_utc();
        assert_eq!(
            cal.add_business_minutes(eve, 540).unwrap(),
            tz.with_ymd_and_hms(2026, 10, 8, 17, 0, 0).unwrap().to_utc()
        );
        assert!(cal.is_working_day(d(2026, 10, 10)));
        // A later user change shows up after reloading.
        set_day(&conn, d(2026, 10, 8), DayKind::Holiday, "延长假期").unwrap();
        let cal = load(&conn, "Asia/Shanghai").unwrap();
        assert_eq!(
            cal.add_working_days_to_date(d(2026, 9, 30), 1).unwrap(),
            d(2026, 10, 9)
        );
        assert_eq!(
            load(&conn, "Mars/Olympus").unwrap_err().code(),
            "calendar.time_zone_invalid"
        );
        assert_eq!(
            load(&conn, "Europe/Berlin").unwrap().tz,
            chrono_tz::Europe::Berlin
        );
        // Nothing stored: no hours, the arithmetic says so instead of hanging.
        let empty = load(&db(), "UTC").unwrap();
        assert_eq!(
            empty.next_business_instant(Utc::now()).unwrap_err().code(),
            "calendar.no_working_time"
        );
    }

    #[test]
    fn import_good_and_folded_files() {
        let conn = db();
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261001\r\n\
                    DTEND;VALUE=DATE:20261008\r\nSUMMARY:国庆节\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\n\
                    DTSTART;VALUE=DATE:20261010\r\nSUMMARY:国庆节补班\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let summary = import_ical(&conn, text).unwrap();
        assert_eq!(
            summary,
            ImportSummary {
                events: 2,
                holidays: 7,
                workdays: 1
            }
        );
        let days = list_days(&conn, Some(2026)).unwrap();
        assert_eq!(days.len(), 8);
        assert!(days.iter().all(|x| x.source == "ical"));

        // Folded lines; re-importing replaces the kind of an existing day.
        let folded = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2026\n 1010\nSUMMARY:Nati\n onal Day (hol\n\tiday)\nEND:VEVENT\nEND:VCALENDAR\n";
        assert_eq!(
            import_ical(&conn, folded).unwrap(),
            ImportSummary {
                events: 1,
                holidays: 1,
                workdays: 0
            }
        );
        let cal = load(&conn, "Asia/Shanghai").unwrap();
        assert_eq!(
            cal.day_override(d(2026, 10, 10)),
            Some((DayKind::Holiday, "National Day (holiday)"))
        );
    }

    #[test]
    fn bad_import_changes_nothing() {
        let conn = db();
        seed_china_2026(&conn).unwrap();
        let before = count(&conn);
        for (text, code) in [
            ("not a calendar", "calendar.ical_invalid"),
            (
                "BEGIN:VCALENDAR\nEND:VCALENDAR\n",
                "calendar.ical_no_events",
            ),
            (
                "BEGIN:VEVENT\nDTSTART:20261001\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:2026-10-02\nEND:VEVENT\n",
                "calendar.ical_invalid",
            ),
        ] {
            assert_eq!(import_ical(&conn, text).unwrap_err().code(), code);
        }
        assert_eq!(count(&conn), before);
        let day = list_days(&conn, None)
            .unwrap()
            .into_iter()
            .find(|x| x.day == d(2026, 10, 1))
            .unwrap();
        assert_eq!(day.source, "cn-2026");
    }
}
