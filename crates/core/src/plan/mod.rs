//! Plans: what comes up on its own — tiered call-backs (`callback.rs`), onboarding of newly
//! signed customers (`onboarding.rs`), care dates (`care.rs`), the Plans page's calendar
//! (`entries.rs`) — and [`scheduler_candidates`], the one function the app's scheduler calls
//! every minute to learn which reminders are due (task, call-back, care and feedback rules).
//!
//! Rules produce [`Candidate`]s; storing them exactly once is `reminder::store::record`'s job.
//! A rule returns every candidate that is *current* at `now` (not only the new ones), because
//! `record` marks undelivered reminders missing from the list as superseded.

pub mod approvals;
pub mod callback;
pub mod care;
mod entries;
pub mod onboarding;
mod settings;

pub use approvals::change_request_candidates;
pub use callback::{
    CallbackIntervals, CsCallback, Tier, callback_candidates, callback_due_at, callback_intervals,
    cs_callback, ensure_callback_task_for, ensure_callback_tasks, next_callback_date,
    set_callback_intervals, set_cs_callback,
};
pub use care::{
    CareDate, CareKind, Holiday, HolidayInput, care_candidates, care_lead_days, delete_holiday,
    list_holidays, occurrence_in, save_holiday, set_care_lead_days, upcoming_care,
};
pub use entries::{
    CalendarView, EntryFilter, PlanEntry, PlanKind, calendar_entries, calendar_view,
};
pub use onboarding::{
    OnboardingStep, ensure_onboarding, follow_up_window_start, onboarding_schedule,
    start_onboarding,
};
pub use settings::{set_task_lead_minutes, task_lead_minutes};

use crate::calendar::{WorkCalendar, store::parse_time_zone};
use crate::clock::from_unix;
use crate::feedback::overdue_scan;
use crate::reminder::{Candidate, Stage};
use crate::sla::SlaStage;
use crate::task::is_snoozed;
use crate::today::local_midnight;
use crate::{Result, team};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, params};
use std::collections::HashSet;

/// How long after its deadline an item keeps producing its overdue candidate. Long enough to
/// catch up after a holiday away; bounded so the scheduler never re-reads years of backlog.
pub const OVERDUE_WINDOW_DAYS: i64 = 30;

/// Customer stages that have call-back plans and anniversaries.
pub(crate) const SIGNED_STAGES: &str = "('signed','strategic')";

/// Run `write` all or nothing: in a transaction of its own, or in a savepoint inside a caller's
/// transaction (the customers module starts onboarding from its stage-change transaction).
pub(crate) fn atomically<T>(conn: &Connection, write: impl FnOnce() -> Result<T>) -> Result<T> {
    // On its own, a transaction that holds the write lock from the start (it reads before it
    // writes, and another connection may write meanwhile); inside a caller's, a savepoint.
    let (begin, commit, undo) = if conn.is_autocommit() {
        ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
    } else {
        (
            "SAVEPOINT plan_write",
            "RELEASE plan_write",
            "ROLLBACK TO plan_write; RELEASE plan_write",
        )
    };
    conn.execute_batch(begin)?;
    let result = write().and_then(|value| {
        conn.execute_batch(commit)?;
        Ok(value)
    });
    if result.is_err() {
        // Best effort: the original error is the one worth reporting.
        let _ = conn.execute_batch(undo);
    }
    result
}

