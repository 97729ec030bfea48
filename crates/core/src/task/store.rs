//! Tasks in SQLite and the guarded operations on them. Reading needs `InteractionView` (tasks
//! are the follow-up of customer contacts; viewers read everything), changing needs
//! `TaskManage`; both are narrowed to the tasks [`in_scope`] for the actor.

use super::rules::{
    TaskOp, TaskParties, check_snooze, in_scope, is_overdue, is_snoozed, may_reopen, transition,
};
use super::{NewTask, SourceKind, Task, TaskStatus};
use crate::access::{user_department, visible_customer};
use crate::account::Actor;
use crate::clock::from_unix;
use crate::page::{Page, Paged};
use crate::permission::{self, Action, Scope};
use crate::validate::{required_line, text};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

/// Whose tasks a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskView {
    /// Tasks the actor owns.
    #[default]
    Mine,
    /// Every task in the actor's scope (heads: their department's).
    Team,
}

/// Filters of the task lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskFilter {
    /// Mine or team.
    #[serde(default)]
    pub view: TaskView,
    /// Only this status (all when empty).
    #[serde(default)]
    pub status: Option<TaskStatus>,
    /// Only for this customer.
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// Only open tasks past due and not snoozed.
    #[serde(default)]
    pub overdue_only: bool,
    /// Leave out tasks snoozed into the future.
    #[serde(default)]
    pub hide_snoozed: bool,
    /// Only tasks due before this instant.
    #[serde(default)]
    pub due_before: Option<DateTime<Utc>>,
    /// Which page.
    #[serde(default)]
    pub page: Page,
}

const SELECT: &str = "SELECT t.id, t.title, t.notes, t.owner_user_id, u.display_name, u.department_id,
        t.due_at, t.customer_id, c.name, c.owner_user_id, c.department_id, t.source_kind,
        t.source_id, t.status, t.completion_note, t.completed_at, t.completed_by,
        t.snoozed_until, t.created_by, t.created_at, t.updated_at, t.version
    FROM tasks t JOIN users u ON u.id = t.owner_user_id LEFT JOIN customers c ON c.id = t.customer_id";

/// A task row and the parties that decide who may act on it.
struct Row {
    task: Task,
    parties: TaskParties,
}

