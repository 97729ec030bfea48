//! Call-back plans by value tier (template 二): A monthly, B quarterly, C half-yearly (months
//! editable in the setting `plan.callback_intervals`), for signed and strategic customers that
//! are not archived. One open call-back task per customer and track, on the customer's owner,
//! planned from the last call-back (a closed call-back task or an interaction on the `callback`
//! channel, whichever is newer) plus the tier's interval, or from the cooperation start (else
//! the onboarding's signing, else the customer's creation) when there was none yet.
//!
//! A second, optional track (`plan.cs_callback`: `{"owner_user_id": …, "months": 1}`) gives a
//! customer-service colleague the monthly call-back of signed customers (seed 3.1); it counts
//! only its own tasks and the call-back interactions that colleague logged. Cancelling a
//! call-back task skips that cycle (the next one counts from the cancellation).

use super::settings;
use super::{OVERDUE_WINDOW_DAYS, SIGNED_STAGES, local_date, stage_at, team_tz};
use crate::account::Actor;
use crate::calendar::WorkCalendar;
use crate::clock::from_unix;
use crate::interaction::CALLBACK_CHANNEL;
use crate::permission::Action;
use crate::reminder::{Candidate, Stage};
use crate::task::{NewTask, SourceKind, insert_system_task, is_snoozed};
use crate::today::local_midnight;
use crate::{Error, Result};
use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Settings key of the intervals per tier.
pub const INTERVALS_KEY: &str = "plan.callback_intervals";
/// Settings key of the customer-service call-back track.
pub const CS_KEY: &str = "plan.cs_callback";
/// Days before the planned date a call-back is announced (template 二: 提前2天).
pub const CALLBACK_LEAD_DAYS: i64 = 2;
/// Longest interval accepted, in months.
const MAX_MONTHS: u32 = 24;

/// A customer's value tier (客户价值分级).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tier {
    /// High value: monthly by default.
    A,
    /// Potential: quarterly.
    B,
    /// Ordinary: half-yearly.
    C,
}

impl Tier {
    /// Parse the stored letter (unknown letters read as C, the least frequent plan).
    pub fn parse(s: &str) -> Tier {
        match s {
            "A" => Tier::A,
            "B" => Tier::B,
            _ => Tier::C,
        }
    }

    /// The stored letter.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::A => "A",
            Tier::B => "B",
            Tier::C => "C",
        }
    }
}

/// Months between call-backs per tier, as stored in `plan.callback_intervals`
/// (`{"A": 1, "B": 3, "C": 6}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackIntervals {
    /// Tier A.
    #[serde(rename = "A")]
    pub a: u32,
    /// Tier B.
    #[serde(rename = "B")]
    pub b: u32,
    /// Tier C.
    #[serde(rename = "C")]
    pub c: u32,
}

impl Default for CallbackIntervals {
    fn default() -> Self {
        Self { a: 1, b: 3, c: 6 }
    }
}

impl CallbackIntervals {
    /// The interval of a tier.
    pub fn months(&self, tier: Tier) -> u32 {
        match tier {
            Tier::A => self.a,
            Tier::B => self.b,
            Tier::C => self.c,
        }
    }
}

fn check_months(field: &'static str, months: u32) -> Result<()> {
    if (1..=MAX_MONTHS).contains(&months) {
        Ok(())
    } else {
        Err(Error::invalid(
            "plan.interval_invalid",
            field,
            format!("a call-back interval is 1 to {MAX_MONTHS} months"),
        ))
    }
}

/// The customer-service call-back track (seed 3.1: 客服专员每月对签约客户进行电话回访).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsCallback {
    /// Who calls (an active user).
    pub owner_user_id: i64,
    /// Months between calls.
    pub months: u32,
}

/// The intervals in force (defaults until someone saves them).
pub fn callback_intervals(conn: &Connection) -> Result<CallbackIntervals> {
    Ok(settings::get(conn, INTERVALS_KEY)?.unwrap_or_default())
}

/// Change the intervals (`PlanEdit`); each 1 to 24 months. Open call-back tasks are re-planned
/// by the next [`ensure_callback_tasks`].
pub fn set_callback_intervals(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    intervals: &CallbackIntervals,
) -> Result<CallbackIntervals> {
    actor.require(Action::PlanEdit)?;
    check_months("A", intervals.a)?;
    check_months("B", intervals.b)?;
    check_months("C", intervals.c)?;
    settings::put(conn, now, actor, INTERVALS_KEY, intervals)?;
    Ok(*intervals)
}

