//! Tasks (待办): something one person has to do by a time, often for a customer, created by hand
//! or from an interaction (later: feedback, call-back plans, onboarding, care dates, reviews).
//! Pure rules are in `rules.rs`, storage and the guarded operations in `store.rs`.

mod rules;
mod store;

pub use rules::{
    TaskOp, TaskParties, attention_at, check_snooze, in_scope, is_overdue, is_snoozed, may_reopen,
    transition,
};
pub(crate) use store::insert_system_task;
pub use store::{
    TaskFilter, TaskView, cancel_task, complete_task, create_from_source, create_task, get_task,
    list_tasks, reopen_task, snooze_task, tasks_for_source,
};

use crate::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a task is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To do.
    Open,
    /// Done, with a completion note.
    Done,
    /// Dropped.
    Cancelled,
}

impl TaskStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Parse the stored text.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "open" => Ok(TaskStatus::Open),
            "done" => Ok(TaskStatus::Done),
            "cancelled" => Ok(TaskStatus::Cancelled),
            _ => Err(Error::invalid(
                "task.status_invalid",
                "status",
                format!("unknown task status {s:?}"),
            )),
        }
    }
}

/// What created a task; with `source_id` it points at the record in that module's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Typed in by hand.
    Manual,
    /// A to-do given with an interaction (`source_id` = interaction id).
    Interaction,
    /// A feedback item's follow-up.
    Feedback,
    /// A call-back plan.
    Plan,
    /// New-customer onboarding.
    Onboarding,
    /// A care date (birthday, anniversary).
    Care,
    /// A quarter-end review.
    Review,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [SourceKind; 7] = [
        SourceKind::Manual,
        SourceKind::Interaction,
        SourceKind::Feedback,
        SourceKind::Plan,
        SourceKind::Onboarding,
        SourceKind::Care,
        SourceKind::Review,
    ];

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Manual => "manual",
            SourceKind::Interaction => "interaction",
            SourceKind::Feedback => "feedback",
            SourceKind::Plan => "plan",
            SourceKind::Onboarding => "onboarding",
            SourceKind::Care => "care",
            SourceKind::Review => "review",
        }
    }

    /// Parse the stored text.
    pub fn parse(s: &str) -> Result<Self> {
        SourceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "task.source_kind_invalid",
                    "source_kind",
                    format!("unknown task source {s:?}"),
                )
            })
    }
}

/// A task as lists and the detail view show it, with names resolved and the time flags
/// computed for the `now` it was read at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    /// Id.
    pub id: i64,
    /// What to do.
    pub title: String,
    /// Details.
    pub notes: String,
    /// Who does it.
    pub owner_user_id: i64,
    /// The owner's display name.
    pub owner_name: String,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// The customer it is for, if any.
    pub customer_id: Option<i64>,
    /// That customer's name.
    pub customer_name: Option<String>,
    /// What created it.
    pub source_kind: SourceKind,
    /// The record that created it.
    pub source_id: Option<i64>,
    /// Status.
    pub status: TaskStatus,
    /// What was done (or why it was dropped).
    pub completion_note: String,
    /// When it was completed or cancelled.
    pub completed_at: Option<DateTime<Utc>>,
    /// By whom.
    pub completed_by: Option<i64>,
    /// Hidden until then.
    pub snoozed_until: Option<DateTime<Utc>>,
    /// Who created it.
    pub created_by: Option<i64>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Bumped on every change.
    pub version: i64,
    /// Open, past due and not snoozed (highlighted in lists).
    pub overdue: bool,
    /// Snoozed into the future.
    pub snoozed: bool,
}

/// A task as typed: by hand, or inline with an interaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTask {
    /// What to do.
    pub title: String,
    /// Details.
    #[serde(default)]
    pub notes: String,
    /// Who does it.
    pub owner_user_id: i64,
    /// When it is due.
    pub due_at: DateTime<Utc>,
    /// The customer it is for (set automatically for interaction to-dos).
    #[serde(default)]
    pub customer_id: Option<i64>,
}