/// The team-local date of an instant.
pub(crate) fn local_date(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// The team's time zone.
pub(crate) fn team_tz(conn: &Connection) -> Result<Tz> {
    parse_time_zone(&team::time_zone(conn)?)
}

/// The stage of an item with deadline `due` at `now`, given when its "due soon" window opens:
/// due soon in `[soon_from, due)`, due from `due` to the end of its local day, overdue from
/// then for [`OVERDUE_WINDOW_DAYS`]; none outside.
pub fn stage_at(
    due: DateTime<Utc>,
    soon_from: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: Tz,
) -> Option<Stage> {
    let day_end = local_midnight(local_date(due, tz) + Duration::days(1), tz);
    if now < soon_from.min(due) {
        None
    } else if now < due {
        Some(Stage::DueSoon)
    } else if now < day_end {
        Some(Stage::Due)
    } else if now < due + Duration::days(OVERDUE_WINDOW_DAYS) {
        Some(Stage::Overdue)
    } else {
        None
    }
}

/// Everything the scheduler should announce at `now`: task reminders (due soon by the
/// `task.lead_minutes` setting, due, overdue — to the owner, nothing while snoozed), call-back
/// reminders, care reminders and feedback SLA notices (the stage the overdue scan reached: due
/// soon and breached → the assignee, level 1 → the lead department's head, level 2 → the
/// supervisors) and change requests waiting over 24 hours (to their deciders). Dedup keys are
/// stable across calls for the same stage.
///
/// Runs `feedback::overdue_scan` first (which refreshes the items' SLA stages).
pub fn scheduler_candidates(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Candidate>> {
    let tz = team_tz(conn)?;
    let mut out = task_candidates(conn, now, tz)?;
    out.extend(callback_candidates(conn, now)?);
    let cal = crate::calendar::store::load(conn, &team::time_zone(conn)?)?;
    out.extend(care_candidates(conn, now, &cal)?);
    out.extend(feedback_candidates(conn, now)?);
    out.extend(change_request_candidates(conn, now)?);
    let mut seen = HashSet::new();
    out.retain(|c| seen.insert(c.dedup_key()));
    Ok(out)
}

/// The scheduler's minute: create the call-back and onboarding tasks that are missing, then
/// return [`scheduler_candidates`].
pub fn tick(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Candidate>> {
    let cal: WorkCalendar = crate::calendar::store::load(conn, &team::time_zone(conn)?)?;
    ensure_onboarding(conn, now, &cal)?;
    ensure_callback_tasks(conn, now, &cal)?;
    scheduler_candidates(conn, now)
}

/// Reminders of open tasks other than call-backs (those are [`callback_candidates`]'s).
/// Onboarding tasks have kind `onboarding`, the rest `task`.
pub fn task_candidates(conn: &Connection, now: DateTime<Utc>, tz: Tz) -> Result<Vec<Candidate>> {
    let lead = Duration::minutes(task_lead_minutes(conn)?);
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.title, t.owner_user_id, t.due_at, t.snoozed_until, t.source_kind, c.name
         FROM tasks t LEFT JOIN customers c ON c.id = t.customer_id
         WHERE t.status = 'open' AND t.due_at >= ?1 AND t.due_at <= ?2 AND t.source_kind <> 'plan'",
    )?;
    let lo = now - Duration::days(OVERDUE_WINDOW_DAYS);
    let hi = now + lead;
    let rows = stmt.query_map(params![lo.timestamp(), hi.timestamp()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, title, owner, due, snoozed, source, customer) = row?;
        if is_snoozed(snoozed.map(from_unix), now) {
            continue;
        }
        let due = from_unix(due);
        let Some(stage) = stage_at(due, due - lead, now, tz) else {
            continue;
        };
        out.push(Candidate {
            kind: if source == "onboarding" {
                "onboarding"
            } else {
                "task"
            }
            .into(),
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

/// Feedback SLA notices as candidates: [`overdue_scan`] refreshes each item's stage, then
/// every open item at a stage worth telling yields its candidate for as long as it stays
/// there (so a notice held back by quiet hours is not superseded a minute later).
pub fn feedback_candidates(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Candidate>> {
    overdue_scan(conn, now)?;
    let supervisors: Vec<i64> = {
        let mut stmt = conn.prepare_cached(
            "SELECT id FROM users WHERE active = 1 AND role = 'supervisor'
             UNION ALL SELECT id FROM users WHERE active = 1 AND role = 'admin'
               AND NOT EXISTS (SELECT 1 FROM users WHERE active = 1 AND role = 'supervisor')
             ORDER BY 1",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.number, f.notified_stage, f.assignee_user_id, f.first_response_at,
                f.response_due_at, f.resolution_due_at, coalesce(c.name, f.unknown_name),
                (SELECT d.head_user_id FROM feedback_item_departments fd
                   JOIN departments d ON d.id = fd.department_id
                  WHERE fd.item_id = f.id AND fd.role = 'lead')
         FROM feedback_items f LEFT JOIN customers c ON c.id = f.customer_id
         WHERE f.notified_stage <> 'on_track'
           AND f.status IN ('new','in_progress','awaiting_customer')",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<i64>>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, i64>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, Option<i64>>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, number, stage, assignee, responded, response_due, resolution_due, who, head) =
            row?;
        let Some(sla) = SlaStage::parse(&stage) else {
            continue;
        };
        let (stage, recipients): (Stage, Vec<i64>) = match sla {
            SlaStage::OnTrack => continue,
            SlaStage::DueSoon | SlaStage::Breached => (
                if sla == SlaStage::DueSoon {
                    Stage::DueSoon
                } else {
                    Stage::Overdue
                },
                assignee.or(head).into_iter().collect(),
            ),
            SlaStage::EscalatedLevel1 => (Stage::Escalated1, head.into_iter().collect()),
            SlaStage::EscalatedLevel2 => (Stage::Escalated2, supervisors.clone()),
        };
        let response_pending = responded.is_none() && sla <= SlaStage::Breached;
        let (kind, due) = if response_pending {
            ("feedback_response", response_due)
        } else {
            ("feedback_resolution", resolution_due)
        };
        for user in recipients {
            out.push(Candidate {
                kind: kind.into(),
                stage,
                item_kind: "feedback".into(),
                item_id: id,
                recipient_user_id: user,
                title: number.clone(),
                body: who.clone(),
                due_at: from_unix(due),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
