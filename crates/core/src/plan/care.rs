//! Care dates (节点关怀): contacts' birthdays (month and day; 29 February falls on 28 February
//! in other years), cooperation anniversaries (the month and day of `coop_start`, from the
//! first year on) and the configured holidays (`care_holidays`, editable). Owners are reminded
//! `care.lead_days` days ahead (default 3) with the greeting script (`holiday_greeting`); for a
//! holiday each owner gets one reminder saying how many of their customers to greet.
//!
//! Birthdays and anniversaries recur every year, so each year's occurrence gets a row in
//! `care_occurrences` on first need; its id keeps the reminder's dedup key apart from last
//! year's.

use super::settings;
use super::{SIGNED_STAGES, local_date};
use crate::access::customer_condition;
use crate::account::Actor;
use crate::calendar::WorkCalendar;
use crate::permission::Action;
use crate::reminder::{Candidate, Stage};
use crate::team::audit;
use crate::template::Purpose;
use crate::today::local_midnight;
use crate::validate::required_line;
use crate::{Error, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Settings key: days ahead of a care date that the owner is reminded.
pub const LEAD_KEY: &str = "care.lead_days";
/// Default lead time.
pub const DEFAULT_LEAD_DAYS: i64 = 3;
const MAX_LEAD_DAYS: i64 = 30;
/// Longest look-ahead of [`upcoming_care`] and the plans calendar, in days.
pub const MAX_RANGE_DAYS: i64 = 366;

/// What a care date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareKind {
    /// A contact's birthday.
    Birthday,
    /// The anniversary of the cooperation's start.
    Anniversary,
    /// A configured holiday.
    Holiday,
}

/// One care date, for the Today page and the plans calendar.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CareDate {
    /// The day.
    pub date: NaiveDate,
    /// What it is.
    pub kind: CareKind,
    /// A ready-made line (Chinese), e.g. `王总 生日`, `合作 3 周年`, `春节`.
    pub title: String,
    /// The customer (birthdays, anniversaries).
    pub customer_id: Option<i64>,
    /// Its name.
    pub customer_name: Option<String>,
    /// The contact (birthdays).
    pub contact_id: Option<i64>,
    /// Their name.
    pub contact_name: Option<String>,
    /// Years of cooperation (anniversaries).
    pub years: Option<i32>,
    /// The holiday row (holidays).
    pub holiday_id: Option<i64>,
    /// The holiday's English name (holidays).
    pub holiday_name_en: Option<String>,
    /// How many customers in view to greet (holidays).
    pub customer_count: Option<i64>,
    /// The customer's owner (birthdays, anniversaries).
    pub owner_user_id: Option<i64>,
    /// The call script to use.
    pub script_purpose: Purpose,
}

/// A configured holiday.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holiday {
    /// Id.
    pub id: i64,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The date.
    pub day: NaiveDate,
}

/// A holiday as the settings form sends it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct HolidayInput {
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// The date.
    pub day: NaiveDate,
}

/// The date a yearly month-day falls on in `year`: 29 February is 28 February in other years.
/// `None` for an impossible month-day.
pub fn occurrence_in(month: u32, day: u32, year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        (month == 2 && day == 29)
            .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .flatten()
    })
}

/// The occurrences of a yearly month-day within `[from, to]`.
fn occurrences(month: u32, day: u32, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    (from.year()..=to.year())
        .filter_map(|y| occurrence_in(month, day, y))
        .filter(|d| *d >= from && *d <= to)
        .collect()
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Days ahead of a care date the reminder comes (default 3).
pub fn care_lead_days(conn: &Connection) -> Result<i64> {
    Ok(settings::get(conn, LEAD_KEY)?.unwrap_or(DEFAULT_LEAD_DAYS))
}

/// Change the care lead time: 0 to 30 days (`care.lead_days_invalid`), `PlanEdit`.
pub fn set_care_lead_days(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    days: i64,
) -> Result<i64> {
    actor.require(Action::PlanEdit)?;
    if !(0..=MAX_LEAD_DAYS).contains(&days) {
        return Err(Error::invalid(
            "care.lead_days_invalid",
            "lead_days",
            format!("the care lead time is 0 to {MAX_LEAD_DAYS} days"),
        ));
    }
    settings::put(conn, now, actor, LEAD_KEY, &days)?;
    Ok(days)
}

/// The configured holidays, by date (`TeamView`).
pub fn list_holidays(conn: &Connection, actor: &Actor) -> Result<Vec<Holiday>> {
    actor.require(Action::TeamView)?;
    let mut stmt =
        conn.prepare("SELECT id, name_zh, name_en, day FROM care_holidays ORDER BY day, id")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, name_zh, name_en, day)| {
            Some(Holiday {
                id,
                name_zh,
                name_en,
                day: parse_date(&day)?,
            })
        })
        .collect())
}

