//! Interactions (客户互动记录): every contact with a customer — visit, call, meeting, message,
//! greeting, call-back — with who took part on both sides, what was said and promised, and the
//! to-dos it left. Editing keeps an append-only history; the customer's `last_contact_at`
//! follows the newest interaction.
//!
//! `channel.rs` holds the editable list of channels, `rules.rs` the pure input checks,
//! `store.rs` the storage and the guarded operations.

mod channel;
mod rules;
mod store;

pub use channel::{Channel, ChannelInput, channels, save_channel};
pub use rules::{FUTURE_SLACK_SECS, check_input};
pub use store::{
    HistoryEntry, InteractionFilter, delete_interaction, get_interaction, history,
    list_interactions, log_interaction, timeline, update_interaction,
};
pub(crate) use store::{insert_interaction, list_condition};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The channel code of a call-back (回访): the call-script templates read the newest one as
/// "last call-back date".
pub const CALLBACK_CHANNEL: &str = "callback";

/// The editable fields of an interaction, as the form sends them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InteractionInput {
    /// When the contact happened.
    pub occurred_at: DateTime<Utc>,
    /// Channel code (`visit`, `phone`, …; see [`channels`]).
    pub channel: String,
    /// Subject (互动主题), one line.
    pub subject: String,
    /// Key points of the conversation (沟通要点).
    #[serde(default)]
    pub key_points: String,
    /// What the customer needs or asked for (客户需求).
    #[serde(default)]
    pub customer_needs: String,
    /// What we promised (我方承诺).
    #[serde(default)]
    pub commitments: String,
    /// The next step (下一步计划).
    #[serde(default)]
    pub next_step: String,
    /// Satisfaction score 1–5 (mostly for call-backs).
    #[serde(default)]
    pub satisfaction: Option<u8>,
    /// The feedback item this contact concerns (not checked until the feedback module lands).
    #[serde(default)]
    pub feedback_id: Option<i64>,
    /// Participants on the customer's side: contacts of this customer.
    #[serde(default)]
    pub contact_ids: Vec<i64>,
    /// Participants on our side: users.
    #[serde(default)]
    pub user_ids: Vec<i64>,
}

/// A to-do given inline with a new interaction; it becomes a task linked to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Todo {
    /// What to do.
    pub title: String,
    /// Who does it.
    pub owner_user_id: i64,
    /// By when.
    pub due_at: DateTime<Utc>,
    /// Details.
    #[serde(default)]
    pub notes: String,
}

/// A person who took part, with the name to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Contact id or user id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// An interaction as the timeline, the list and the detail view show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interaction {
    /// Id.
    pub id: i64,
    /// The customer.
    pub customer_id: i64,
    /// The customer's name.
    pub customer_name: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// Channel code.
    pub channel: String,
    /// Channel name in Chinese.
    pub channel_name_zh: String,
    /// Channel name in English.
    pub channel_name_en: String,
    /// Subject.
    pub subject: String,
    /// Key points.
    pub key_points: String,
    /// Customer needs.
    pub customer_needs: String,
    /// Our commitments.
    pub commitments: String,
    /// Next step.
    pub next_step: String,
    /// Satisfaction 1–5.
    pub satisfaction: Option<u8>,
    /// Linked feedback item.
    pub feedback_id: Option<i64>,
    /// Customer-side participants.
    pub contacts: Vec<Participant>,
    /// Our participants.
    pub users: Vec<Participant>,
    /// Who logged it.
    pub created_by: Option<i64>,
    /// Their name.
    pub created_by_name: Option<String>,
    /// When it was logged.
    pub created_at: DateTime<Utc>,
    /// Who changed it last.
    pub updated_by: Option<i64>,
    /// When.
    pub updated_at: DateTime<Utc>,
    /// Pass back to [`update_interaction`] / [`delete_interaction`]: a stale version is refused.
    pub version: i64,
    /// Open tasks created from it.
    pub open_todos: i64,
    /// Attached files.
    pub attachments: i64,
}

#[cfg(test)]
mod tests;
