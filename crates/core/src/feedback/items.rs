//! Feedback items in SQLite: intake with automatic routing and numbering, reading with history
//! and SLA state, queues and filters, the workflow steps, assignment, responses, delay
//! explanations and the satisfaction call-back. Every operation checks the permission matrix
//! and the actor's relation to the item ([`Involvement`]); the SLA state is recomputed and its
//! due instants, elapsed durations, stage and next check instant stored after every change.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::config::{assignment_modes, load_category, rule_codes, sla_policy};
use super::routing::{AssignmentMode, next_round_robin, route};
use super::workflow::{
    self, FollowUp, Involvement, Status, Transition, check_delay_explanation, check_expected_date,
    check_score, require_no_pending_delay, satisfaction_callback,
};
use super::{Channel, CompensationKind};
use crate::account::Actor;
use crate::calendar::{WorkCalendar, store};
use crate::money::Money;
use crate::permission::{Action, Role, Scope, scope};
use crate::sla::{
    Priority, PriorityTargets, SlaEvent, SlaEventKind, SlaStage, SlaState, sla_state,
};
use crate::validate::{optional_line, text};
use crate::{Error, Result, team};

/// What the intake form sends; only customer (or unknown name), channel, category, priority and
/// description are required, so logging takes seconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewFeedback {
    /// A known customer.
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// The customer's contact who raised it.
    #[serde(default)]
    pub contact_id: Option<i64>,
    /// Not yet a customer: a name to link later.
    #[serde(default)]
    pub unknown_name: String,
    /// And a phone number.
    #[serde(default)]
    pub unknown_phone: String,
    /// Where it came in.
    pub channel: Channel,
    /// The sub-category.
    pub category_id: i64,
    /// Priority.
    pub priority: Priority,
    /// What the customer said.
    pub description: String,
    /// When the problem happened (complaints).
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
    /// Impact (complaints).
    #[serde(default)]
    pub impact: String,
    /// What the customer expects (complaints).
    #[serde(default)]
    pub customer_expectation: String,
}

/// One feedback item as lists and the detail page show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackItem {
    /// Id.
    pub id: i64,
    /// FK-YYYY-NNNNN.
    pub number: String,
    /// Known customer.
    pub customer_id: Option<i64>,
    /// Contact.
    pub contact_id: Option<i64>,
    /// Unknown customer's name.
    pub unknown_name: String,
    /// Unknown customer's phone.
    pub unknown_phone: String,
    /// Channel.
    pub channel: Channel,
    /// Sub-category.
    pub category_id: i64,
    /// Priority.
    pub priority: Priority,
    /// Status.
    pub status: Status,
    /// Description.
    pub description: String,
    /// Complaint: when it happened.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Complaint: impact.
    pub impact: String,
    /// Complaint: customer expectation.
    pub customer_expectation: String,
    /// Investigation result.
    pub investigation_result: String,
    /// Responsible department (table 3).
    pub responsible_department_id: Option<i64>,
    /// Root cause.
    pub root_cause: String,
    /// Plan / solution.
    pub solution: String,
    /// Compensation kind.
    pub compensation_kind: Option<CompensationKind>,
    /// Compensation amount.
    pub compensation_amount: Money,
    /// Assignee.
    pub assignee_user_id: Option<i64>,
    /// Expected resolution date (latest promise).
    pub expected_resolution_date: Option<NaiveDate>,
    /// The item this one was merged into.
    pub duplicate_of_id: Option<i64>,
    /// Lead department.
    pub lead_department_id: Option<i64>,
    /// Collaborating departments.
    pub collaborator_department_ids: Vec<i64>,
    /// Late once, late in reports, whatever the new date.
    pub was_late: bool,
    /// Satisfaction call-back due (after closing).
    pub callback_due_at: Option<DateTime<Utc>>,
    /// Satisfaction score 1–5.
    pub satisfaction_score: Option<u8>,
    /// Satisfied?
    pub satisfied: Option<bool>,
    /// Who logged it.
    pub created_by: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Bumped on every change.
    pub version: i64,
    /// A delay explanation is owed before any other progress.
    pub delay_explanation_required: bool,
    /// SLA clocks now.
    pub sla: SlaState,
}

/// One history entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackEvent {
    /// Id.
    pub id: i64,
    /// The item it belongs to (a merged duplicate's entries show in the survivor's history).
    pub item_id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub user_id: Option<i64>,
    /// created, status, responded, note, assigned, departments, details, delay_explained,
    /// satisfaction, merged.
    pub kind: String,
    /// Status before.
    pub from_status: Option<String>,
    /// Status after.
    pub to_status: Option<String>,
    /// Comment.
    pub comment: String,
    /// Extra facts (expected date, assignee, departments, score, …).
    pub data: serde_json::Value,
}

/// An item with its full history (its own and that of duplicates merged into it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackDetail {
    /// The item.
    pub item: FeedbackItem,
    /// History, oldest first.
    pub history: Vec<FeedbackEvent>,
}

/// A workflow step as the UI sends it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransitionInput {
    /// The step.
    pub transition: Transition,
    /// Comment for the history.
    #[serde(default)]
    pub comment: String,
    /// Accept: the expected resolution date.
    #[serde(default)]
    pub expected_resolution_date: Option<NaiveDate>,
    /// Mark duplicate: the surviving item.
    #[serde(default)]
    pub duplicate_of_id: Option<i64>,
}

/// The result of a step: the item, and what must be scheduled next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionOutcome {
    /// The item after the step.
    pub detail: FeedbackDetail,
    /// Follow-ups to turn into tasks (a satisfaction call-back after closing).
    pub follow_ups: Vec<FollowUp>,
}

/// Investigation and resolution fields (replaced as a whole).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DetailsInput {
    /// Plan / solution.
    #[serde(default)]
    pub solution: String,
    /// Root cause.
    #[serde(default)]
    pub root_cause: String,
    /// Investigation result.
    #[serde(default)]
    pub investigation_result: String,
    /// Impact.
    #[serde(default)]
    pub impact: String,
    /// Customer expectation.
    #[serde(default)]
    pub customer_expectation: String,
    /// When it happened.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
    /// Responsible department.
    #[serde(default)]
    pub responsible_department_id: Option<i64>,
    /// Compensation kind.
    #[serde(default)]
    pub compensation_kind: Option<CompensationKind>,
    /// Compensation amount (minor units).
    #[serde(default)]
    pub compensation_amount: Money,
}

