//! The scheduler's one entry point: run every rule (tasks, call-backs, onboarding, care dates,
//! feedback deadlines — see [`crate::plan`]) as a pure function of (database state, now), retire
//! pending reminders whose item no longer needs them, and record what is new exactly once.

use super::store;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// Kinds whose rules re-evaluate the current stage every tick, so an undelivered reminder that
/// drops out of the list (the task was done, the feedback closed) is superseded. Every rule in
/// [`crate::plan::scheduler_candidates`] works that way.
pub const LEVEL_KINDS: &[&str] = &[
    "task",
    "callback",
    "onboarding",
    "care",
    "feedback",
    "change_request",
    "review",
];

/// Everything due for announcement at `now`: creates missing plan tasks, then records the
/// candidates and returns the reminders that are new this tick. Safe to call every minute and
/// after a restart: nothing is recorded twice.
pub fn run(conn: &Connection, now: DateTime<Utc>) -> crate::Result<Vec<super::Reminder>> {
    crate::customer::review::ensure_current(conn, now)?;
    let mut candidates = crate::plan::tick(conn, now)?;
    candidates.extend(review_candidates(conn, now)?);
    store::supersede(conn, LEVEL_KINDS, &candidates)?;
    store::record(conn, now, &candidates)
}

/// The quarter-end review notice: while a review is open, each owner with customers in it
/// gets one reminder (kind and item kind `review`, stage info, title `2026 Q4`; the UI words
/// the rest in the reader's language), once per review since the dedup key holds the review
/// and the recipient. A notice still undelivered when the review closes is superseded.
pub fn review_candidates(
    conn: &Connection,
    now: DateTime<Utc>,
) -> crate::Result<Vec<super::Candidate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT q.id, q.year, q.quarter, q.closes_at, ri.owner_user_id
         FROM quarter_reviews q JOIN review_items ri ON ri.review_id = q.id
         JOIN users u ON u.id = ri.owner_user_id AND u.active = 1
         WHERE q.closed_at IS NULL AND q.closes_at > ?1
         ORDER BY q.id, ri.owner_user_id",
    )?;
    let rows = stmt.query_map([now.timestamp()], |r| {
        Ok(super::Candidate {
            kind: "review".into(),
            stage: super::Stage::Info,
            item_kind: "review".into(),
            item_id: r.get(0)?,
            recipient_user_id: r.get(4)?,
            title: format!("{} Q{}", r.get::<_, i32>(1)?, r.get::<_, u32>(2)?),
            body: String::new(),
            due_at: crate::clock::from_unix(r.get(3)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminder::Stage;
    use chrono::{Duration, TimeZone};

    #[test]
    fn a_due_task_is_announced_once_then_superseded_when_done() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        let admin =
            crate::team::setup(&mut conn, now, &crate::testutil::team_setup("测试")).unwrap();
        let task = crate::task::create_task(
            &conn,
            now,
            &admin,
            &crate::task::NewTask {
                title: "给华为回电话".into(),
                notes: String::new(),
                owner_user_id: admin.user_id,
                due_at: now + Duration::minutes(5),
                customer_id: None,
            },
        )
        .unwrap();
        let first = run(&conn, now).unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(
            (first[0].stage, first[0].title.as_str()),
            (Stage::DueSoon, "给华为回电话")
        );
        assert!(
            run(&conn, now + Duration::minutes(1)).unwrap().is_empty(),
            "once per stage"
        );
        let due = run(&conn, now + Duration::minutes(5)).unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].stage, Stage::Due);
        crate::task::complete_task(&conn, now + Duration::minutes(6), &admin, task.id, "").unwrap();
        assert!(
            run(&conn, now + Duration::days(2)).unwrap().is_empty(),
            "done: no overdue"
        );
        assert!(
            store::pending_for(&conn, admin.user_id)
                .unwrap()
                .iter()
                .all(|r| r.stage != Stage::Overdue)
        );
    }
}