/// Add (`id = None`) or change a holiday (`PlanEdit`). The same name twice on one date is
/// `care.holiday_taken`.
pub fn save_holiday(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: Option<i64>,
    input: &HolidayInput,
) -> Result<Holiday> {
    actor.require(Action::PlanEdit)?;
    let name_zh = required_line("name_zh", &input.name_zh)?;
    let name_en = required_line("name_en", &input.name_en)?;
    let day = input.day.format("%Y-%m-%d").to_string();
    let taken: Option<i64> = conn
        .query_row(
            "SELECT id FROM care_holidays WHERE name_zh = ?1 AND day = ?2",
            params![name_zh, day],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some_and(|t| Some(t) != id) {
        return Err(Error::conflict(
            "care.holiday_taken",
            "this holiday is already on the list for that date",
        ));
    }
    let id = match id {
        Some(id) => {
            let n = conn.execute(
                "UPDATE care_holidays SET name_zh = ?1, name_en = ?2, day = ?3 WHERE id = ?4",
                params![name_zh, name_en, day, id],
            )?;
            if n == 0 {
                return Err(Error::NotFound("holiday"));
            }
            id
        }
        None => {
            conn.execute(
                "INSERT INTO care_holidays (name_zh, name_en, day) VALUES (?1, ?2, ?3)",
                params![name_zh, name_en, day],
            )?;
            conn.last_insert_rowid()
        }
    };
    audit(
        conn,
        now,
        Some(actor.user_id),
        "care.holiday_save",
        "care_holiday",
        Some(id),
        "",
    )?;
    Ok(Holiday {
        id,
        name_zh,
        name_en,
        day: input.day,
    })
}

/// Remove a holiday from the list (`PlanEdit`).
pub fn delete_holiday(conn: &Connection, now: DateTime<Utc>, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Action::PlanEdit)?;
    if conn.execute("DELETE FROM care_holidays WHERE id = ?1", [id])? == 0 {
        return Err(Error::NotFound("holiday"));
    }
    audit(
        conn,
        now,
        Some(actor.user_id),
        "care.holiday_delete",
        "care_holiday",
        Some(id),
        "",
    )
}

/// Birthdays and anniversaries of the customers matching `cond` (an SQL condition on `c`), and
/// every holiday with the number of such customers, within `[from, to]`, by date.
pub(crate) fn care_dates(
    conn: &Connection,
    cond: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<CareDate>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT ct.id, ct.name, ct.birthday, c.id, c.name, c.owner_user_id
         FROM contacts ct JOIN customers c ON c.id = ct.customer_id
         WHERE ct.birthday IS NOT NULL AND c.archived = 0 AND c.stage <> 'churned' AND {cond}"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<i64>>(5)?,
        ))
    })?;
    for row in rows {
        let (contact_id, contact, birthday, customer_id, customer, owner) = row?;
        let Some(b) = parse_date(&birthday) else {
            continue;
        };
        for date in occurrences(b.month(), b.day(), from, to) {
            out.push(CareDate {
                date,
                kind: CareKind::Birthday,
                title: format!("{contact} 生日"),
                customer_id: Some(customer_id),
                customer_name: Some(customer.clone()),
                contact_id: Some(contact_id),
                contact_name: Some(contact.clone()),
                years: None,
                holiday_id: None,
                holiday_name_en: None,
                customer_count: None,
                owner_user_id: owner,
                script_purpose: Purpose::HolidayGreeting,
            });
        }
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT c.id, c.name, c.coop_start, c.owner_user_id FROM customers c
         WHERE c.coop_start IS NOT NULL AND c.archived = 0 AND c.stage IN {SIGNED_STAGES} AND {cond}"
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i64>>(3)?,
        ))
    })?;
    for row in rows {
        let (customer_id, customer, start, owner) = row?;
        let Some(s) = parse_date(&start) else {
            continue;
        };
        for date in occurrences(s.month(), s.day(), from, to) {
            let years = date.year() - s.year();
            if years < 1 {
                continue;
            }
            out.push(CareDate {
                date,
                kind: CareKind::Anniversary,
                title: format!("合作 {years} 周年"),
                customer_id: Some(customer_id),
                customer_name: Some(customer.clone()),
                contact_id: None,
                contact_name: None,
                years: Some(years),
                holiday_id: None,
                holiday_name_en: None,
                customer_count: None,
                owner_user_id: owner,
                script_purpose: Purpose::HolidayGreeting,
            });
        }
    }
    let count: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM customers c WHERE c.archived = 0 AND c.stage <> 'churned' AND {cond}"
        ),
        [],
        |r| r.get(0),
    )?;
    for h in holidays_between(conn, from, to)? {
        out.push(CareDate {
            date: h.day,
            kind: CareKind::Holiday,
            title: h.name_zh,
            customer_id: None,
            customer_name: None,
            contact_id: None,
            contact_name: None,
            years: None,
            holiday_id: Some(h.id),
            holiday_name_en: Some(h.name_en),
            customer_count: Some(count),
            owner_user_id: None,
            script_purpose: Purpose::HolidayGreeting,
        });
    }
    out.sort_by(|a, b| {
        (
            a.date,
            a.kind as u8,
            a.customer_id,
            a.contact_id,
            a.holiday_id,
        )
            .cmp(&(
                b.date,
                b.kind as u8,
                b.customer_id,
                b.contact_id,
                b.holiday_id,
            ))
    });
    Ok(out)
}