fn conv<T>(idx: usize, r: Result<T>) -> rusqlite::Result<T> {
    r.map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn read_row(r: &rusqlite::Row<'_>, now: DateTime<Utc>) -> rusqlite::Result<Row> {
    let status = conv(13, TaskStatus::parse(&r.get::<_, String>(13)?))?;
    let due_at = from_unix(r.get(6)?);
    let snoozed_until = r.get::<_, Option<i64>>(17)?.map(from_unix);
    let task = Task {
        id: r.get(0)?,
        title: r.get(1)?,
        notes: r.get(2)?,
        owner_user_id: r.get(3)?,
        owner_name: r.get(4)?,
        due_at,
        customer_id: r.get(7)?,
        customer_name: r.get(8)?,
        source_kind: conv(11, SourceKind::parse(&r.get::<_, String>(11)?))?,
        source_id: r.get(12)?,
        status,
        completion_note: r.get(14)?,
        completed_at: r.get::<_, Option<i64>>(15)?.map(from_unix),
        completed_by: r.get(16)?,
        snoozed_until,
        created_by: r.get(18)?,
        created_at: from_unix(r.get(19)?),
        updated_at: from_unix(r.get(20)?),
        version: r.get(21)?,
        overdue: is_overdue(status, due_at, snoozed_until, now),
        snoozed: status == TaskStatus::Open && is_snoozed(snoozed_until, now),
    };
    let parties = TaskParties {
        owner_user_id: task.owner_user_id,
        owner_department_id: r.get(5)?,
        customer_owner_user_id: r.get(9)?,
        customer_department_id: r.get(10)?,
    };
    Ok(Row { task, parties })
}

fn load(conn: &Connection, now: DateTime<Utc>, id: i64) -> Result<Row> {
    conn.query_row(&format!("{SELECT} WHERE t.id = ?1"), [id], |r| {
        read_row(r, now)
    })
    .optional()?
    .ok_or(Error::NotFound("task"))
}

/// Load a task the actor may see.
fn load_visible(conn: &Connection, now: DateTime<Utc>, actor: &Actor, id: i64) -> Result<Row> {
    let row = load(conn, now, id)?;
    if in_scope(actor, &row.parties) {
        Ok(row)
    } else {
        Err(Error::NotFound("task"))
    }
}

/// SQL condition (on `t`, `u`, `c` of [`SELECT`]) matching [`in_scope`]. Only integers of the
/// actor are inlined.
fn scope_condition(actor: &Actor) -> String {
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

/// One task, for its detail view.
pub fn get_task(conn: &Connection, now: DateTime<Utc>, actor: &Actor, id: i64) -> Result<Task> {
    actor.require(Action::InteractionView)?;
    Ok(load_visible(conn, now, actor, id)?.task)
}

/// Create a task by hand.
pub fn create_task(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &NewTask,
) -> Result<Task> {
    let id = create_from_source(conn, now, actor, input, SourceKind::Manual, None)?;
    Ok(load(conn, now, id)?.task)
}

/// Create a task on behalf of another module (interaction to-dos, later feedback, plans, …),
/// with the same checks as by hand: `TaskManage`, a valid active owner, a visible customer, and
/// the resulting task within the actor's scope (staff: for themselves or their own customer).
/// Returns the new id. Runs inside the caller's transaction when given one.
pub fn create_from_source(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &NewTask,
    kind: SourceKind,
    source_id: Option<i64>,
) -> Result<i64> {
    actor.require(Action::TaskManage)?;
    let title = required_line("title", &input.title)?;
    let notes = text("notes", &input.notes)?;
    let active: Option<bool> = conn
        .query_row(
            "SELECT active FROM users WHERE id = ?1",
            [input.owner_user_id],
            |r| r.get(0),
        )
        .optional()?;
    if active != Some(true) {
        return Err(Error::invalid(
            "task.owner_invalid",
            "owner_user_id",
            "choose an active user as the task's owner",
        ));
    }
    let customer = match input.customer_id {
        Some(c) => Some(visible_customer(conn, actor, c)?),
        None => None,
    };
    let parties = TaskParties {
        owner_user_id: input.owner_user_id,
        owner_department_id: user_department(conn, input.owner_user_id)?,
        customer_owner_user_id: customer.as_ref().and_then(|c| c.owner_user_id),
        customer_department_id: customer.as_ref().and_then(|c| c.department_id),
    };
    if !in_scope(actor, &parties) {
        return Err(Error::Forbidden(
            "a task must be your own or for a customer you look after".into(),
        ));
    }
    conn.execute(
        "INSERT INTO tasks (title, notes, owner_user_id, due_at, customer_id, source_kind, source_id,
                            created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            title,
            notes,
            input.owner_user_id,
            input.due_at.timestamp(),
            input.customer_id,
            kind.as_str(),
            source_id,
            actor.user_id,
            now.timestamp()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Create a task the system decided on (call-back plans, onboarding) where no person's rights
/// apply: the rule chose the owner (the customer's owner), who must be an active user.
/// `created_by` names whoever triggered it, if anyone. Runs inside the caller's transaction.
pub(crate) fn insert_system_task(
    conn: &Connection,
    now: DateTime<Utc>,
    input: &NewTask,
    kind: SourceKind,
    source_id: Option<i64>,
    created_by: Option<i64>,
) -> Result<i64> {
    let title = required_line("title", &input.title)?;
    let notes = text("notes", &input.notes)?;
    let active: Option<bool> = conn
        .query_row(
            "SELECT active FROM users WHERE id = ?1",
            [input.owner_user_id],
            |r| r.get(0),
        )
        .optional()?;
    if active != Some(true) {
        return Err(Error::invalid(
            "task.owner_invalid",
            "owner_user_id",
            "choose an active user as the task's owner",
        ));
    }
    conn.execute(
        "INSERT INTO tasks (title, notes, owner_user_id, due_at, customer_id, source_kind, source_id,
                            created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            title,
            notes,
            input.owner_user_id,
            input.due_at.timestamp(),
            input.customer_id,
            kind.as_str(),
            source_id,
            created_by,
            now.timestamp()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Apply a status change after the scope, rights and transition checks.
fn change(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    op: TaskOp,
    apply: impl FnOnce(&Connection, TaskStatus) -> Result<()>,
) -> Result<Task> {
    actor.require(Action::TaskManage)?;
    let row = load_visible(conn, now, actor, id)?;
    if op == TaskOp::Reopen && !may_reopen(actor, &row.parties) {
        return Err(Error::Forbidden(
            "only the owner, the department head or an admin may reopen a task".into(),
        ));
    }
    let to = transition(row.task.status, op)?;
    apply(conn, to)?;
    Ok(load(conn, now, id)?.task)
}

/// Mark an open task done, with what was done.
pub fn complete_task(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    note: &str,
) -> Result<Task> {
    let note = text("completion_note", note)?;
    change(conn, now, actor, id, TaskOp::Complete, |conn, to| {
        close(conn, now, actor, id, to, &note)
    })
}

/// Drop an open task, saying why.
pub fn cancel_task(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    note: &str,
) -> Result<Task> {
    let note = text("completion_note", note)?;
    change(conn, now, actor, id, TaskOp::Cancel, |conn, to| {
        close(conn, now, actor, id, to, &note)
    })
}

fn close(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    to: TaskStatus,
    note: &str,
) -> Result<()> {
    conn.execute(
        "UPDATE tasks SET status = ?1, completion_note = ?2, completed_at = ?3, completed_by = ?4,
                snoozed_until = NULL, updated_at = ?3, version = version + 1
         WHERE id = ?5",
        params![to.as_str(), note, now.timestamp(), actor.user_id, id],
    )?;
    Ok(())
}

/// Bring a done or cancelled task back to open (owner, head or admin), clearing the completion.
pub fn reopen_task(conn: &Connection, now: DateTime<Utc>, actor: &Actor, id: i64) -> Result<Task> {
    change(conn, now, actor, id, TaskOp::Reopen, |conn, to| {
        conn.execute(
            "UPDATE tasks SET status = ?1, completion_note = '', completed_at = NULL,
                    completed_by = NULL, updated_at = ?2, version = version + 1
             WHERE id = ?3",
            params![to.as_str(), now.timestamp(), id],
        )?;
        Ok(())
    })
}

/// Hide an open task until `until` (which must be in the future); it is not overdue meanwhile.
pub fn snooze_task(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    until: DateTime<Utc>,
) -> Result<Task> {
    check_snooze(until, now)?;
    change(conn, now, actor, id, TaskOp::Snooze, |conn, _| {
        conn.execute(
            "UPDATE tasks SET snoozed_until = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3",
            params![until.timestamp(), now.timestamp(), id],
        )?;
        Ok(())
    })
}

/// The tasks a record created (e.g. an interaction's to-dos), visible to the actor, by due time.
pub fn tasks_for_source(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    kind: SourceKind,
    source_id: i64,
) -> Result<Vec<Task>> {
    actor.require(Action::InteractionView)?;
    let sql = format!(
        "{SELECT} WHERE t.source_kind = ?1 AND t.source_id = ?2 AND {} ORDER BY t.due_at, t.id",
        scope_condition(actor)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![kind.as_str(), source_id], |r| read_row(r, now))?
        .map(|r| r.map(|row| row.task))
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// My tasks or the team's, filtered, earliest due first.
pub fn list_tasks(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    filter: &TaskFilter,
) -> Result<Paged<Task>> {
    actor.require(Action::InteractionView)?;
    let mut cond = vec![scope_condition(actor)];
    let mut args: Vec<Value> = Vec::new();
    if filter.view == TaskView::Mine {
        args.push(actor.user_id.into());
        cond.push(format!("t.owner_user_id = ?{}", args.len()));
    }
    if let Some(s) = filter.status {
        args.push(s.as_str().to_string().into());
        cond.push(format!("t.status = ?{}", args.len()));
    }
    if let Some(c) = filter.customer_id {
        args.push(c.into());
        cond.push(format!("t.customer_id = ?{}", args.len()));
    }
    if let Some(b) = filter.due_before {
        args.push(b.timestamp().into());
        cond.push(format!("t.due_at < ?{}", args.len()));
    }
    if filter.overdue_only || filter.hide_snoozed {
        args.push(now.timestamp().into());
        let n = args.len();
        cond.push(format!(
            "(t.snoozed_until IS NULL OR t.snoozed_until <= ?{n})"
        ));
        if filter.overdue_only {
            cond.push(format!("t.status = 'open' AND t.due_at < ?{n}"));
        }
    }
    let where_ = cond.join(" AND ");
    let total: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM tasks t JOIN users u ON u.id = t.owner_user_id
             LEFT JOIN customers c ON c.id = t.customer_id WHERE {where_}"
        ),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let limit = filter.page.effective_limit();
    let sql = format!(
        "{SELECT} WHERE {where_}
         ORDER BY t.status = 'open' DESC, t.due_at, t.id LIMIT {limit} OFFSET {}",
        filter.page.offset
    );
    let mut stmt = conn.prepare(&sql)?;
    let items = stmt
        .query_map(params_from_iter(args.iter()), |r| read_row(r, now))?
        .map(|r| r.map(|row| row.task))
        .collect::<rusqlite::Result<_>>()?;
    Ok(Paged {
        items,
        total: total as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Fixture, t};

    fn new_task(owner: i64, customer: Option<i64>, due: DateTime<Utc>) -> NewTask {
        NewTask {
            title: "提供报价单".into(),
            notes: String::new(),
            owner_user_id: owner,
            due_at: due,
            customer_id: customer,
        }
    }

    fn now() -> DateTime<Utc> {
        t(2024, 3, 1, 8, 0)
    }

    #[test]
    fn create_complete_reopen_cancel() {
        let f = Fixture::new();
        let due = t(2024, 3, 5, 10, 0);
        let task = create_task(
            &f.conn,
            now(),
            &f.staff1,
            &new_task(f.staff1.user_id, Some(f.cust1), due),
        )
        .unwrap();
        assert_eq!(task.status, TaskStatus::Open);
        assert_eq!(task.source_kind, SourceKind::Manual);
        assert_eq!(task.customer_name.as_deref(), Some("科技有限公司"));
        assert_eq!(task.owner_name, "张经理");
        assert!(!task.overdue);

        let later = t(2024, 3, 6, 0, 0);
        assert!(
            get_task(&f.conn, later, &f.staff1, task.id)
                .unwrap()
                .overdue
        );
        let done = complete_task(&f.conn, later, &f.staff1, task.id, "已发送报价单").unwrap();
        assert_eq!(done.status, TaskStatus::Done);
        assert_eq!(done.completion_note, "已发送报价单");
        assert_eq!(done.completed_at, Some(later));
        assert_eq!(done.completed_by, Some(f.staff1.user_id));
        assert!(!done.overdue, "done tasks are never overdue");
        assert_eq!(done.version, 2);
        // Done tasks cannot be completed again, cancelled or snoozed.
        let e = complete_task(&f.conn, later, &f.staff1, task.id, "").unwrap_err();
        assert_eq!(e.code(), "task.not_open");
        assert_eq!(
            cancel_task(&f.conn, later, &f.staff1, task.id, "")
                .unwrap_err()
                .code(),
            "task.not_open"
        );
        assert_eq!(
            snooze_task(&f.conn, later, &f.staff1, task.id, t(2024, 3, 7, 0, 0))
                .unwrap_err()
                .code(),
            "task.not_open"
        );
        let reopened = reopen_task(&f.conn, later, &f.staff1, task.id).unwrap();
        assert_eq!(reopened.status, TaskStatus::Open);
        assert_eq!(reopened.completed_at, None);
        assert_eq!(reopened.completion_note, "");
        assert!(reopened.overdue);
        assert_eq!(
            reopen_task(&f.conn, later, &f.staff1, task.id)
                .unwrap_err()
                .code(),
            "task.already_open"
        );
        let cancelled = cancel_task(&f.conn, later, &f.staff1, task.id, "客户取消").unwrap();
        assert_eq!(cancelled.status, TaskStatus::Cancelled);
        assert_eq!(cancelled.completion_note, "客户取消");
    }

    #[test]
    fn snooze_hides_until_then() {
        let f = Fixture::new();
        let task = create_task(
            &f.conn,
            now(),
            &f.staff1,
            &new_task(f.staff1.user_id, None, t(2024, 3, 1, 9, 0)),
        )
        .unwrap();
        let at = t(2024, 3, 1, 10, 0);
        assert!(get_task(&f.conn, at, &f.staff1, task.id).unwrap().overdue);
        assert_eq!(
            snooze_task(&f.conn, at, &f.staff1, task.id, at)
                .unwrap_err()
                .code(),
            "task.snooze_not_future"
        );
        let s = snooze_task(&f.conn, at, &f.staff1, task.id, t(2024, 3, 2, 1, 0)).unwrap();
        assert!(s.snoozed && !s.overdue);
        let filter = TaskFilter {
            overdue_only: true,
            ..Default::default()
        };
        assert_eq!(
            list_tasks(&f.conn, at, &f.staff1, &filter).unwrap().total,
            0
        );
        let hidden = TaskFilter {
            hide_snoozed: true,
            ..Default::default()
        };
        assert_eq!(
            list_tasks(&f.conn, at, &f.staff1, &hidden).unwrap().total,
            0
        );
        let after = t(2024, 3, 2, 2, 0);
        let back = get_task(&f.conn, after, &f.staff1, task.id).unwrap();
        assert!(back.overdue && !back.snoozed);
        assert_eq!(
            list_tasks(&f.conn, after, &f.staff1, &filter)
                .unwrap()
                .total,
            1
        );
        // Completing clears the snooze.
        let done = complete_task(&f.conn, after, &f.staff1, task.id, "").unwrap();
        assert_eq!(done.snoozed_until, None);
    }

    #[test]
    fn staff_act_on_own_tasks_and_own_customers_only() {
        let f = Fixture::new();
        let due = t(2024, 3, 5, 10, 0);
        // Staff may give a colleague a task on their own customer…
        let for_colleague = create_task(
            &f.conn,
            now(),
            &f.staff1,
            &new_task(f.staff1b.user_id, Some(f.cust1), due),
        )
        .unwrap();
        // …but not a task without a customer, nor on someone else's customer.
        let e = create_task(
            &f.conn,
            now(),
            &f.staff1,
            &new_task(f.staff1b.user_id, None, due),
        )
        .unwrap_err();
        assert!(matches!(e, Error::Forbidden(_)));
        let e = create_task(
            &f.conn,
            now(),
            &f.staff1,
            &new_task(f.staff1.user_id, Some(f.cust2), due),
        )
        .unwrap_err();
        assert_eq!(e.code(), "not_found");
        let e = create_task(&f.conn, now(), &f.staff1, &new_task(9999, None, due)).unwrap_err();
        assert_eq!(e.code(), "task.owner_invalid");
        let e = create_task(
            &f.conn,
            now(),
            &f.viewer,
            &new_task(f.viewer.user_id, None, due),
        )
        .unwrap_err();
        assert!(matches!(e, Error::Forbidden(_)));

        let other = create_task(
            &f.conn,
            now(),
            &f.staff2,
            &new_task(f.staff2.user_id, Some(f.cust2), due),
        )
        .unwrap();
        // Staff 1 can neither see nor complete staff 2's task.
        assert_eq!(
            get_task(&f.conn, now(), &f.staff1, other.id)
                .unwrap_err()
                .code(),
            "not_found"
        );
        assert_eq!(
            complete_task(&f.conn, now(), &f.staff1, other.id, "")
                .unwrap_err()
                .code(),
            "not_found"
        );
        // The colleague completes the task on staff 1's customer; staff 1 (customer owner)
        // sees it but may not reopen it: only its owner, a head or an admin may.
        complete_task(&f.conn, now(), &f.staff1b, for_colleague.id, "ok").unwrap();
        assert!(get_task(&f.conn, now(), &f.staff1, for_colleague.id).is_ok());
        assert!(matches!(
            reopen_task(&f.conn, now(), &f.staff1, for_colleague.id).unwrap_err(),
            Error::Forbidden(_)
        ));
        assert!(matches!(
            reopen_task(&f.conn, now(), &f.supervisor, for_colleague.id).unwrap_err(),
            Error::Forbidden(_)
        ));
        reopen_task(&f.conn, now(), &f.head1, for_colleague.id).unwrap();
        complete_task(&f.conn, now(), &f.staff1b, for_colleague.id, "ok").unwrap();
        reopen_task(&f.conn, now(), &f.admin, for_colleague.id).unwrap();
        // Viewers read but do not act.
        assert!(get_task(&f.conn, now(), &f.viewer, other.id).is_ok());
        assert!(matches!(
            complete_task(&f.conn, now(), &f.viewer, other.id, "").unwrap_err(),
            Error::Forbidden(_)
        ));
    }

    #[test]
    fn my_tasks_and_team_tasks() {
        let f = Fixture::new();
        let due = t(2024, 3, 5, 10, 0);
        let a = create_task(
            &f.conn,
            now(),
            &f.staff1,
            &new_task(f.staff1.user_id, None, due),
        )
        .unwrap();
        let b = create_task(
            &f.conn,
            now(),
            &f.staff1b,
            &new_task(f.staff1b.user_id, None, t(2024, 3, 4, 0, 0)),
        )
        .unwrap();
        let c = create_task(
            &f.conn,
            now(),
            &f.staff2,
            &new_task(f.staff2.user_id, Some(f.cust2), due),
        )
        .unwrap();
        let h = create_task(
            &f.conn,
            now(),
            &f.head1,
            &new_task(f.head1.user_id, None, due),
        )
        .unwrap();
        let ids = |actor: &Actor, view: TaskView| -> Vec<i64> {
            let filter = TaskFilter {
                view,
                ..Default::default()
            };
            list_tasks(&f.conn, now(), actor, &filter)
                .unwrap()
                .items
                .iter()
                .map(|t| t.id)
                .collect()
        };
        assert_eq!(ids(&f.staff1, TaskView::Mine), vec![a.id]);
        assert_eq!(
            ids(&f.staff1, TaskView::Team),
            vec![a.id],
            "staff see only their own"
        );
        assert_eq!(ids(&f.head1, TaskView::Mine), vec![h.id]);
        // Heads see their department's tasks, earliest due first, not the other department's.
        assert_eq!(ids(&f.head1, TaskView::Team), vec![b.id, a.id, h.id]);
        let all = ids(&f.admin, TaskView::Team);
        assert_eq!(all.len(), 4);
        assert!(all.contains(&c.id));
        assert_eq!(ids(&f.viewer, TaskView::Team).len(), 4);
        // Head acts on a department member's task, not on another department's.
        complete_task(&f.conn, now(), &f.head1, a.id, "代为完成").unwrap();
        assert_eq!(
            complete_task(&f.conn, now(), &f.head1, c.id, "")
                .unwrap_err()
                .code(),
            "not_found"
        );
        // Filters and paging.
        let open = TaskFilter {
            view: TaskView::Team,
            status: Some(TaskStatus::Open),
            page: Page {
                offset: 0,
                limit: 1,
            },
            ..Default::default()
        };
        let p = list_tasks(&f.conn, now(), &f.admin, &open).unwrap();
        assert_eq!(p.total, 3);
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].id, b.id);
        let by_customer = TaskFilter {
            view: TaskView::Team,
            customer_id: Some(f.cust2),
            ..Default::default()
        };
        assert_eq!(
            list_tasks(&f.conn, now(), &f.admin, &by_customer)
                .unwrap()
                .items[0]
                .id,
            c.id
        );
    }
}
