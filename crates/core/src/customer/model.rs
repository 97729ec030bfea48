//! The customer domain's data types: what the UI sends (inputs) and what it reads (records).

use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where a customer stands in the relationship (合作阶段).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 潜在客户: not signed yet.
    #[default]
    Potential,
    /// 签约客户: under contract.
    Signed,
    /// 战略合作伙伴: strategic partner.
    Strategic,
    /// 流失: lost.
    Churned,
}

impl Stage {
    /// Every stage, in the order of the relationship.
    pub const ALL: [Stage; 4] = [
        Stage::Potential,
        Stage::Signed,
        Stage::Strategic,
        Stage::Churned,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Potential => "potential",
            Stage::Signed => "signed",
            Stage::Strategic => "strategic",
            Stage::Churned => "churned",
        }
    }

    /// The Chinese label used in spreadsheets.
    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::Potential => "潜在客户",
            Stage::Signed => "签约客户",
            Stage::Strategic => "战略合作伙伴",
            Stage::Churned => "流失",
        }
    }

    /// Parse a stored name, an English word or a Chinese label (as found in imported sheets).
    pub fn parse(s: &str) -> Option<Stage> {
        let t = s.trim().to_lowercase();
        Stage::ALL.into_iter().find(|st| {
            t == st.as_str()
                || t == st.label_zh()
                || match st {
                    Stage::Potential => matches!(t.as_str(), "潜在" | "prospect" | "lead"),
                    Stage::Signed => matches!(t.as_str(), "签约" | "已签约" | "customer"),
                    Stage::Strategic => {
                        matches!(t.as_str(), "战略" | "战略客户" | "战略合作" | "partner")
                    }
                    Stage::Churned => matches!(t.as_str(), "已流失" | "流失客户" | "lost"),
                }
        })
    }
}

/// Value tier (价值等级): A is the most valuable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Tier {
    /// Most valuable.
    A,
    /// Middle.
    B,
    /// Default.
    #[default]
    C,
}

impl Tier {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::A => "A",
            Tier::B => "B",
            Tier::C => "C",
        }
    }

    /// Parse `A`/`b`/`A级`/`Ａ`.
    pub fn parse(s: &str) -> Option<Tier> {
        let t: String = s
            .trim()
            .chars()
            .map(crate::validate::to_half_width)
            .collect::<String>()
            .to_uppercase();
        match t.trim_end_matches(['级', '类']) {
            "A" => Some(Tier::A),
            "B" => Some(Tier::B),
            "C" => Some(Tier::C),
            _ => None,
        }
    }
}

/// A coloured label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Id.
    pub id: i64,
    /// Name, unique ignoring case.
    pub name: String,
    /// CSS colour (`#rrggbb`).
    pub colour: String,
}

/// A contact person as typed in the form. `id` is set when editing an existing contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactInput {
    /// Existing contact's id; `None` for a new one.
    pub id: Option<i64>,
    /// Name (required).
    pub name: String,
    /// Position (职位).
    pub position: String,
    /// Mainland mobile, any common spelling; stored as 11 digits.
    pub mobile: String,
    /// Landline with area code.
    pub landline: String,
    /// Email.
    pub email: String,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// Notes.
    pub notes: String,
    /// The primary contact (exactly one when there are contacts).
    pub is_primary: bool,
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Id.
    pub id: i64,
    /// The customer it belongs to.
    pub customer_id: i64,
    /// Name.
    pub name: String,
    /// Position.
    pub position: String,
    /// 11-digit mobile or empty.
    pub mobile: String,
    /// Landline as typed (validated) or empty.
    pub landline: String,
    /// Email or empty.
    pub email: String,
    /// Birthday.
    pub birthday: Option<NaiveDate>,
    /// Notes.
    pub notes: String,
    /// Primary contact.
    pub is_primary: bool,
}

/// The customer's own fields as typed in the form (contacts and tags travel beside it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerInput {
    /// Legal name as on the business licence (required).
    pub name: String,
    /// Industry, from the editable list (free text accepted).
    pub industry: String,
    /// Stage.
    pub stage: Stage,
    /// Value tier.
    pub tier: Tier,
    /// First cooperation date.
    pub coop_start: Option<NaiveDate>,
    /// Contract term end.
    pub contract_end: Option<NaiveDate>,
    /// Annual contract amount in minor units.
    pub annual_amount: Money,
    /// Currency code, `CNY` when empty.
    pub currency: String,
    /// Core products or services.
    pub products: String,
    /// Where the customer came from (信息来源).
    pub source: String,
    /// Feedback on the first cooperation.
    pub first_feedback: String,
    /// Next follow-up date.
    pub next_followup_on: Option<NaiveDate>,
    /// Next follow-up plan.
    pub next_followup_plan: String,
    /// Owner; `None` on create means the actor.
    pub owner_user_id: Option<i64>,
    /// Department; `None` on create means the owner's department.
    pub department_id: Option<i64>,
}

/// A new customer: its fields, contacts and tag names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewCustomer {
    /// The fields.
    pub customer: CustomerInput,
    /// Contacts (one primary when any).
    pub contacts: Vec<ContactInput>,
    /// Tag names; unknown names are created.
    pub tags: Vec<String>,
}

/// An edit of a customer: the full form as the person last saw it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerUpdate {
    /// The `version` the form was loaded at; a different stored version means someone else
    /// changed the record meanwhile and the edit is refused.
    pub version: i64,
    /// The fields.
    pub customer: CustomerInput,
    /// The full list of contacts: absent existing ones are removed.
    pub contacts: Vec<ContactInput>,
    /// Tag names.
    pub tags: Vec<String>,
    /// Why key fields change (required when a change request results).
    pub reason: String,
}

/// A customer record with everything the detail page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Id.
    pub id: i64,
    /// KH-YYYY-NNNNN.
    pub number: String,
    /// Legal name.
    pub name: String,
    /// Industry.
    pub industry: String,
    /// Stage.
    pub stage: Stage,
    /// Tier.
    pub tier: Tier,
    /// First cooperation date.
    pub coop_start: Option<NaiveDate>,
    /// Contract end.
    pub contract_end: Option<NaiveDate>,
    /// Annual amount.
    pub annual_amount: Money,
    /// Currency.
    pub currency: String,
    /// Products / services.
    pub products: String,
    /// Source.
    pub source: String,
    /// First-cooperation feedback.
    pub first_feedback: String,
    /// Next follow-up date.
    pub next_followup_on: Option<NaiveDate>,
    /// Next follow-up plan.
    pub next_followup_plan: String,
    /// Newest interaction (Unix seconds), maintained by the interactions module.
    pub last_contact_at: Option<i64>,
    /// Owner.
    pub owner_user_id: Option<i64>,
    /// Department.
    pub department_id: Option<i64>,
    /// Archived (hidden from lists by default).
    pub archived: bool,
    /// Creator.
    pub created_by: Option<i64>,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Last editor.
    pub updated_by: Option<i64>,
    /// Last edit (Unix seconds).
    pub updated_at: i64,
    /// Optimistic-concurrency version; send it back with an edit.
    pub version: i64,
}

/// A customer with its contacts, tags and pending change requests (the detail page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerDetail {
    /// The record.
    pub customer: Customer,
    /// Contacts, primary first.
    pub contacts: Vec<Contact>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Key-field changes waiting for approval.
    pub pending_changes: Vec<super::change_request::ChangeRequest>,
}