/// The customer-service track, if configured.
pub fn cs_callback(conn: &Connection) -> Result<Option<CsCallback>> {
    Ok(settings::get::<Option<CsCallback>>(conn, CS_KEY)?.flatten())
}

/// Configure (or, with `None`, switch off) the customer-service track (`PlanEdit`). The owner
/// must be an active user (`plan.cs_owner_invalid`).
pub fn set_cs_callback(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    cs: Option<&CsCallback>,
) -> Result<Option<CsCallback>> {
    actor.require(Action::PlanEdit)?;
    if let Some(cs) = cs {
        check_months("months", cs.months)?;
        let active: Option<bool> = conn
            .query_row(
                "SELECT active FROM users WHERE id = ?1",
                [cs.owner_user_id],
                |r| r.get(0),
            )
            .optional()?;
        if active != Some(true) {
            return Err(Error::invalid(
                "plan.cs_owner_invalid",
                "owner_user_id",
                "choose an active user for the customer-service call-backs",
            ));
        }
    }
    settings::put(conn, now, actor, CS_KEY, &cs)?;
    Ok(cs.copied())
}

/// The date a call-back is planned for: `months` after `base` (the end of a shorter month when
/// the day does not exist, e.g. 31 January + 1 → 28/29 February).
pub fn next_callback_date(base: NaiveDate, months: u32) -> NaiveDate {
    base.checked_add_months(Months::new(months)).unwrap_or(base)
}

/// When a call-back planned for `planned_on` is due: the start of business on that date, or on
/// the next working day when it is a day off. A date already past is planned for today, so an
/// overdue cadence shows as due today rather than months late.
pub fn callback_due_at(
    planned_on: NaiveDate,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
) -> Result<DateTime<Utc>> {
    let day = planned_on.max(local_date(now, cal.tz));
    cal.next_business_instant(local_midnight(day, cal.tz))
}

/// Which plan a task belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Track {
    Owner,
    Cs,
}

impl Track {
    fn as_str(self) -> &'static str {
        match self {
            Track::Owner => "owner",
            Track::Cs => "cs",
        }
    }
}