fn holidays_between(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Holiday>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name_zh, name_en, day FROM care_holidays WHERE day >= ?1 AND day <= ?2
         ORDER BY day, id",
    )?;
    let rows = stmt
        .query_map(params![from.to_string(), to.to_string()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, name_zh, name_en, day)| {
            Some(Holiday {
                id,
                name_zh,
                name_en,
                day: parse_date(&day)?,
            })
        })
        .collect())
}

/// Care dates from today for `days` days (0 to 366, `care.days_invalid`) among the customers
/// the actor sees (`CustomerView`), for the Today page.
pub fn upcoming_care(
    conn: &Connection,
    actor: &Actor,
    now: DateTime<Utc>,
    days: i64,
) -> Result<Vec<CareDate>> {
    actor.require(Action::CustomerView)?;
    if !(0..=MAX_RANGE_DAYS).contains(&days) {
        return Err(Error::invalid(
            "care.days_invalid",
            "days",
            format!("look ahead 0 to {MAX_RANGE_DAYS} days"),
        ));
    }
    let today = local_date(now, super::team_tz(conn)?);
    care_dates(
        conn,
        &customer_condition(actor, "c"),
        today,
        today + Duration::days(days),
    )
}

/// The id of a birthday's or anniversary's occurrence, made on first need.
fn occurrence_id(conn: &Connection, kind: &str, ref_id: i64, on: NaiveDate) -> Result<i64> {
    let on = on.to_string();
    conn.execute(
        "INSERT OR IGNORE INTO care_occurrences (kind, ref_id, on_date) VALUES (?1, ?2, ?3)",
        params![kind, ref_id, on],
    )?;
    Ok(conn.query_row(
        "SELECT id FROM care_occurrences WHERE kind = ?1 AND ref_id = ?2 AND on_date = ?3",
        params![kind, ref_id, on],
        |r| r.get(0),
    )?)
}

/// Care reminders at `now` (kind `care`, stage due soon, about the care date's local midnight):
/// from `care.lead_days` days before a date until the date is over. Birthdays and anniversaries
/// go to the customer's owner (item `care_occurrence`); a holiday to every owner of customers
/// to greet, once, with how many (item `care_holiday`).
pub fn care_candidates(
    conn: &Connection,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
) -> Result<Vec<Candidate>> {
    let tz = cal.tz;
    let today = local_date(now, tz);
    let until = today + Duration::days(care_lead_days(conn)?);
    let mut out = Vec::new();
    for d in care_dates(conn, "c.owner_user_id IS NOT NULL", today, until)? {
        let due_at = local_midnight(d.date, tz);
        let (Some(owner), Some(customer)) = (d.owner_user_id, d.customer_name.as_ref()) else {
            continue;
        };
        let (kind, ref_id, title) = match d.kind {
            CareKind::Birthday => (
                "birthday",
                d.contact_id.unwrap_or_default(),
                format!("{}（{customer}）", d.title),
            ),
            CareKind::Anniversary => (
                "anniversary",
                d.customer_id.unwrap_or_default(),
                format!("{customer} {}", d.title),
            ),
            CareKind::Holiday => continue,
        };
        out.push(Candidate {
            kind: "care".into(),
            stage: Stage::DueSoon,
            item_kind: "care_occurrence".into(),
            item_id: occurrence_id(conn, kind, ref_id, d.date)?,
            recipient_user_id: owner,
            title,
            body: format!("{} · 话术：节日问候", d.date),
            due_at,
        });
    }
    let holidays = holidays_between(conn, today, until)?;
    if !holidays.is_empty() {
        let owners: Vec<(i64, i64)> = {
            let mut stmt = conn.prepare_cached(
                "SELECT c.owner_user_id, count(*) FROM customers c JOIN users u ON u.id = c.owner_user_id
                 WHERE c.archived = 0 AND c.stage <> 'churned' AND u.active = 1
                 GROUP BY c.owner_user_id ORDER BY c.owner_user_id",
            )?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for h in holidays {
            for &(owner, count) in &owners {
                out.push(Candidate {
                    kind: "care".into(),
                    stage: Stage::DueSoon,
                    item_kind: "care_holiday".into(),
                    item_id: h.id,
                    recipient_user_id: owner,
                    title: format!("{}：{count} 位客户待问候", h.name_zh),
                    body: format!("{} · 话术：节日问候", h.day),
                    due_at: local_midnight(h.day, tz),
                });
            }
        }
    }
    Ok(out)
}