/// Who gets the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "mode")]
pub enum Assignment {
    /// This person.
    User {
        /// The user.
        user_id: i64,
    },
    /// The next member of the lead department in turn.
    RoundRobin,
}

/// A contact with the customer or an internal note.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResponseInput {
    /// True for a contact with the customer (stops the response clock the first time); false for
    /// an internal note.
    pub customer_facing: bool,
    /// What was said.
    pub comment: String,
}

/// 延迟说明.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DelayInput {
    /// Why.
    pub reason: String,
    /// New completion date.
    pub new_date: NaiveDate,
}

/// The satisfaction call-back's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SatisfactionInput {
    /// 1–5.
    pub score: i64,
    /// Satisfied? If not, the item reopens.
    pub satisfied: bool,
    /// Notes.
    #[serde(default)]
    pub comment: String,
}

/// Which queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    /// Assigned to me.
    Mine,
    /// My department leads or collaborates.
    Department,
}

/// List filters; all optional, combined with AND.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FeedbackFilter {
    /// Any of these statuses (default: all).
    #[serde(default)]
    pub statuses: Vec<Status>,
    /// Priority.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// A sub-category, or a top-level category (matches its sub-categories).
    #[serde(default)]
    pub category_id: Option<i64>,
    /// Channel.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Lead or collaborating department.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// Assignee.
    #[serde(default)]
    pub assignee_user_id: Option<i64>,
    /// SLA stage now.
    #[serde(default)]
    pub stage: Option<SlaStage>,
    /// Created at or after.
    #[serde(default)]
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    #[serde(default)]
    pub created_to: Option<DateTime<Utc>>,
    /// My queue or my department's.
    #[serde(default)]
    pub queue: Option<Queue>,
    /// At most this many items, the newest first (default: all). The list pages with it: each
    /// listed item has its live SLA state computed, which costs too much for a whole queue of
    /// thousands on every visit.
    #[serde(default)]
    pub limit: Option<usize>,
}

// ---------------------------------------------------------------------------------------------
// Reading.

/// The stored row, before the SLA state is computed.
struct Row {
    item: FeedbackItem,
    targets: PriorityTargets,
    notified_stage: SlaStage,
}

const COLUMNS: &str = "id, number, customer_id, contact_id, unknown_name, unknown_phone, channel,
    category_id, priority, status, description, occurred_at, impact, customer_expectation,
    investigation_result, responsible_department_id, root_cause, solution, compensation_kind,
    compensation_amount, assignee_user_id, expected_resolution_date, duplicate_of_id, was_late,
    callback_due_at, satisfaction_score, satisfied, created_by, created_at, updated_at, version,
    sla_targets, notified_stage";

fn ts(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

fn bad_column(i: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        i,
        rusqlite::types::Type::Text,
        format!("bad {what}").into(),
    )
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let channel: String = r.get(6)?;
    let priority: String = r.get(8)?;
    let status: String = r.get(9)?;
    let comp: Option<String> = r.get(18)?;
    let targets: String = r.get(31)?;
    let notified: String = r.get(32)?;
    let placeholder = SlaState {
        response_due: ts(0),
        responded_at: None,
        response_met: None,
        resolution_due: ts(0),
        resolved_at: None,
        resolution_met: None,
        paused: false,
        elapsed_calendar_secs: 0,
        elapsed_business_secs: 0,
        time_left_secs: 0,
        stage: SlaStage::OnTrack,
        next_change_at: None,
    };
    Ok(Row {
        item: FeedbackItem {
            id: r.get(0)?,
            number: r.get(1)?,
            customer_id: r.get(2)?,
            contact_id: r.get(3)?,
            unknown_name: r.get(4)?,
            unknown_phone: r.get(5)?,
            channel: Channel::parse(&channel).map_err(|_| bad_column(6, "channel"))?,
            category_id: r.get(7)?,
            priority: Priority::parse(&priority).map_err(|_| bad_column(8, "priority"))?,
            status: Status::parse(&status).map_err(|_| bad_column(9, "status"))?,
            description: r.get(10)?,
            occurred_at: r.get::<_, Option<i64>>(11)?.map(ts),
            impact: r.get(12)?,
            customer_expectation: r.get(13)?,
            investigation_result: r.get(14)?,
            responsible_department_id: r.get(15)?,
            root_cause: r.get(16)?,
            solution: r.get(17)?,
            compensation_kind: comp
                .map(|c| CompensationKind::parse(&c).map_err(|_| bad_column(18, "compensation")))
                .transpose()?,
            compensation_amount: Money(r.get(19)?),
            assignee_user_id: r.get(20)?,
            expected_resolution_date: r.get(21)?,
            duplicate_of_id: r.get(22)?,
            lead_department_id: None,
            collaborator_department_ids: Vec::new(),
            was_late: r.get(23)?,
            callback_due_at: r.get::<_, Option<i64>>(24)?.map(ts),
            satisfaction_score: r.get(25)?,
            satisfied: r.get(26)?,
            created_by: r.get(27)?,
            created_at: ts(r.get(28)?),
            updated_at: ts(r.get(29)?),
            version: r.get(30)?,
            delay_explanation_required: false,
            sla: placeholder,
        },
        targets: serde_json::from_str(&targets).map_err(|_| bad_column(31, "sla targets"))?,
        notified_stage: SlaStage::parse(&notified).unwrap_or(SlaStage::OnTrack),
    })
}

fn load_row(conn: &Connection, id: i64) -> Result<Row> {
    let mut row = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM feedback_items WHERE id = ?1"),
            [id],
            read_row,
        )
        .optional()?
        .ok_or(Error::NotFound("feedback"))?;
    let mut stmt = conn.prepare_cached(
        "SELECT department_id, role FROM feedback_item_departments WHERE item_id = ?1 ORDER BY department_id",
    )?;
    let depts: Vec<(i64, String)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (d, role) in depts {
        if role == "lead" {
            row.item.lead_department_id = Some(d);
        } else {
            row.item.collaborator_department_ids.push(d);
        }
    }
    Ok(row)
}