struct Eligible {
    id: i64,
    name: String,
    tier: Tier,
    start: NaiveDate,
    owner: i64,
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Create the missing call-back tasks and re-plan open ones whose plan changed (tier, interval,
/// a newer call-back logged, another owner); cancel open ones of customers no longer eligible.
/// Idempotent: at most one open call-back task per customer and track. Returns how many tasks
/// were created.
pub fn ensure_callback_tasks(
    conn: &Connection,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
) -> Result<usize> {
    ensure_for(conn, now, cal, None)
}

/// [`ensure_callback_tasks`] for one customer (e.g. right after its tier or stage changed).
pub fn ensure_callback_task_for(
    conn: &Connection,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
    customer_id: i64,
) -> Result<usize> {
    ensure_for(conn, now, cal, Some(customer_id))
}

fn ensure_for(
    conn: &Connection,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
    only: Option<i64>,
) -> Result<usize> {
    let intervals = callback_intervals(conn)?;
    let cs = cs_callback(conn)?;
    super::atomically(conn, || ensure_in(conn, now, cal, only, intervals, cs))
}

fn ensure_in(
    tx: &Connection,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
    only: Option<i64>,
    intervals: CallbackIntervals,
    cs: Option<CsCallback>,
) -> Result<usize> {
    let eligible: Vec<Eligible> = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT c.id, c.name, c.tier, c.coop_start, o.signed_at, c.created_at, c.owner_user_id
             FROM customers c JOIN users u ON u.id = c.owner_user_id AND u.active = 1
             LEFT JOIN onboarding_runs o ON o.customer_id = c.id
             WHERE c.stage IN {SIGNED_STAGES} AND c.archived = 0 AND (?1 IS NULL OR c.id = ?1)
             ORDER BY c.id"
        ))?;
        let rows = stmt.query_map([only], |r| {
            let coop: Option<String> = r.get(3)?;
            let signed: Option<i64> = r.get(4)?;
            let created: i64 = r.get(5)?;
            let start = coop
                .as_deref()
                .and_then(parse_date)
                .unwrap_or_else(|| local_date(from_unix(signed.unwrap_or(created)), cal.tz));
            Ok(Eligible {
                id: r.get(0)?,
                name: r.get(1)?,
                tier: Tier::parse(&r.get::<_, String>(2)?),
                start,
                owner: r.get(6)?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut created = 0;
    for c in &eligible {
        let months = intervals.months(c.tier);
        created += plan_one(tx, now, cal, c, Track::Owner, c.owner, months, cs)?;
        if let Some(cs) = cs {
            created += plan_one(
                tx,
                now,
                cal,
                c,
                Track::Cs,
                cs.owner_user_id,
                cs.months,
                Some(cs),
            )?;
        }
    }
    // Open call-back tasks that no longer have a plan behind them: customers no longer signed,
    // archived or without an active owner, or the customer-service track switched off.
    let cs_on = cs.is_some();
    let stale: Vec<i64> = {
        let mut stmt = tx.prepare_cached(&format!(
            "SELECT t.id FROM tasks t JOIN callback_plans p ON p.id = t.source_id
             JOIN customers c ON c.id = p.customer_id
             LEFT JOIN users u ON u.id = c.owner_user_id
             WHERE t.source_kind = 'plan' AND t.status = 'open' AND (?1 IS NULL OR c.id = ?1)
               AND (c.stage NOT IN {SIGNED_STAGES} OR c.archived = 1 OR coalesce(u.active, 0) = 0
                    OR (p.track = 'cs' AND NOT ?2))"
        ))?;
        stmt.query_map(params![only, cs_on], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for id in stale {
        tx.execute(
            "UPDATE tasks SET status = 'cancelled', completion_note = ?1, completed_at = ?2,
                    snoozed_until = NULL, updated_at = ?2, version = version + 1
             WHERE id = ?3",
            params![
                "回访计划已停止（客户不再处于签约状态）",
                now.timestamp(),
                id
            ],
        )?;
    }
    Ok(created)
}

/// Bring one customer's plan on one track up to date; 1 when a task was created.
#[allow(clippy::too_many_arguments)]
fn plan_one(
    tx: &Connection,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
    c: &Eligible,
    track: Track,
    owner: i64,
    months: u32,
    cs: Option<CsCallback>,
) -> Result<usize> {
    let plan: Option<(i64, String, Option<i64>, Option<String>)> = tx
        .query_row(
            "SELECT p.id, p.planned_on, p.task_id, t.status FROM callback_plans p
             LEFT JOIN tasks t ON t.id = p.task_id WHERE p.customer_id = ?1 AND p.track = ?2",
            params![c.id, track.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let last_task: Option<i64> = match plan {
        Some((plan_id, ..)) => tx.query_row(
            // `+status`: read through tasks_source (two rows), never the status index (every
            // done task, for each of tens of thousands of customers per tick).
            "SELECT max(completed_at) FROM tasks WHERE source_kind = 'plan' AND source_id = ?1
               AND +status IN ('done','cancelled')",
            [plan_id],
            |r| r.get(0),
        )?,
        None => None,
    };
    let cs_user = cs.map(|c| c.owner_user_id);
    let last_interaction: Option<i64> = tx.query_row(
        "SELECT max(occurred_at) FROM interactions
         WHERE customer_id = ?1 AND channel = ?2 AND deleted_at IS NULL
           AND (CASE WHEN ?3 = 'cs' THEN created_by IS ?4 ELSE created_by IS NOT ?4 OR ?4 IS NULL END)",
        params![c.id, CALLBACK_CHANNEL, track.as_str(), cs_user],
        |r| r.get(0),
    )?;
    let base = match last_task.max(last_interaction) {
        Some(t) => local_date(from_unix(t), cal.tz),
        None => c.start,
    };
    let planned = next_callback_date(base, months);
    let planned_text = planned.format("%Y-%m-%d").to_string();
    let title = match track {
        Track::Owner => format!("定期回访：{}", c.name),
        Track::Cs => format!("客服回访：{}", c.name),
    };
    let notes = match track {
        Track::Owner => format!(
            "{} 类客户，每 {months} 个月回访一次；上次回访或合作开始：{base}；计划日期：{planned}",
            c.tier.as_str()
        ),
        Track::Cs => {
            format!("签约客户月度回访，每 {months} 个月一次；上次：{base}；计划日期：{planned}")
        }
    };
    let tier = match track {
        Track::Owner => c.tier.as_str(),
        Track::Cs => "cs",
    };
    match plan {
        Some((plan_id, planned_on, Some(task_id), Some(status))) if status == "open" => {
            let owner_now: i64 = tx.query_row(
                "SELECT owner_user_id FROM tasks WHERE id = ?1",
                [task_id],
                |r| r.get(0),
            )?;
            if planned_on == planned_text && owner_now == owner {
                return Ok(0);
            }
            let due = callback_due_at(planned, now, cal)?;
            tx.execute(
                "UPDATE tasks SET due_at = ?1, owner_user_id = ?2, title = ?3, notes = ?4,
                        updated_at = ?5, version = version + 1 WHERE id = ?6",
                params![
                    due.timestamp(),
                    owner,
                    title,
                    notes,
                    now.timestamp(),
                    task_id
                ],
            )?;
            tx.execute(
                "UPDATE callback_plans SET tier = ?1, base_on = ?2, planned_on = ?3, updated_at = ?4
                 WHERE id = ?5",
                params![tier, base.to_string(), planned_text, now.timestamp(), plan_id],
            )?;
            Ok(0)
        }
        _ => {
            let plan_id = match plan {
                Some((id, ..)) => id,
                None => {
                    tx.execute(
                        "INSERT INTO callback_plans (customer_id, track, tier, base_on, planned_on, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![c.id, track.as_str(), tier, base.to_string(), planned_text, now.timestamp()],
                    )?;
                    tx.last_insert_rowid()
                }
            };
            let due = callback_due_at(planned, now, cal)?;
            let task_id = insert_system_task(
                tx,
                now,
                &NewTask {
                    title,
                    notes,
                    owner_user_id: owner,
                    due_at: due,
                    customer_id: Some(c.id),
                },
                SourceKind::Plan,
                Some(plan_id),
                None,
            )?;
            tx.execute(
                "UPDATE callback_plans SET tier = ?1, base_on = ?2, planned_on = ?3, task_id = ?4,
                        updated_at = ?5 WHERE id = ?6",
                params![
                    tier,
                    base.to_string(),
                    planned_text,
                    task_id,
                    now.timestamp(),
                    plan_id
                ],
            )?;
            Ok(1)
        }
    }
}

/// Reminders of open call-back tasks, to the task's owner: due soon from the start of the day
/// [`CALLBACK_LEAD_DAYS`] before the due date, due on the day, overdue after it (kind
/// `callback`, item the task). Nothing while a task is snoozed.
pub fn callback_candidates(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Candidate>> {
    let tz = team_tz(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.title, t.owner_user_id, t.due_at, t.snoozed_until, c.name
         FROM tasks t LEFT JOIN customers c ON c.id = t.customer_id
         WHERE t.status = 'open' AND t.source_kind = 'plan' AND t.due_at >= ?1 AND t.due_at <= ?2",
    )?;
    let lo = now - Duration::days(OVERDUE_WINDOW_DAYS);
    let hi = now + Duration::days(CALLBACK_LEAD_DAYS + 2);
    let rows = stmt.query_map(params![lo.timestamp(), hi.timestamp()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, title, owner, due, snoozed, customer) = row?;
        if is_snoozed(snoozed.map(from_unix), now) {
            continue;
        }
        let due = from_unix(due);
        let soon_from =
            local_midnight(local_date(due, tz) - Duration::days(CALLBACK_LEAD_DAYS), tz);
        let Some(stage) = stage_at(due, soon_from, now, tz) else {
            continue;
        };
        debug_assert!(matches!(
            stage,
            Stage::DueSoon | Stage::Due | Stage::Overdue
        ));
        out.push(Candidate {
            kind: "callback".into(),
            stage,
            item_kind: "task".into(),
            item_id: id,
            recipient_user_id: owner,
            title,
            body: customer.unwrap_or_default(),
            due_at: due,
        });
    }
    Ok(out)
}
