//! The pure rules of tasks: which status changes are allowed, who may act on a task, and when a
//! task is overdue or snoozed. No SQL, no clock: `now` is a parameter.

use super::TaskStatus;
use crate::account::Actor;
use crate::permission::{self, Role, Scope};
use crate::{Error, Result};
use chrono::{DateTime, Utc};

/// Something a person does to an existing task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskOp {
    /// Mark done.
    Complete,
    /// Drop it.
    Cancel,
    /// Bring a done or cancelled task back.
    Reopen,
    /// Hide it until later.
    Snooze,
}

/// The status a task moves to under `op`, or the conflict explaining why it cannot.
pub fn transition(from: TaskStatus, op: TaskOp) -> Result<TaskStatus> {
    match (from, op) {
        (TaskStatus::Open, TaskOp::Complete) => Ok(TaskStatus::Done),
        (TaskStatus::Open, TaskOp::Cancel) => Ok(TaskStatus::Cancelled),
        (TaskStatus::Open, TaskOp::Snooze) => Ok(TaskStatus::Open),
        (TaskStatus::Done | TaskStatus::Cancelled, TaskOp::Reopen) => Ok(TaskStatus::Open),
        (TaskStatus::Open, TaskOp::Reopen) => Err(Error::conflict(
            "task.already_open",
            "the task is already open",
        )),
        (_, _) => Err(Error::conflict(
            "task.not_open",
            "only open tasks can be completed, cancelled or snoozed",
        )),
    }
}

/// Who a task concerns: its owner and, when linked, the customer's owner and department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskParties {
    /// The task's owner.
    pub owner_user_id: i64,
    /// The owner's department.
    pub owner_department_id: Option<i64>,
    /// The linked customer's owner.
    pub customer_owner_user_id: Option<i64>,
    /// The linked customer's department.
    pub customer_department_id: Option<i64>,
}

/// May the actor see and work on a task with these parties? Staff: tasks they own or for
/// customers they own. Heads: additionally tasks owned by people of their department or for
/// their department's customers. Admins, supervisors (and viewers, for reading): all.
pub fn in_scope(actor: &Actor, p: &TaskParties) -> bool {
    let me = Some(actor.user_id);
    let own = p.owner_user_id == actor.user_id || p.customer_owner_user_id == me;
    match permission::scope(actor.role) {
        Scope::All => true,
        Scope::Own => own,
        Scope::Department => {
            own || (actor.department_id.is_some()
                && (p.owner_department_id == actor.department_id
                    || p.customer_department_id == actor.department_id))
        }
    }
}

/// May the actor reopen a done or cancelled task? Its owner, an admin, or the head whose scope
/// covers it.
pub fn may_reopen(actor: &Actor, p: &TaskParties) -> bool {
    p.owner_user_id == actor.user_id
        || actor.role == Role::Admin
        || (actor.role == Role::Head && in_scope(actor, p))
}

/// While `snoozed_until` lies ahead the task is out of sight.
pub fn is_snoozed(snoozed_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    snoozed_until.is_some_and(|s| s > now)
}

/// When the task asks for attention: its due time, or the end of its snooze while snoozed past
/// it (a snooze never brings a task forward).
pub fn attention_at(
    due_at: DateTime<Utc>,
    snoozed_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    match snoozed_until {
        Some(s) if s > now => s.max(due_at),
        _ => due_at,
    }
}

/// An open task past its due time and not snoozed.
pub fn is_overdue(
    status: TaskStatus,
    due_at: DateTime<Utc>,
    snoozed_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    status == TaskStatus::Open && attention_at(due_at, snoozed_until, now) < now
}

/// A snooze must end in the future.
pub fn check_snooze(until: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    if until <= now {
        return Err(Error::invalid(
            "task.snooze_not_future",
            "snoozed_until",
            "snooze until a time in the future",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::t;

    #[test]
    fn only_open_tasks_complete_cancel_or_snooze() {
        use TaskOp::*;
        use TaskStatus::*;
        assert_eq!(transition(Open, Complete).unwrap(), Done);
        assert_eq!(transition(Open, Cancel).unwrap(), Cancelled);
        assert_eq!(transition(Open, Snooze).unwrap(), Open);
        for closed in [Done, Cancelled] {
            for op in [Complete, Cancel, Snooze] {
                assert_eq!(transition(closed, op).unwrap_err().code(), "task.not_open");
            }
            assert_eq!(transition(closed, Reopen).unwrap(), Open);
        }
        assert_eq!(
            transition(Open, Reopen).unwrap_err().code(),
            "task.already_open"
        );
    }

    #[test]
    fn overdue_and_snooze() {
        let now = t(2024, 3, 6, 2, 0);
        let due = t(2024, 3, 5, 10, 0);
        assert!(is_overdue(TaskStatus::Open, due, None, now));
        assert!(!is_overdue(TaskStatus::Done, due, None, now));
        assert!(!is_overdue(TaskStatus::Cancelled, due, None, now));
        assert!(!is_overdue(
            TaskStatus::Open,
            t(2024, 3, 7, 0, 0),
            None,
            now
        ));
        // Snoozed into the future: not overdue, attention moves to the snooze end.
        let until = t(2024, 3, 6, 9, 0);
        assert!(is_snoozed(Some(until), now));
        assert!(!is_overdue(TaskStatus::Open, due, Some(until), now));
        assert_eq!(attention_at(due, Some(until), now), until);
        // Once the snooze has passed, the original due time counts again.
        let later = t(2024, 3, 6, 10, 0);
        assert!(!is_snoozed(Some(until), later));
        assert!(is_overdue(TaskStatus::Open, due, Some(until), later));
        // Snoozing a task that is not yet due until before its due time changes nothing.
        let far = t(2024, 3, 20, 0, 0);
        assert_eq!(attention_at(far, Some(until), now), far);
        assert!(check_snooze(now, now).is_err());
        assert!(check_snooze(until, now).is_ok());
    }

    #[test]
    fn scope_and_reopen_rights() {
        let f = crate::testutil::Fixture::new();
        let own = TaskParties {
            owner_user_id: f.staff1.user_id,
            owner_department_id: f.staff1.department_id,
            customer_owner_user_id: None,
            customer_department_id: None,
        };
        let colleague_on_my_customer = TaskParties {
            owner_user_id: f.staff1b.user_id,
            owner_department_id: Some(f.dept1),
            customer_owner_user_id: Some(f.staff1.user_id),
            customer_department_id: Some(f.dept1),
        };
        let other_dept = TaskParties {
            owner_user_id: f.staff2.user_id,
            owner_department_id: Some(f.dept2),
            customer_owner_user_id: Some(f.staff2.user_id),
            customer_department_id: Some(f.dept2),
        };
        assert!(in_scope(&f.staff1, &own));
        assert!(in_scope(&f.staff1, &colleague_on_my_customer));
        assert!(!in_scope(&f.staff1, &other_dept));
        assert!(
            !in_scope(&f.staff1b, &own),
            "staff do not see colleagues' tasks"
        );
        assert!(in_scope(&f.head1, &own));
        assert!(!in_scope(&f.head1, &other_dept));
        assert!(in_scope(&f.supervisor, &other_dept));
        // Reopening: owner, admin, head of the department; not a staff who only owns the customer.
        assert!(may_reopen(&f.staff1, &own));
        assert!(!may_reopen(&f.staff1, &colleague_on_my_customer));
        assert!(may_reopen(&f.head1, &own));
        assert!(!may_reopen(&f.head1, &other_dept));
        assert!(may_reopen(&f.admin, &other_dept));
        assert!(!may_reopen(&f.supervisor, &other_dept));
    }
}
