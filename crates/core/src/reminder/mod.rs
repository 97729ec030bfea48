//! Reminders that fire: what is due is decided from the database alone, as a pure function of
//! (database state, now); each decision is stored with its delivery state, so an item is
//! announced once per stage (due soon, due, overdue, escalated) and never twice after a restart.
//! The app only delivers (desktop notification, tray count, in-app notification centre).
//!
//! - [`Candidate`]: something a domain rule says deserves a reminder now.
//! - [`policy`]: whether a stored reminder may go to the desktop now (quiet hours, pause, muted
//!   kinds, escalations in business hours only).
//! - [`store`]: recording candidates exactly once, the inbox, read state, preferences.
//! - [`sources`]: the rules that propose candidates, run together by the scheduler.

pub mod policy;
pub mod sources;
pub mod store;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How far along an item is. Each stage is announced once per recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Coming up (lead time before the deadline).
    DueSoon,
    /// Due now.
    Due,
    /// Past its deadline.
    Overdue,
    /// Breached: the department head is told.
    Escalated1,
    /// Still breached: the supervisor is told.
    Escalated2,
    /// A one-off notice with no deadline (a review opened, a summary).
    Info,
}

impl Stage {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::DueSoon => "due_soon",
            Stage::Due => "due",
            Stage::Overdue => "overdue",
            Stage::Escalated1 => "escalated_1",
            Stage::Escalated2 => "escalated_2",
            Stage::Info => "info",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Option<Stage> {
        [
            Stage::DueSoon,
            Stage::Due,
            Stage::Overdue,
            Stage::Escalated1,
            Stage::Escalated2,
            Stage::Info,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }

    /// Escalations go to heads and supervisors, and only in business hours.
    pub fn is_escalation(self) -> bool {
        matches!(self, Stage::Escalated1 | Stage::Escalated2)
    }
}

/// Something a domain rule says deserves a reminder at this instant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// What kind of thing it is about (`task`, `callback`, `feedback_response`, …); users can
    /// mute kinds, and the UI picks an icon and a link by it.
    pub kind: String,
    /// The stage being announced.
    pub stage: Stage,
    /// The table the item lives in (`task`, `feedback`, `customer`, `change_request`, …).
    pub item_kind: String,
    /// The item's id.
    pub item_id: i64,
    /// Who should be told.
    pub recipient_user_id: i64,
    /// A short title (the item's own words, e.g. the task title), shown verbatim.
    pub title: String,
    /// A line of detail (customer name, deadline), shown verbatim.
    pub body: String,
    /// The instant the reminder is about (the deadline, the birthday).
    pub due_at: DateTime<Utc>,
}

impl Candidate {
    /// The key that makes a reminder unique: one per item, stage and recipient.
    pub fn dedup_key(&self) -> String {
        format!(
            "{}:{}:{}:{}:{}",
            self.kind,
            self.item_kind,
            self.item_id,
            self.stage.as_str(),
            self.recipient_user_id
        )
    }
}

/// A stored reminder, as the notification centre lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reminder {
    /// Id.
    pub id: i64,
    /// Kind (see [`Candidate::kind`]).
    pub kind: String,
    /// Stage.
    pub stage: Stage,
    /// The item's table.
    pub item_kind: String,
    /// The item's id.
    pub item_id: i64,
    /// Recipient.
    pub recipient_user_id: i64,
    /// Title, verbatim.
    pub title: String,
    /// Detail, verbatim.
    pub body: String,
    /// The instant it is about.
    pub due_at: DateTime<Utc>,
    /// When the scheduler decided it.
    pub created_at: DateTime<Utc>,
    /// When it went to the desktop, if it did.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When the user read it in the notification centre.
    pub read_at: Option<DateTime<Utc>>,
}
