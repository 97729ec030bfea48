//! The calendar settings page's operations: read the hours and days, and change them with the
//! permission checks and audit entries a person's change needs. The arithmetic and the raw
//! storage live in the sibling modules; this file only guards and records.

use super::store::{self, CalendarDay, ImportSummary};
use super::{DayKind, WeeklyHours};
use crate::Result;
use crate::account::Actor;
use crate::permission::Action;
use crate::team::{self, audit};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use serde::Serialize;

/// Everything the calendar page shows.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    /// The team's IANA time zone.
    pub time_zone: String,
    /// Weekly business hours.
    pub hours: WeeklyHours,
    /// Holidays and make-up working days (of the year asked for, or all).
    pub days: Vec<CalendarDay>,
}

/// Read the calendar (every role may: deadlines depend on it).
pub fn view(conn: &Connection, actor: &Actor, year: Option<i32>) -> Result<CalendarView> {
    actor.require(Action::TeamView)?;
    Ok(CalendarView {
        time_zone: team::time_zone(conn)?,
        hours: store::load_weekly_hours(conn)?,
        days: store::list_days(conn, year)?,
    })
}

/// Replace the weekly business hours (team settings, admin only).
pub fn save_hours(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    hours: &WeeklyHours,
) -> Result<()> {
    actor.require(Action::TeamEdit)?;
    store::save_weekly_hours(conn, hours)?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "calendar.hours",
        "calendar",
        None,
        "",
    )
}

/// Mark a day as a holiday or a make-up working day.
pub fn set_day(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    day: NaiveDate,
    kind: DayKind,
    name: &str,
) -> Result<()> {
    actor.require(Action::CalendarEdit)?;
    store::set_day(conn, day, kind, name)?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "calendar.set_day",
        "calendar",
        None,
        &day.to_string(),
    )
}

/// Remove a day's exception: it follows the weekly hours again.
pub fn remove_day(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    day: NaiveDate,
) -> Result<()> {
    actor.require(Action::CalendarEdit)?;
    store::remove_day(conn, day)?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "calendar.remove_day",
        "calendar",
        None,
        &day.to_string(),
    )
}

/// Add the published mainland-China holidays; returns how many days were new.
pub fn seed_china(conn: &Connection, now: DateTime<Utc>, actor: &Actor) -> Result<usize> {
    actor.require(Action::CalendarEdit)?;
    let added = store::seed_china_2026(conn)?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "calendar.seed",
        "calendar",
        None,
        &added.to_string(),
    )?;
    Ok(added)
}

/// Import holidays and make-up days from an iCalendar file's text.
pub fn import_ical(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    text: &str,
) -> Result<ImportSummary> {
    actor.require(Action::CalendarEdit)?;
    let summary = store::import_ical(conn, text)?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "calendar.import",
        "calendar",
        None,
        &summary.events.to_string(),
    )?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::Role;
    use crate::team::setup;
    use chrono::TimeZone;

    #[test]
    fn staff_read_supervisors_edit_days_admins_edit_hours() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
        let admin = setup(&mut conn, now, &crate::testutil::team_setup("测试")).unwrap();
        let mut staff = admin.clone();
        staff.role = Role::Staff;
        let mut supervisor = admin.clone();
        supervisor.role = Role::Supervisor;
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();

        let before = view(&conn, &staff, Some(2026)).unwrap();
        assert_eq!(before.time_zone, "Asia/Shanghai");
        assert!(set_day(&conn, now, &staff, day, DayKind::Holiday, "年会").is_err());
        set_day(&conn, now, &supervisor, day, DayKind::Holiday, "年会").unwrap();
        let after = view(&conn, &staff, Some(2026)).unwrap();
        assert_eq!(after.days.len(), before.days.len() + 1);
        assert!(save_hours(&conn, now, &supervisor, &WeeklyHours::default_china()).is_err());
        save_hours(&conn, now, &admin, &WeeklyHours::default_china_with_lunch()).unwrap();
        assert_eq!(
            view(&conn, &staff, None).unwrap().hours,
            WeeklyHours::default_china_with_lunch()
        );
        remove_day(&conn, now, &supervisor, day).unwrap();
        assert_eq!(
            view(&conn, &staff, Some(2026)).unwrap().days.len(),
            before.days.len()
        );
    }
}