fn history(conn: &Connection, id: i64) -> Result<Vec<FeedbackEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, item_id, at, user_id, kind, from_status, to_status, comment, data
         FROM feedback_events
         WHERE item_id = ?1 OR item_id IN (SELECT id FROM feedback_items WHERE duplicate_of_id = ?1)
         ORDER BY at, id",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            let data: String = r.get(8)?;
            Ok(FeedbackEvent {
                id: r.get(0)?,
                item_id: r.get(1)?,
                at: ts(r.get(2)?),
                user_id: r.get(3)?,
                kind: r.get(4)?,
                from_status: r.get(5)?,
                to_status: r.get(6)?,
                comment: r.get(7)?,
                data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The clock events of an item, read from its own history.
fn sla_events(conn: &Connection, id: i64) -> Result<Vec<SlaEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, kind, from_status, to_status FROM feedback_events
         WHERE item_id = ?1 AND kind IN ('responded', 'status') ORDER BY at, id",
    )?;
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(at, kind, from, to)| {
            let kind = match (kind.as_str(), from.as_deref(), to.as_deref()) {
                ("responded", _, _) => SlaEventKind::Responded,
                (_, _, Some("awaiting_customer")) => SlaEventKind::Paused,
                (_, _, Some("closed" | "duplicate")) => SlaEventKind::Closed,
                (_, Some("awaiting_customer"), Some("in_progress")) => SlaEventKind::Resumed,
                (_, Some("closed"), Some("in_progress")) => SlaEventKind::Reopened,
                _ => return None,
            };
            Some(SlaEvent { at: ts(at), kind })
        })
        .collect())
}

fn calendar(conn: &Connection) -> Result<WorkCalendar> {
    store::load(conn, &team::time_zone(conn)?)
}

fn today(cal: &WorkCalendar, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&cal.tz).date_naive()
}

/// Fill in the SLA state and the delay flag.
fn complete(
    conn: &Connection,
    cal: &WorkCalendar,
    row: &mut Row,
    now: DateTime<Utc>,
) -> Result<()> {
    let events = sla_events(conn, row.item.id)?;
    row.item.sla = sla_state(&row.targets, cal, row.item.created_at, &events, now)?;
    row.item.delay_explanation_required = workflow::delay_explanation_required(
        row.item.status,
        row.item.expected_resolution_date,
        today(cal, now),
    );
    Ok(())
}

/// Recompute and store the SLA columns after a change; late stays late.
fn refresh(conn: &Connection, cal: &WorkCalendar, id: i64, now: DateTime<Utc>) -> Result<Row> {
    let mut row = load_row(conn, id)?;
    complete(conn, cal, &mut row, now)?;
    let it = &row.item;
    let late_by_date = it.status.is_open()
        && it
            .expected_resolution_date
            .is_some_and(|d| d < today(cal, now));
    let late = it.was_late || late_by_date || it.sla.resolution_met == Some(false);
    let notified = row.notified_stage.min(it.sla.stage);
    let next_check = if it.status.is_open() {
        it.sla.next_change_at.map(|t| t.timestamp())
    } else {
        None
    };
    conn.execute(
        "UPDATE feedback_items SET response_due_at = ?1, resolution_due_at = ?2, first_response_at = ?3,
            elapsed_calendar_secs = ?4, elapsed_business_secs = ?5, sla_stage = ?6, notified_stage = ?7,
            next_check_at = ?8, was_late = ?9
         WHERE id = ?10",
        params![
            it.sla.response_due.timestamp(),
            it.sla.resolution_due.timestamp(),
            it.sla.responded_at.map(|t| t.timestamp()),
            it.sla.elapsed_calendar_secs,
            it.sla.elapsed_business_secs,
            it.sla.stage.as_str(),
            notified.as_str(),
            next_check,
            late,
            id
        ],
    )?;
    row.item.was_late = late;
    row.notified_stage = notified;
    Ok(row)
}

/// Recompute and store an item's SLA columns at `now`, exactly as after a change. For the demo
/// generator, which writes items and their history directly and lets this module derive the rest.
pub(crate) fn refresh_sla(
    conn: &Connection,
    cal: &WorkCalendar,
    id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    refresh(conn, cal, id, now).map(|_| ())
}

pub(super) struct Loaded {
    pub(super) row_notified: SlaStage,
    pub(super) item: FeedbackItem,
}

