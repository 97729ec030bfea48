//! The Plans page's calendar: open tasks by due date (call-backs, onboarding steps and other
//! tasks told apart), care dates, and the resolution deadlines of open feedback, for a month or
//! week, within the actor's scope (staff: their own customers and tasks; heads: their
//! department's; everyone else: all), filterable by owner and kind.

use super::care::{CareKind, MAX_RANGE_DAYS, care_dates};
use super::{local_date, team_tz};
use crate::access::customer_condition;
use crate::account::Actor;
use crate::clock::from_unix;
use crate::permission::{self, Action, Scope};
use crate::today::local_midnight;
use crate::{Error, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What an entry on the Plans page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// A planned call-back (an open call-back task).
    Callback,
    /// A birthday, anniversary or holiday.
    Care,
    /// Any other open task.
    Task,
    /// An open feedback item's resolution deadline.
    FeedbackDeadline,
    /// An onboarding step.
    Onboarding,
}

/// Filters of the Plans page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EntryFilter {
    /// Only this person's (task owner, customer owner, feedback assignee).
    #[serde(default)]
    pub owner: Option<i64>,
    /// Only these kinds (all when empty).
    #[serde(default)]
    pub kinds: Vec<PlanKind>,
}

/// One entry of the Plans page's month or week view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanEntry {
    /// The day (team time zone).
    pub date: NaiveDate,
    /// What it is.
    pub kind: PlanKind,
    /// The line shown.
    pub title: String,
    /// The customer, if any.
    pub customer_id: Option<i64>,
    /// Its name.
    pub customer_name: Option<String>,
    /// Where a click leads: `task`, `feedback`, `contact`, `customer`, `care_holiday`.
    pub item_kind: String,
    /// The item's id.
    pub item_id: i64,
    /// Whose it is.
    pub owner: Option<i64>,
    /// Their display name.
    pub owner_name: Option<String>,
    /// The exact deadline (tasks, feedback).
    pub due_at: Option<DateTime<Utc>>,
}

fn task_scope(actor: &Actor) -> String {
    let me = actor.user_id;
    let own = format!("(t.owner_user_id = {me} OR c.owner_user_id = {me})");
    match (permission::scope(actor.role), actor.department_id) {
        (Scope::All, _) => "1".into(),
        (Scope::Own, _) | (Scope::Department, None) => own,
        (Scope::Department, Some(d)) => {
            format!("({own} OR u.department_id = {d} OR c.department_id = {d})")
        }
    }
}

