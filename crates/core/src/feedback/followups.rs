//! Where feedback meets tasks: the follow-ups a workflow step returns (today only the
//! satisfaction call-back after closing, template flow 三) become tasks in the tasks module,
//! sourced from the item. Called right after [`super::transition`] by the app.

use rusqlite::{Connection, OptionalExtension};

use super::items::{FeedbackItem, TransitionOutcome};
use super::workflow::FollowUp;
use crate::Result;
use crate::access::{user_department, visible_customer};
use crate::account::Actor;
use crate::task::{self, NewTask, SourceKind, TaskParties};
use chrono::{DateTime, Utc};

/// The task owner for an item's call-back: its assignee when that person is active and the
/// actor may create tasks for them, else the actor.
fn owner(
    conn: &Connection,
    actor: &Actor,
    item: &FeedbackItem,
    customer: Option<(Option<i64>, Option<i64>)>,
) -> Result<i64> {
    let Some(assignee) = item.assignee_user_id else {
        return Ok(actor.user_id);
    };
    let active: Option<bool> = conn
        .query_row("SELECT active FROM users WHERE id = ?1", [assignee], |r| {
            r.get(0)
        })
        .optional()?;
    if active != Some(true) {
        return Ok(actor.user_id);
    }
    let (customer_owner_user_id, customer_department_id) = customer.unwrap_or((None, None));
    let parties = TaskParties {
        owner_user_id: assignee,
        owner_department_id: user_department(conn, assignee)?,
        customer_owner_user_id,
        customer_department_id,
    };
    Ok(if task::in_scope(actor, &parties) {
        assignee
    } else {
        actor.user_id
    })
}

/// Task title and notes in the owner's language (Chinese unless they chose English).
fn wording(conn: &Connection, owner: i64, item: &FeedbackItem) -> Result<(String, String)> {
    let locale: Option<String> = conn
        .query_row("SELECT locale FROM users WHERE id = ?1", [owner], |r| {
            r.get(0)
        })
        .optional()?;
    let en = locale.as_deref() == Some("en");
    let title = if en {
        format!("Satisfaction call-back: {}", item.number)
    } else {
        format!("满意度回访：{}", item.number)
    };
    let who = [item.unknown_name.as_str(), item.unknown_phone.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let notes = match (en, who.is_empty()) {
        (true, true) => {
            "Ask for a score from 1 to 5 and whether the customer is satisfied.".to_string()
        }
        (true, false) => {
            format!("Call {who}: ask for a score from 1 to 5 and whether they are satisfied.")
        }
        (false, true) => "请客户打分(1–5)并确认是否满意。".to_string(),
        (false, false) => format!("联系 {who}:请客户打分(1–5)并确认是否满意。"),
    };
    Ok((title, notes))
}

/// Create the tasks a step's follow-ups call for (source: the feedback item); returns their
/// ids. A satisfaction call-back is owned by the item's assignee (or the actor, see
/// [`owner`]) and linked to the customer when the actor may see that customer.
pub fn apply(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    outcome: &TransitionOutcome,
) -> Result<Vec<i64>> {
    let item = &outcome.detail.item;
    let mut ids = Vec::new();
    for follow_up in &outcome.follow_ups {
        match *follow_up {
            FollowUp::SatisfactionCallback { due_at } => {
                let customer = item
                    .customer_id
                    .and_then(|c| visible_customer(conn, actor, c).ok());
                let owner_user_id = owner(
                    conn,
                    actor,
                    item,
                    customer
                        .as_ref()
                        .map(|c| (c.owner_user_id, c.department_id)),
                )?;
                let (title, notes) = wording(conn, owner_user_id, item)?;
                let input = NewTask {
                    title,
                    notes,
                    owner_user_id,
                    due_at,
                    customer_id: customer.map(|c| c.id),
                };
                ids.push(task::create_from_source(
                    conn,
                    now,
                    actor,
                    &input,
                    SourceKind::Feedback,
                    Some(item.id),
                )?);
            }
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::items::tests::{fixture, now, quick_item};
    use crate::feedback::{DetailsInput, Transition, TransitionInput, transition, update_details};
    use chrono::{NaiveDate, TimeDelta};

    fn step(t: Transition, date: Option<NaiveDate>) -> TransitionInput {
        TransitionInput {
            transition: t,
            comment: String::new(),
            expected_resolution_date: date,
            duplicate_of_id: None,
        }
    }

    #[test]
    fn closing_creates_the_callback_task_for_the_assignee() {
        let f = fixture();
        let id = quick_item(&f, "service_quality").item.id;
        let date = NaiveDate::from_ymd_opt(2026, 3, 6);
        let accepted =
            transition(&f.conn, now(), &f.cs1, id, &step(Transition::Accept, date)).unwrap();
        // Accepting has no follow-ups: nothing is created.
        assert!(apply(&f.conn, now(), &f.cs1, &accepted).unwrap().is_empty());
        let details = DetailsInput {
            solution: "道歉并培训客服".into(),
            root_cause: "新人未按流程回复".into(),
            ..DetailsInput::default()
        };
        update_details(&f.conn, now(), &f.cs1, id, &details).unwrap();
        let t = now() + TimeDelta::hours(1);
        transition(
            &f.conn,
            t,
            &f.cs1,
            id,
            &step(Transition::RequestConfirmation, None),
        )
        .unwrap();
        // The supervisor closes it: the call-back goes to the assignee, cs1.
        let closed = transition(
            &f.conn,
            t,
            &f.supervisor,
            id,
            &step(Transition::Close, None),
        )
        .unwrap();
        let ids = apply(&f.conn, t, &f.supervisor, &closed).unwrap();
        assert_eq!(ids.len(), 1);
        let tasks = task::tasks_for_source(&f.conn, t, &f.admin, SourceKind::Feedback, id).unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].id, ids[0]);
        assert_eq!(tasks[0].owner_user_id, f.cs1.user_id);
        assert_eq!(tasks[0].due_at, t + TimeDelta::days(7));
        assert_eq!(tasks[0].customer_id, Some(f.customer));
        assert!(tasks[0].title.contains(&closed.detail.item.number));
    }

    #[test]
    fn an_assignee_outside_the_actors_scope_leaves_the_task_with_the_actor() {
        let f = fixture();
        let id = quick_item(&f, "service_quality").item.id;
        let date = NaiveDate::from_ymd_opt(2026, 3, 6);
        transition(&f.conn, now(), &f.cs2, id, &step(Transition::Accept, date)).unwrap();
        let details = DetailsInput {
            solution: "s".into(),
            root_cause: "r".into(),
            ..DetailsInput::default()
        };
        update_details(&f.conn, now(), &f.cs2, id, &details).unwrap();
        transition(
            &f.conn,
            now(),
            &f.cs2,
            id,
            &step(Transition::RequestConfirmation, None),
        )
        .unwrap();
        // cs1 (staff, same department) closes cs2's item: staff may only own their own tasks.
        let closed =
            transition(&f.conn, now(), &f.cs1, id, &step(Transition::Close, None)).unwrap();
        apply(&f.conn, now(), &f.cs1, &closed).unwrap();
        let tasks =
            task::tasks_for_source(&f.conn, now(), &f.admin, SourceKind::Feedback, id).unwrap();
        assert_eq!(tasks.len(), 1);
        assert_eq!(tasks[0].owner_user_id, f.cs1.user_id);
    }
}
