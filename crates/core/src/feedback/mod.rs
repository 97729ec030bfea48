//! Customer feedback (反馈): one pool of complaints, suggestions and inquiries, each with an
//! owner, a deadline and a visible state. Intake, two-level classification, routing to
//! departments, the workflow, SLA clocks ([`crate::sla`]) and the overdue mechanism.
//!
//! Files: `workflow.rs` and `routing.rs` are pure rules; `config.rs` stores categories, routing
//! rules, the SLA policy and assignment modes; `items.rs` holds the item operations and
//! `overdue.rs` the scan for reminders and escalations; `followups.rs` turns a step's
//! follow-ups into tasks and `lookup.rs` is the intake form's stop-gap customer search.

mod config;
pub mod followups;
mod items;
mod lookup;
mod overdue;
pub mod routing;
pub mod workflow;

pub use crate::sla::Priority;
pub use config::{
    Category, CategoryInput, RoutingRule, add_category, assignment_modes, categories,
    delete_category, rename_category, retire_category, routing_rules, set_assignment_mode,
    set_routing, set_sla_policy, sla_policy,
};
pub(crate) use items::refresh_sla;
pub use items::{
    Assignment, DelayInput, DetailsInput, FeedbackDetail, FeedbackEvent, FeedbackFilter,
    FeedbackItem, NewFeedback, Queue, ResponseInput, SatisfactionInput, TransitionInput,
    TransitionOutcome, assign, assign_many, create, explain_delay, get, list, mark_duplicate,
    record_response, record_satisfaction, set_departments, transition, update_details,
};
pub use lookup::{CustomerHit, LOOKUP_LIMIT, customer_lookup, customers_by_ids};
pub use overdue::{OverdueNotice, Recipient, overdue_scan};
pub use routing::{AssignmentMode, Route};
pub use workflow::{FollowUp, Status, Transition};

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Where the feedback came in. Stored as the snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 客服电话.
    PhoneHotline,
    /// 在线客服.
    OnlineChat,
    /// 邮件.
    Email,
    /// 社交媒体.
    SocialMedia,
    /// 满意度调研.
    Survey,
    /// 回访.
    Callback,
    /// 当面.
    InPerson,
    /// 其他.
    Other,
}

impl Channel {
    /// Every channel, in picker order.
    pub const ALL: [Channel; 8] = [
        Channel::PhoneHotline,
        Channel::OnlineChat,
        Channel::Email,
        Channel::SocialMedia,
        Channel::Survey,
        Channel::Callback,
        Channel::InPerson,
        Channel::Other,
    ];

    /// Stored name, Chinese label, English label.
    pub fn labels(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Channel::PhoneHotline => ("phone_hotline", "客服电话", "Phone hotline"),
            Channel::OnlineChat => ("online_chat", "在线客服", "Online chat"),
            Channel::Email => ("email", "邮件", "Email"),
            Channel::SocialMedia => ("social_media", "社交媒体", "Social media"),
            Channel::Survey => ("survey", "满意度调研", "Satisfaction survey"),
            Channel::Callback => ("callback", "回访", "Call-back"),
            Channel::InPerson => ("in_person", "当面", "In person"),
            Channel::Other => ("other", "其他", "Other"),
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        self.labels().0
    }

    /// Parse the stored name (`feedback.channel_invalid`).
    pub fn parse(s: &str) -> Result<Channel> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "feedback.channel_invalid",
                    "channel",
                    format!("unknown channel {s:?}"),
                )
            })
    }
}

/// Compensation offered on a complaint (table 3). Stored as the snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompensationKind {
    /// 退款.
    Refund,
    /// 换货.
    Exchange,
    /// 延长服务期.
    ServiceExtension,
    /// 其他.
    Other,
}

impl CompensationKind {
    /// Every kind.
    pub const ALL: [CompensationKind; 4] = [
        CompensationKind::Refund,
        CompensationKind::Exchange,
        CompensationKind::ServiceExtension,
        CompensationKind::Other,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CompensationKind::Refund => "refund",
            CompensationKind::Exchange => "exchange",
            CompensationKind::ServiceExtension => "service_extension",
            CompensationKind::Other => "other",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Result<CompensationKind> {
        CompensationKind::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "feedback.compensation_invalid",
                    "compensation_kind",
                    format!("unknown compensation {s:?}"),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_and_compensation_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()).unwrap(), c);
            assert_eq!(
                serde_json::to_value(c).unwrap(),
                serde_json::json!(c.as_str())
            );
        }
        assert_eq!(Channel::PhoneHotline.labels().1, "客服电话");
        assert_eq!(
            Channel::parse("fax").unwrap_err().code(),
            "feedback.channel_invalid"
        );
        for k in CompensationKind::ALL {
            assert_eq!(CompensationKind::parse(k.as_str()).unwrap(), k);
        }
    }
}
