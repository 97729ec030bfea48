//! The rules that propose reminders, gathered in one place for the scheduler: a pure function
//! of (database state, now). Level-based rules (tasks) re-propose the current stage every tick
//! and their stale pending reminders are superseded; the feedback overdue scan reports each
//! stage once, so its reminders are never superseded.

use super::{Candidate, Stage, store};
use crate::feedback::{OverdueNotice, overdue_scan};
use crate::sla::SlaStage;
use crate::{Result, team};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension};

/// Settings key: minutes before a task's due time that "due soon" fires (default 60).
pub const TASK_LEAD_KEY: &str = "task.lead_minutes";
const DEFAULT_TASK_LEAD_MINUTES: i64 = 60;
/// A task becomes "overdue" (a second nudge) this long after its due time.
const OVERDUE_AFTER: Duration = Duration::hours(24);
/// Tasks further past due than this are not announced any more (they stay on Today).
const FORGET_AFTER: Duration = Duration::days(30);

/// Kinds whose rules re-evaluate every tick (see the module doc).
pub const LEVEL_KINDS: &[&str] = &["task"];

/// Everything due for announcement at `now`, already recorded: returns the reminders that are
/// new this tick. Safe to call every minute and after a restart: nothing is recorded twice.
pub fn run(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<super::Reminder>> {
    let mut candidates = task_candidates(conn, now)?;
    store::supersede(conn, LEVEL_KINDS, &candidates)?;
    candidates.extend(feedback_candidates(overdue_scan(conn, now)?));
    store::record(conn, now, &candidates)
}

fn task_lead(conn: &Connection) -> Result<Duration> {
    let minutes: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [TASK_LEAD_KEY],
            |r| r.get(0),
        )
        .optional()?;
    let minutes = minutes
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|m| (0..=7 * 24 * 60).contains(m))
        .unwrap_or(DEFAULT_TASK_LEAD_MINUTES);
    Ok(Duration::minutes(minutes))
}

/// The stage of a task due at `due` as seen at `now`, if any stage applies.
pub fn task_stage(due: DateTime<Utc>, now: DateTime<Utc>, lead: Duration) -> Option<Stage> {
    if now < due - lead || now >= due + FORGET_AFTER {
        None
    } else if now < due {
        Some(Stage::DueSoon)
    } else if now < due + OVERDUE_AFTER {
        Some(Stage::Due)
    } else {
        Some(Stage::Overdue)
    }
}

/// Open, unsnoozed tasks in a reminder stage, for their owners.
pub fn task_candidates(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Candidate>> {
    let lead = task_lead(conn)?;
    let tz: chrono_tz::Tz = team::time_zone(conn)?
        .parse()
        .unwrap_or(chrono_tz::Asia::Shanghai);
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.title, t.owner_user_id, t.due_at, coalesce(c.name, '')
         FROM tasks t LEFT JOIN customers c ON c.id = t.customer_id
         WHERE t.status = 'open' AND t.due_at <= ?1 AND t.due_at > ?2
           AND (t.snoozed_until IS NULL OR t.snoozed_until <= ?3)",
    )?;
    let rows = stmt.query_map(
        rusqlite::params![
            (now + lead).timestamp(),
            (now - FORGET_AFTER).timestamp(),
            now.timestamp()
        ],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (id, title, owner, due, customer) = row?;
        let due = DateTime::from_timestamp(due, 0).unwrap_or(now);
        if let Some(stage) = task_stage(due, now, lead) {
            let local = due.with_timezone(&tz).format("%Y-%m-%d %H:%M");
            let body = if customer.is_empty() {
                local.to_string()
            } else {
                format!("{customer} · {local}")
            };
            out.push(Candidate {
                kind: "task".into(),
                stage,
                item_kind: "task".into(),
                item_id: id,
                recipient_user_id: owner,
                title,
                body,
                due_at: due,
            });
        }
    }
    Ok(out)
}

/// The feedback overdue scan's notices as reminders, one per person to tell.
pub fn feedback_candidates(notices: Vec<OverdueNotice>) -> Vec<Candidate> {
    let mut out = Vec::new();
    for n in notices {
        let stage = match n.stage {
            SlaStage::OnTrack => continue,
            SlaStage::DueSoon => Stage::DueSoon,
            SlaStage::Breached => Stage::Overdue,
            SlaStage::EscalatedLevel1 => Stage::Escalated1,
            SlaStage::EscalatedLevel2 => Stage::Escalated2,
        };
        for user in &n.user_ids {
            out.push(Candidate {
                kind: "feedback".into(),
                stage,
                item_kind: "feedback".into(),
                item_id: n.item_id,
                recipient_user_id: *user,
                title: n.number.clone(),
                body: String::new(),
                due_at: n.due_at,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn task_stages_follow_the_due_time() {
        let due = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let lead = Duration::minutes(60);
        let at = |m: i64| due + Duration::minutes(m);
        assert_eq!(task_stage(due, at(-61), lead), None);
        assert_eq!(task_stage(due, at(-60), lead), Some(Stage::DueSoon));
        assert_eq!(task_stage(due, at(0), lead), Some(Stage::Due));
        assert_eq!(task_stage(due, at(24 * 60 - 1), lead), Some(Stage::Due));
        assert_eq!(task_stage(due, at(24 * 60), lead), Some(Stage::Overdue));
        assert_eq!(task_stage(due, at(31 * 24 * 60), lead), None);
    }

    #[test]
    fn a_due_task_is_announced_once_then_superseded_when_done() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        let admin = crate::team::setup(
            &mut conn,
            now,
            &crate::team::SetupInput {
                company_name: "测试".into(),
                admin_username: "admin".into(),
                admin_display_name: "管理员".into(),
                admin_password: "admin-pass-1".into(),
                time_zone: "Asia/Shanghai".into(),
                locale: "zh-CN".into(),
                lunch_break: false,
            },
        )
        .unwrap();
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