/// Load an item with its SLA state computed at `now` (for the overdue scan).
pub(super) fn load_for_scan(
    conn: &Connection,
    cal: &WorkCalendar,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Loaded> {
    let row = refresh(conn, cal, id, now)?;
    Ok(Loaded {
        row_notified: row.notified_stage,
        item: row.item,
    })
}

/// How `actor` relates to the item.
fn involvement(conn: &Connection, actor: &Actor, item: &FeedbackItem) -> Result<Involvement> {
    let in_dept = |d: i64| actor.department_id == Some(d);
    let lead_head = match item.lead_department_id {
        Some(d) => {
            let head: Option<i64> = conn
                .query_row(
                    "SELECT head_user_id FROM departments WHERE id = ?1",
                    [d],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            head == Some(actor.user_id)
        }
        None => false,
    };
    Ok(Involvement {
        role: Some(actor.role),
        lead_member: item.lead_department_id.is_some_and(in_dept),
        collaborator_member: item.collaborator_department_ids.iter().any(|&d| in_dept(d)),
        lead_head,
        assignee: item.assignee_user_id == Some(actor.user_id),
    })
}

/// Record-level visibility: everything for admins, the supervisor and viewers; for heads and
/// staff the items their department leads or collaborates on, those assigned to them and those
/// they logged (staff need their department's queue to pick up work).
fn visible(actor: &Actor, inv: &Involvement, item: &FeedbackItem) -> bool {
    scope(actor.role) == Scope::All
        || inv.lead_member
        || inv.collaborator_member
        || inv.assignee
        || item.created_by == Some(actor.user_id)
}

/// Load, check visibility and relation, or `NotFound` (never reveal what one may not see).
fn load_visible(
    conn: &Connection,
    cal: &WorkCalendar,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(Row, Involvement)> {
    let mut row = load_row(conn, id)?;
    let inv = involvement(conn, actor, &row.item)?;
    if !visible(actor, &inv, &row.item) {
        return Err(Error::NotFound("feedback"));
    }
    complete(conn, cal, &mut row, now)?;
    Ok((row, inv))
}

fn detail(conn: &Connection, row: Row) -> Result<FeedbackDetail> {
    let history = history(conn, row.item.id)?;
    Ok(FeedbackDetail {
        item: row.item,
        history,
    })
}

/// One item with its history and SLA state.
pub fn get(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
) -> Result<FeedbackDetail> {
    actor.require(Action::FeedbackView)?;
    let cal = calendar(conn)?;
    let (row, _) = load_visible(conn, &cal, actor, id, now)?;
    detail(conn, row)
}

/// The pool, a queue, or a filtered list, newest first, within the actor's visibility.
pub fn list(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    filter: &FeedbackFilter,
) -> Result<Vec<FeedbackItem>> {
    actor.require(Action::FeedbackView)?;
    let cal = calendar(conn)?;
    let mut sql = String::from("SELECT id FROM feedback_items i WHERE 1 = 1");
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let mut arg = |sql: &mut String, clause: &str, v: Box<dyn ToSql>| {
        args.push(v);
        sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
    };
    if !filter.statuses.is_empty() {
        let list: Vec<String> = filter
            .statuses
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        sql.push_str(&format!(" AND i.status IN ({})", list.join(",")));
    }
    if let Some(p) = filter.priority {
        arg(&mut sql, " AND i.priority = ?", Box::new(p.as_str()));
    }
    if let Some(c) = filter.category_id {
        arg(&mut sql, " AND (i.category_id = ?", Box::new(c));
        arg(
            &mut sql,
            " OR i.category_id IN (SELECT id FROM feedback_categories WHERE parent_id = ?))",
            Box::new(c),
        );
    }
    if let Some(ch) = filter.channel {
        arg(&mut sql, " AND i.channel = ?", Box::new(ch.as_str()));
    }
    if let Some(d) = filter.department_id {
        arg(
            &mut sql,
            " AND i.id IN (SELECT item_id FROM feedback_item_departments WHERE department_id = ?)",
            Box::new(d),
        );
    }
    if let Some(u) = filter.assignee_user_id {
        arg(&mut sql, " AND i.assignee_user_id = ?", Box::new(u));
    }
    if let Some(t) = filter.created_from {
        arg(&mut sql, " AND i.created_at >= ?", Box::new(t.timestamp()));
    }
    if let Some(t) = filter.created_to {
        arg(&mut sql, " AND i.created_at < ?", Box::new(t.timestamp()));
    }
    match filter.queue {
        Some(Queue::Mine) => arg(
            &mut sql,
            " AND i.assignee_user_id = ?",
            Box::new(actor.user_id),
        ),
        Some(Queue::Department) => arg(
            &mut sql,
            " AND i.id IN (SELECT item_id FROM feedback_item_departments WHERE department_id = ?)",
            Box::new(actor.department_id.unwrap_or(-1)),
        ),
        None => {}
    }
    sql.push_str(" ORDER BY i.created_at DESC, i.id DESC");
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare(&sql)?;
        let refs: Vec<&dyn ToSql> = args.iter().map(|b| b.as_ref()).collect();
        stmt.query_map(refs.as_slice(), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::new();
    for id in ids {
        let mut row = load_row(conn, id)?;
        let inv = involvement(conn, actor, &row.item)?;
        if !visible(actor, &inv, &row.item) {
            continue;
        }
        complete(conn, &cal, &mut row, now)?;
        if filter.stage.is_some_and(|s| s != row.item.sla.stage) {
            continue;
        }
        out.push(row.item);
        if filter.limit.is_some_and(|l| out.len() >= l) {
            break;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Writing.

/// Append one history entry (the arguments are its columns).
#[allow(clippy::too_many_arguments)]
fn event(
    conn: &Connection,
    now: DateTime<Utc>,
    user: Option<i64>,
    item: i64,
    kind: &str,
    change: Option<(Status, Status)>,
    comment: &str,
    data: serde_json::Value,
) -> Result<()> {
    conn.execute(
        "INSERT INTO feedback_events (item_id, at, user_id, kind, from_status, to_status, comment, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            item,
            now.timestamp(),
            user,
            kind,
            change.map(|c| c.0.as_str()),
            change.map(|c| c.1.as_str()),
            comment,
            data.to_string()
        ],
    )?;
    Ok(())
}

fn touch(conn: &Connection, now: DateTime<Utc>, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE feedback_items SET updated_at = ?1, version = version + 1 WHERE id = ?2",
        params![now.timestamp(), id],
    )?;
    Ok(())
}

/// Next number `FK-YYYY-NNNNN` from the `sequences` table (year of the team-local date).
fn next_number(conn: &Connection, year: i32) -> Result<String> {
    conn.execute(
        "INSERT INTO sequences (name, year, last) VALUES ('feedback', ?1, 1)
         ON CONFLICT(name, year) DO UPDATE SET last = last + 1",
        [year],
    )?;
    let last: i64 = conn.query_row(
        "SELECT last FROM sequences WHERE name = 'feedback' AND year = ?1",
        [year],
        |r| r.get(0),
    )?;
    Ok(format!("FK-{year}-{last:05}"))
}

/// Active, non-viewer members of a department, by id.
fn members(conn: &Connection, department_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM users WHERE department_id = ?1 AND active = 1 AND role <> 'viewer' ORDER BY id",
    )?;
    let ids = stmt
        .query_map([department_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Next round-robin member of a department, advancing its cursor.
fn round_robin(conn: &Connection, department_id: i64) -> Result<Option<i64>> {
    let last: Option<i64> = conn
        .query_row(
            "SELECT last_user_id FROM feedback_round_robin WHERE department_id = ?1",
            [department_id],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let next = next_round_robin(&members(conn, department_id)?, last);
    if let Some(u) = next {
        conn.execute(
            "INSERT INTO feedback_round_robin (department_id, last_user_id) VALUES (?1, ?2)
             ON CONFLICT(department_id) DO UPDATE SET last_user_id = excluded.last_user_id",
            params![department_id, u],
        )?;
    }
    Ok(next)
}

/// Log a piece of feedback: checked, numbered, routed to its departments by the category's rule
/// (round-robin assignment when the lead department uses it), SLA clocks started.
pub fn create(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &NewFeedback,
) -> Result<FeedbackDetail> {
    actor.require(Action::FeedbackCreate)?;
    let description = text("description", &input.description)?;
    if description.trim().is_empty() {
        return Err(Error::invalid(
            "field.required",
            "description",
            "description is required",
        ));
    }
    let unknown_name = optional_line("unknown_name", &input.unknown_name)?;
    let unknown_phone = optional_line("unknown_phone", &input.unknown_phone)?;
    match input.customer_id {
        Some(c) => {
            let found: Option<i64> = conn
                .query_row("SELECT id FROM customers WHERE id = ?1", [c], |r| r.get(0))
                .optional()?;
            if found.is_none() {
                return Err(Error::invalid(
                    "feedback.customer_required",
                    "customer_id",
                    "unknown customer",
                ));
            }
            if let Some(ct) = input.contact_id {
                let owner: Option<i64> = conn
                    .query_row(
                        "SELECT customer_id FROM contacts WHERE id = ?1",
                        [ct],
                        |r| r.get(0),
                    )
                    .optional()?;
                if owner != Some(c) {
                    return Err(Error::invalid(
                        "feedback.contact_invalid",
                        "contact_id",
                        "the contact does not belong to this customer",
                    ));
                }
            }
        }
        None if unknown_name.is_empty() => {
            return Err(Error::invalid(
                "feedback.customer_required",
                "customer_id",
                "choose a customer or type the caller's name",
            ));
        }
        None if input.contact_id.is_some() => {
            return Err(Error::invalid(
                "feedback.contact_invalid",
                "contact_id",
                "a contact needs its customer",
            ));
        }
        None => {}
    }
    let cat = load_category(conn, input.category_id)?;
    if cat.parent_id.is_none() {
        return Err(Error::invalid(
            "feedback.category_not_leaf",
            "category_id",
            "choose a sub-category",
        ));
    }
    if cat.retired {
        return Err(Error::invalid(
            "feedback.category_retired",
            "category_id",
            "this category is retired",
        ));
    }
    let cal = calendar(conn)?;
    let targets = sla_policy(conn)?.for_priority(input.priority);
    let targets_json = serde_json::to_string(&targets)
        .map_err(|e| Error::conflict("sla.policy_corrupt", e.to_string()))?;
    let initial = sla_state(&targets, &cal, now, &[], now)?;

    let tx = conn.unchecked_transaction()?;
    use chrono::Datelike;
    let number = next_number(&tx, today(&cal, now).year())?;
    tx.execute(
        "INSERT INTO feedback_items (number, customer_id, contact_id, unknown_name, unknown_phone, channel,
            category_id, priority, description, occurred_at, impact, customer_expectation, sla_targets,
            response_due_at, resolution_due_at, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
        params![
            number,
            input.customer_id,
            input.contact_id,
            unknown_name,
            unknown_phone,
            input.channel.as_str(),
            cat.id,
            input.priority.as_str(),
            description,
            input.occurred_at.map(|t| t.timestamp()),
            text("impact", &input.impact)?,
            text("customer_expectation", &input.customer_expectation)?,
            targets_json,
            initial.response_due.timestamp(),
            initial.resolution_due.timestamp(),
            actor.user_id,
            now.timestamp()
        ],
    )?;
    let id = tx.last_insert_rowid();
    event(
        &tx,
        now,
        Some(actor.user_id),
        id,
        "created",
        None,
        "",
        serde_json::json!({"number": number}),
    )?;

    let departments: Vec<(String, i64, bool)> = {
        let mut stmt = tx.prepare("SELECT code, id, archived FROM departments")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let routed = route(&rule_codes(&tx, cat.id)?, &departments);
    write_departments(&tx, id, routed.lead, &routed.collaborators)?;
    if let Some(lead) = routed.lead {
        let code = departments
            .iter()
            .find(|d| d.1 == lead)
            .map(|d| d.0.clone())
            .unwrap_or_default();
        if assignment_modes(&tx)?.get(&code) == Some(&AssignmentMode::RoundRobin)
            && let Some(u) = round_robin(&tx, lead)?
        {
            tx.execute(
                "UPDATE feedback_items SET assignee_user_id = ?1 WHERE id = ?2",
                params![u, id],
            )?;
            event(
                &tx,
                now,
                None,
                id,
                "assigned",
                None,
                "",
                serde_json::json!({"user_id": u, "mode": "round_robin"}),
            )?;
        }
    }
    event(
        &tx,
        now,
        None,
        id,
        "departments",
        None,
        "",
        serde_json::json!({"lead": routed.lead, "collaborators": routed.collaborators, "by": "rule"}),
    )?;
    let row = refresh(&tx, &cal, id, now)?;
    let out = detail(&tx, row)?;
    tx.commit()?;
    Ok(out)
}

fn write_departments(
    conn: &Connection,
    id: i64,
    lead: Option<i64>,
    collaborators: &[i64],
) -> Result<()> {
    conn.execute(
        "DELETE FROM feedback_item_departments WHERE item_id = ?1",
        [id],
    )?;
    if let Some(l) = lead {
        conn.execute(
            "INSERT INTO feedback_item_departments (item_id, department_id, role) VALUES (?1, ?2, 'lead')",
            params![id, l],
        )?;
    }
    for &c in collaborators {
        if Some(c) != lead {
            conn.execute(
                "INSERT OR IGNORE INTO feedback_item_departments (item_id, department_id, role)
                 VALUES (?1, ?2, 'collaborator')",
                params![id, c],
            )?;
        }
    }
    Ok(())
}

fn require(ok: bool, what: &str) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "may not {what} this feedback item"
        )))
    }
}

/// Move an item through the workflow (see [`workflow`]); refused while a delay explanation is
/// owed. Closing returns a satisfaction call-back follow-up.
pub fn transition(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    input: &TransitionInput,
) -> Result<TransitionOutcome> {
    actor.require(Action::FeedbackHandle)?;
    let cal = calendar(conn)?;
    let (row, inv) = load_visible(conn, &cal, actor, id, now)?;
    let it = &row.item;
    let to = workflow::check_transition(it.status, input.transition, &inv)?;
    let day = today(&cal, now);
    require_no_pending_delay(it.status, it.expected_resolution_date, day)?;
    let comment = text("comment", &input.comment)?;
    let mut data = serde_json::json!({});
    let mut follow_ups = Vec::new();
    let tx = conn.unchecked_transaction()?;
    match input.transition {
        Transition::Accept => {
            let limit_day = it.sla.resolution_due.with_timezone(&cal.tz).date_naive();
            let d = check_expected_date(input.expected_resolution_date, day, limit_day)?;
            tx.execute(
                "UPDATE feedback_items SET expected_resolution_date = ?1 WHERE id = ?2",
                params![d, id],
            )?;
            if it.assignee_user_id.is_none() && (inv.lead_member || inv.collaborator_member) {
                tx.execute(
                    "UPDATE feedback_items SET assignee_user_id = ?1 WHERE id = ?2",
                    params![actor.user_id, id],
                )?;
            }
            data = serde_json::json!({"expected_resolution_date": d});
        }
        Transition::RequestConfirmation => {
            if it.solution.trim().is_empty() {
                return Err(Error::invalid(
                    "feedback.solution_required",
                    "solution",
                    "record the solution first",
                ));
            }
        }
        Transition::Close => {
            let top = load_category(conn, it.category_id)?.parent_id;
            let complaint =
                top.is_some_and(|p| load_category(conn, p).is_ok_and(|c| c.code == "complaint"));
            if complaint && it.root_cause.trim().is_empty() {
                return Err(Error::invalid(
                    "feedback.root_cause_required",
                    "root_cause",
                    "record the root cause first",
                ));
            }
            let FollowUp::SatisfactionCallback { due_at } = satisfaction_callback(now);
            tx.execute(
                "UPDATE feedback_items SET closed_at = ?1, callback_due_at = ?2 WHERE id = ?3",
                params![now.timestamp(), due_at.timestamp(), id],
            )?;
            follow_ups.push(satisfaction_callback(now));
        }
        Transition::Reopen => {
            tx.execute(
                "UPDATE feedback_items SET closed_at = NULL WHERE id = ?1",
                [id],
            )?;
        }
        Transition::MarkDuplicate => {
            let target_id = input.duplicate_of_id.filter(|&t| t != id).ok_or_else(|| {
                Error::invalid(
                    "feedback.duplicate_target_invalid",
                    "duplicate_of_id",
                    "choose another item",
                )
            })?;
            let target = load_row(conn, target_id).map_err(|_| {
                Error::invalid(
                    "feedback.duplicate_target_invalid",
                    "duplicate_of_id",
                    "no such item",
                )
            })?;
            if target.item.status == Status::Duplicate {
                return Err(Error::invalid(
                    "feedback.duplicate_target_invalid",
                    "duplicate_of_id",
                    "the chosen item is itself a duplicate",
                ));
            }
            tx.execute(
                "UPDATE feedback_items SET duplicate_of_id = ?1, closed_at = ?2 WHERE id = ?3",
                params![target_id, now.timestamp(), id],
            )?;
            // Items merged into this one follow it to the survivor.
            tx.execute(
                "UPDATE feedback_items SET duplicate_of_id = ?1 WHERE duplicate_of_id = ?2",
                params![target_id, id],
            )?;
            event(
                &tx,
                now,
                Some(actor.user_id),
                target_id,
                "merged",
                None,
                &comment,
                serde_json::json!({"duplicate_id": id, "number": it.number}),
            )?;
            touch(&tx, now, target_id)?;
            data = serde_json::json!({"duplicate_of_id": target_id});
        }
    }
    tx.execute(
        "UPDATE feedback_items SET status = ?1 WHERE id = ?2",
        params![to.as_str(), id],
    )?;
    event(
        &tx,
        now,
        Some(actor.user_id),
        id,
        "status",
        Some((it.status, to)),
        &comment,
        data,
    )?;
    touch(&tx, now, id)?;
    let row = refresh(&tx, &cal, id, now)?;
    let detail = detail(&tx, row)?;
    tx.commit()?;
    Ok(TransitionOutcome { detail, follow_ups })
}

/// Merge `id` into `of_id` (a [`Transition::MarkDuplicate`]); the survivor's history shows both.
pub fn mark_duplicate(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    of_id: i64,
    comment: &str,
) -> Result<FeedbackDetail> {
    let input = TransitionInput {
        transition: Transition::MarkDuplicate,
        comment: comment.to_string(),
        expected_resolution_date: None,
        duplicate_of_id: Some(of_id),
    };
    Ok(transition(conn, now, actor, id, &input)?.detail)
}

/// Load for a change by someone who works on the item, refusing while a delay explanation is
/// owed.
fn load_for_work(
    conn: &Connection,
    cal: &WorkCalendar,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Row> {
    actor.require(Action::FeedbackHandle)?;
    let (row, inv) = load_visible(conn, cal, actor, id, now)?;
    require(inv.may_work(), "work on")?;
    require_no_pending_delay(
        row.item.status,
        row.item.expected_resolution_date,
        today(cal, now),
    )?;
    Ok(row)
}

/// Save the investigation and resolution fields (plan/solution, root cause, table 3 fields).
pub fn update_details(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    input: &DetailsInput,
) -> Result<FeedbackDetail> {
    let cal = calendar(conn)?;
    let row = load_for_work(conn, &cal, actor, id, now)?;
    if !row.item.status.is_open() {
        return Err(Error::conflict(
            "feedback.item_closed",
            "reopen the item to change it",
        ));
    }
    if input.compensation_amount.0 < 0 {
        return Err(Error::invalid(
            "money.invalid",
            "compensation_amount",
            "the amount cannot be negative",
        ));
    }
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE feedback_items SET solution = ?1, root_cause = ?2, investigation_result = ?3, impact = ?4,
            customer_expectation = ?5, occurred_at = ?6, responsible_department_id = ?7,
            compensation_kind = ?8, compensation_amount = ?9
         WHERE id = ?10",
        params![
            text("solution", &input.solution)?,
            text("root_cause", &input.root_cause)?,
            text("investigation_result", &input.investigation_result)?,
            text("impact", &input.impact)?,
            text("customer_expectation", &input.customer_expectation)?,
            input.occurred_at.map(|t| t.timestamp()),
            input.responsible_department_id,
            input.compensation_kind.map(|k| k.as_str()),
            input.compensation_amount.0,
            id
        ],
    )?;
    event(
        &tx,
        now,
        Some(actor.user_id),
        id,
        "details",
        None,
        "",
        serde_json::json!({}),
    )?;
    touch(&tx, now, id)?;
    let row = refresh(&tx, &cal, id, now)?;
    let out = detail(&tx, row)?;
    tx.commit()?;
    Ok(out)
}

/// Assign a person (a member of a handling department, active, not a viewer) or the next one
/// in turn in the lead department. Admins, the supervisor and the lead department's head.
pub fn assign(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    how: Assignment,
) -> Result<FeedbackDetail> {
    actor.require(Action::FeedbackAssign)?;
    let cal = calendar(conn)?;
    let tx = conn.unchecked_transaction()?;
    assign_in(&tx, &cal, now, actor, id, how)?;
    let row = refresh(&tx, &cal, id, now)?;
    let out = detail(&tx, row)?;
    tx.commit()?;
    Ok(out)
}

/// Bulk assign (the list's selection): the same checks as [`assign`] for every item, all in one
/// transaction, so either every item gets its assignee or none does. A refusal names the item
/// ([`Error::InItem`]: its number, or `#id` when the actor may not see it).
pub fn assign_many(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    ids: &[i64],
    how: Assignment,
) -> Result<Vec<FeedbackItem>> {
    actor.require(Action::FeedbackAssign)?;
    if ids.is_empty() {
        return Err(Error::invalid(
            "feedback.selection_empty",
            "ids",
            "select at least one item",
        ));
    }
    let cal = calendar(conn)?;
    let tx = conn.unchecked_transaction()?;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        if !seen.insert(id) {
            continue;
        }
        let label = match load_row(&tx, id) {
            Ok(row) if visible(actor, &involvement(&tx, actor, &row.item)?, &row.item) => {
                row.item.number
            }
            _ => format!("#{id}"),
        };
        assign_in(&tx, &cal, now, actor, id, how).map_err(|e| Error::in_item(label, e))?;
        out.push(refresh(&tx, &cal, id, now)?.item);
    }
    tx.commit()?;
    Ok(out)
}

/// One assignment inside the caller's transaction: visibility, relation and state checks, the
/// assignee's eligibility, the change and its history entry.
fn assign_in(
    tx: &Connection,
    cal: &WorkCalendar,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    how: Assignment,
) -> Result<()> {
    let (row, inv) = load_visible(tx, cal, actor, id, now)?;
    require(inv.may_assign(), "assign")?;
    if !row.item.status.is_open() {
        return Err(Error::conflict(
            "feedback.item_closed",
            "reopen the item to change it",
        ));
    }
    let user = match how {
        Assignment::User { user_id } => {
            let dept: Option<(Option<i64>, bool, String)> = tx
                .query_row(
                    "SELECT department_id, active, role FROM users WHERE id = ?1",
                    [user_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let handling = |d: Option<i64>| {
                d.is_some_and(|d| {
                    row.item.lead_department_id == Some(d)
                        || row.item.collaborator_department_ids.contains(&d)
                })
            };
            match dept {
                Some((d, true, role)) if role != Role::Viewer.as_str() && handling(d) => user_id,
                _ => {
                    return Err(Error::invalid(
                        "feedback.assignee_invalid",
                        "user_id",
                        "choose an active member of a handling department",
                    ));
                }
            }
        }
        Assignment::RoundRobin => {
            let lead = row.item.lead_department_id.ok_or_else(|| {
                Error::conflict(
                    "feedback.no_lead_department",
                    "name a lead department first",
                )
            })?;
            round_robin(tx, lead)?.ok_or_else(|| {
                Error::conflict(
                    "feedback.no_members",
                    "the lead department has no active members",
                )
            })?
        }
    };
    tx.execute(
        "UPDATE feedback_items SET assignee_user_id = ?1 WHERE id = ?2",
        params![user, id],
    )?;
    let mode = if matches!(how, Assignment::RoundRobin) {
        "round_robin"
    } else {
        "manual"
    };
    event(
        tx,
        now,
        Some(actor.user_id),
        id,
        "assigned",
        None,
        "",
        serde_json::json!({"user_id": user, "mode": mode}),
    )?;
    touch(tx, now, id)
}

/// Name the lead department and the collaborating ones (the supervisor or an admin).
pub fn set_departments(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    lead: i64,
    collaborators: &[i64],
) -> Result<FeedbackDetail> {
    actor.require(Action::FeedbackAssign)?;
    let cal = calendar(conn)?;
    let (_, inv) = load_visible(conn, &cal, actor, id, now)?;
    require(inv.may_set_departments(), "route")?;
    for &d in std::iter::once(&lead).chain(collaborators) {
        let ok: Option<bool> = conn
            .query_row("SELECT archived FROM departments WHERE id = ?1", [d], |r| {
                r.get(0)
            })
            .optional()?;
        if ok != Some(false) {
            return Err(Error::invalid(
                "feedback.department_unknown",
                "department_id",
                "choose an existing, active department",
            ));
        }
    }
    let tx = conn.unchecked_transaction()?;
    write_departments(&tx, id, Some(lead), collaborators)?;
    event(
        &tx,
        now,
        Some(actor.user_id),
        id,
        "departments",
        None,
        "",
        serde_json::json!({"lead": lead, "collaborators": collaborators, "by": "person"}),
    )?;
    touch(&tx, now, id)?;
    let row = refresh(&tx, &cal, id, now)?;
    let out = detail(&tx, row)?;
    tx.commit()?;
    Ok(out)
}

/// Log a contact with the customer (the first one stops the response clock) or an internal
/// note (does not).
pub fn record_response(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    input: &ResponseInput,
) -> Result<FeedbackDetail> {
    let cal = calendar(conn)?;
    let row = load_for_work(conn, &cal, actor, id, now)?;
    let comment = text("comment", &input.comment)?;
    if comment.trim().is_empty() {
        return Err(Error::invalid(
            "field.required",
            "comment",
            "comment is required",
        ));
    }
    let tx = conn.unchecked_transaction()?;
    let kind = if input.customer_facing {
        "responded"
    } else {
        "note"
    };
    // A contact with a known customer is also an interaction on the customer's timeline, linked
    // to the item (when the actor may see that customer; otherwise the history alone keeps it).
    let mut data = serde_json::json!({});
    if let (true, Some(customer)) = (input.customer_facing, row.item.customer_id)
        && crate::access::visible_customer(&tx, actor, customer).is_ok_and(|c| !c.archived)
    {
        let logged = crate::interaction::insert_interaction(
            &tx,
            now,
            actor,
            customer,
            &response_interaction(&row.item, &comment, now, actor.user_id),
            &[],
        )?;
        data = serde_json::json!({"interaction_id": logged});
    }
    event(
        &tx,
        now,
        Some(actor.user_id),
        id,
        kind,
        None,
        &comment,
        data,
    )?;
    touch(&tx, now, id)?;
    let row = refresh(&tx, &cal, id, now)?;
    let out = detail(&tx, row)?;
    tx.commit()?;
    Ok(out)
}

/// The interaction a customer-facing response becomes: now, through the channel the customer
/// used (the nearest interaction channel), subject "<number> 反馈回复", the words said as key
/// points, the item's contact and the responder as participants.
fn response_interaction(
    item: &FeedbackItem,
    comment: &str,
    now: DateTime<Utc>,
    user_id: i64,
) -> crate::interaction::InteractionInput {
    let channel = match item.channel {
        Channel::PhoneHotline => "phone",
        Channel::OnlineChat | Channel::SocialMedia => "im",
        Channel::Email => "email",
        Channel::Callback | Channel::Survey => "callback",
        Channel::InPerson => "visit",
        Channel::Other => "other",
    };
    crate::interaction::InteractionInput {
        occurred_at: now,
        channel: channel.into(),
        subject: format!("{} 反馈回复", item.number),
        key_points: comment.to_string(),
        customer_needs: String::new(),
        commitments: String::new(),
        next_step: String::new(),
        satisfaction: None,
        feedback_id: Some(item.id),
        contact_ids: item.contact_id.into_iter().collect(),
        user_ids: vec![user_id],
    }
}

/// 延迟说明: reason and new completion date, once the expected date has passed. Kept in the
/// history; the item stays counted as late.
pub fn explain_delay(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    input: &DelayInput,
) -> Result<FeedbackDetail> {
    actor.require(Action::FeedbackHandle)?;
    let cal = calendar(conn)?;
    let (row, inv) = load_visible(conn, &cal, actor, id, now)?;
    require(inv.may_work(), "work on")?;
    let reason = text("reason", &input.reason)?;
    if reason.trim().is_empty() {
        return Err(Error::invalid(
            "field.required",
            "reason",
            "reason is required",
        ));
    }
    let prev = row.item.expected_resolution_date;
    check_delay_explanation(row.item.status, prev, today(&cal, now), input.new_date)?;
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO feedback_delay_explanations (item_id, at, user_id, reason, previous_date, new_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, now.timestamp(), actor.user_id, reason, prev, input.new_date],
    )?;
    tx.execute(
        "UPDATE feedback_items SET expected_resolution_date = ?1, was_late = 1 WHERE id = ?2",
        params![input.new_date, id],
    )?;
    event(
        &tx,
        now,
        Some(actor.user_id),
        id,
        "delay_explained",
        None,
        &reason,
        serde_json::json!({"previous_date": prev, "new_date": input.new_date}),
    )?;
    touch(&tx, now, id)?;
    let row = refresh(&tx, &cal, id, now)?;
    let out = detail(&tx, row)?;
    tx.commit()?;
    Ok(out)
}

/// The satisfaction call-back's result on a closed item: score 1–5 and satisfied or not; a
/// dissatisfied customer reopens the item.
pub fn record_satisfaction(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    input: &SatisfactionInput,
) -> Result<FeedbackDetail> {
    actor.require(Action::FeedbackHandle)?;
    let cal = calendar(conn)?;
    let (row, inv) = load_visible(conn, &cal, actor, id, now)?;
    require(inv.may_work(), "work on")?;
    if row.item.status != Status::Closed {
        return Err(Error::conflict(
            "feedback.not_closed",
            "only closed items get a satisfaction call-back",
        ));
    }
    let score = check_score(input.score)?;
    let comment = text("comment", &input.comment)?;
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE feedback_items SET satisfaction_score = ?1, satisfied = ?2, satisfaction_at = ?3 WHERE id = ?4",
        params![score, input.satisfied, now.timestamp(), id],
    )?;
    event(
        &tx,
        now,
        Some(actor.user_id),
        id,
        "satisfaction",
        None,
        &comment,
        serde_json::json!({"score": score, "satisfied": input.satisfied}),
    )?;
    if !input.satisfied {
        tx.execute(
            "UPDATE feedback_items SET status = 'in_progress', closed_at = NULL WHERE id = ?1",
            [id],
        )?;
        event(
            &tx,
            now,
            Some(actor.user_id),
            id,
            "status",
            Some((Status::Closed, Status::InProgress)),
            "customer not satisfied",
            serde_json::json!({"reason": "dissatisfied"}),
        )?;
    }
    touch(&tx, now, id)?;
    let row = refresh(&tx, &cal, id, now)?;
    let out = detail(&tx, row)?;
    tx.commit()?;
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests;
