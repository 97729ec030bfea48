//! The overdue scan for the scheduler: which open items crossed into a worse SLA stage since
//! they were last notified, and who must hear about it. Uses the indexed `next_check_at`
//! column, so a scan touches only items whose stage may have changed.
//!
//! Recipients: `due_soon` and `breached` (a first response overdue) → the assignee (the lead
//! department's head when nobody is assigned); `escalated_level_1` → the lead department's
//! head; `escalated_level_2` → every active supervisor (admins when there is none). Each stage
//! is reported once per item: the stage reported is remembered (`notified_stage`) and lowered
//! again when a change (a response, a pause) improves the item's situation.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::items::load_for_scan;
use crate::Result;
use crate::calendar::store;
use crate::sla::SlaStage;
use crate::team;

/// Who is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// The item's assignee.
    Assignee,
    /// The lead department's head.
    DepartmentHead,
    /// The supervisor(s).
    Supervisor,
}

/// One reminder or escalation to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueNotice {
    /// The item.
    pub item_id: i64,
    /// Its number.
    pub number: String,
    /// The stage it reached.
    pub stage: SlaStage,
    /// The kind of recipient.
    pub recipient: Recipient,
    /// The users to tell (may be empty when nobody holds the role; the UI shows it anyway).
    pub user_ids: Vec<i64>,
    /// The deadline concerned (the response due instant for `breached`, else resolution).
    pub due_at: DateTime<Utc>,
}

/// Items whose stage got worse since last reported, as of `now`; records what was reported and
/// refreshes each scanned item's stored SLA columns.
pub fn overdue_scan(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<OverdueNotice>> {
    let cal = store::load(conn, &team::time_zone(conn)?)?;
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare(
            "SELECT id FROM feedback_items WHERE next_check_at IS NOT NULL AND next_check_at <= ?1
             ORDER BY next_check_at",
        )?;
        stmt.query_map([now.timestamp()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let supervisors: Vec<i64> = {
        let mut stmt = conn.prepare(
            "SELECT id FROM users WHERE active = 1 AND role = 'supervisor'
             UNION ALL SELECT id FROM users WHERE active = 1 AND role = 'admin'
               AND NOT EXISTS (SELECT 1 FROM users WHERE active = 1 AND role = 'supervisor')
             ORDER BY 1",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let tx = conn.unchecked_transaction()?;
    let mut out = Vec::new();
    for id in ids {
        let loaded = load_for_scan(&tx, &cal, id, now)?;
        let item = &loaded.item;
        let stage = item.sla.stage;
        if !item.status.is_open() || stage <= loaded.row_notified {
            continue;
        }
        let head: Option<i64> = match item.lead_department_id {
            Some(d) => tx
                .query_row(
                    "SELECT head_user_id FROM departments WHERE id = ?1",
                    [d],
                    |r| r.get(0),
                )
                .optional()?
                .flatten(),
            None => None,
        };
        let (recipient, user_ids) = match stage {
            SlaStage::DueSoon | SlaStage::Breached => match item.assignee_user_id {
                Some(u) => (Recipient::Assignee, vec![u]),
                None => (Recipient::DepartmentHead, head.into_iter().collect()),
            },
            SlaStage::EscalatedLevel1 => (Recipient::DepartmentHead, head.into_iter().collect()),
            SlaStage::EscalatedLevel2 => (Recipient::Supervisor, supervisors.clone()),
            SlaStage::OnTrack => continue,
        };
        // While unanswered the response clock is the pending deadline.
        let due_at = if item.sla.responded_at.is_none() && stage <= SlaStage::Breached {
            item.sla.response_due
        } else {
            item.sla.resolution_due
        };
        tx.execute(
            "UPDATE feedback_items SET notified_stage = ?1 WHERE id = ?2",
            params![stage.as_str(), id],
        )?;
        out.push(OverdueNotice {
            item_id: id,
            number: item.number.clone(),
            stage,
            recipient,
            user_ids,
            due_at,
        });
    }
    tx.commit()?;
    Ok(out)
}