/// The Plans page's entries from `from` to `to` (inclusive, at most 366 days apart:
/// `plan.range_invalid`), by date. Needs `CustomerView` and `InteractionView`.
pub fn calendar_entries(
    conn: &Connection,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
    filter: &EntryFilter,
) -> Result<Vec<PlanEntry>> {
    actor.require(Action::CustomerView)?;
    actor.require(Action::InteractionView)?;
    if to < from || (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(Error::invalid(
            "plan.range_invalid",
            "to",
            format!("choose an end date after the start, at most {MAX_RANGE_DAYS} days later"),
        ));
    }
    let tz = team_tz(conn)?;
    let wants = |k: PlanKind| filter.kinds.is_empty() || filter.kinds.contains(&k);
    let names: HashMap<i64, String> = {
        let mut stmt = conn.prepare_cached("SELECT id, display_name FROM users")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let name_of = |id: Option<i64>| id.and_then(|i| names.get(&i).cloned());
    let lo = local_midnight(from, tz).timestamp();
    let hi = local_midnight(to + Duration::days(1), tz).timestamp();
    let mut out = Vec::new();

    if wants(PlanKind::Callback) || wants(PlanKind::Onboarding) || wants(PlanKind::Task) {
        let sql = format!(
            "SELECT t.id, t.title, t.owner_user_id, t.due_at, t.source_kind, t.customer_id, c.name
             FROM tasks t JOIN users u ON u.id = t.owner_user_id
             LEFT JOIN customers c ON c.id = t.customer_id
             WHERE t.status = 'open' AND t.due_at >= ?1 AND t.due_at < ?2
               AND (?3 IS NULL OR t.owner_user_id = ?3) AND {}
             ORDER BY t.due_at, t.id",
            task_scope(actor)
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![lo, hi, filter.owner], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        for row in rows {
            let (id, title, owner, due, source, customer_id, customer_name) = row?;
            let kind = match source.as_str() {
                "plan" => PlanKind::Callback,
                "onboarding" => PlanKind::Onboarding,
                _ => PlanKind::Task,
            };
            if !wants(kind) {
                continue;
            }
            let due = from_unix(due);
            out.push(PlanEntry {
                date: local_date(due, tz),
                kind,
                title,
                customer_id,
                customer_name,
                item_kind: "task".into(),
                item_id: id,
                owner: Some(owner),
                owner_name: name_of(Some(owner)),
                due_at: Some(due),
            });
        }
    }

    if wants(PlanKind::FeedbackDeadline) && actor.require(Action::FeedbackView).is_ok() {
        let scope = match permission::scope(actor.role) {
            Scope::All => "1".to_string(),
            _ => format!(
                "({} OR f.assignee_user_id = {})",
                customer_condition(actor, "c"),
                actor.user_id
            ),
        };
        let sql = format!(
            "SELECT f.id, f.number, f.assignee_user_id, f.resolution_due_at, f.customer_id,
                    coalesce(c.name, f.unknown_name)
             FROM feedback_items f LEFT JOIN customers c ON c.id = f.customer_id
             WHERE f.status IN ('new','in_progress','awaiting_customer')
               AND f.resolution_due_at >= ?1 AND f.resolution_due_at < ?2
               AND (?3 IS NULL OR f.assignee_user_id = ?3) AND {scope}
             ORDER BY f.resolution_due_at, f.id"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params![lo, hi, filter.owner], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        for row in rows {
            let (id, number, assignee, due, customer_id, who) = row?;
            let due = from_unix(due);
            out.push(PlanEntry {
                date: local_date(due, tz),
                kind: PlanKind::FeedbackDeadline,
                title: format!("{number} 解决时限"),
                customer_id,
                customer_name: Some(who),
                item_kind: "feedback".into(),
                item_id: id,
                owner: assignee,
                owner_name: name_of(assignee),
                due_at: Some(due),
            });
        }
    }

    if wants(PlanKind::Care) {
        let mut cond = customer_condition(actor, "c");
        if let Some(o) = filter.owner {
            cond = format!("({cond} AND c.owner_user_id = {o})");
        }
        for d in care_dates(conn, &cond, from, to)? {
            let (item_kind, item_id) = match d.kind {
                CareKind::Birthday => ("contact", d.contact_id.unwrap_or_default()),
                CareKind::Anniversary => ("customer", d.customer_id.unwrap_or_default()),
                CareKind::Holiday => ("care_holiday", d.holiday_id.unwrap_or_default()),
            };
            let title = match (d.kind, d.customer_count) {
                (CareKind::Holiday, Some(n)) => format!("{}（{n} 位客户）", d.title),
                _ => d.title.clone(),
            };
            out.push(PlanEntry {
                date: d.date,
                kind: PlanKind::Care,
                title,
                customer_id: d.customer_id,
                customer_name: d.customer_name,
                item_kind: item_kind.into(),
                item_id,
                owner: d.owner_user_id,
                owner_name: name_of(d.owner_user_id),
                due_at: None,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.date, a.due_at, a.kind as u8, a.item_id).cmp(&(
            b.date,
            b.due_at,
            b.kind as u8,
            b.item_id,
        ))
    });
    Ok(out)
}

/// The Plans page's answer: the team's today (so the page marks the right day whatever the
/// machine's own time zone) and the entries of the range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalendarView {
    /// Today in the team's time zone.
    pub today: NaiveDate,
    /// The entries, by date (see [`calendar_entries`]).
    pub entries: Vec<PlanEntry>,
}

/// [`calendar_entries`] with today's date in the team time zone at `now`.
pub fn calendar_view(
    conn: &Connection,
    actor: &Actor,
    now: DateTime<Utc>,
    from: NaiveDate,
    to: NaiveDate,
    filter: &EntryFilter,
) -> Result<CalendarView> {
    let entries = calendar_entries(conn, actor, from, to, filter)?;
    Ok(CalendarView {
        today: local_date(now, team_tz(conn)?),
        entries,
    })
}
