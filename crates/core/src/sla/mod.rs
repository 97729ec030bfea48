//! Service-level targets for feedback: per priority a first-response target and a resolution
//! limit, each counted in calendar or business time, and the pure clock arithmetic that turns
//! (policy, calendar, events, now) into an [`SlaState`] (`clock.rs`). No SQL here; the policy
//! is stored by the feedback module under the settings key [`SETTINGS_KEY`].
//!
//! Definitions (the contract the UI and the reports rely on):
//! - A target is `{amount, unit, basis}`. In the **calendar** basis minutes, hours and days are
//!   wall-clock durations (a day is 24 hours) counted from the creation instant. In the
//!   **business** basis minutes and hours are business minutes on the team calendar
//!   ([`WorkCalendar::add_business_minutes`]: weekly hours with breaks, holidays, make-up days),
//!   and days are working days ([`WorkCalendar::add_working_days`]: the same time of day on the
//!   n-th working day after the clock starts). A business clock therefore starts at the next
//!   business minute when an item is created outside business hours.
//! - Defaults ([`SlaPolicy::default`]), following issue 5 (urgent in calendar time, the others in
//!   business time):
//!   urgent: response 2 hours, resolution 3 days, both calendar;
//!   important: response 1 working day, resolution 7 working days;
//!   normal: response 3 working days, resolution 15 working days.
//!   The seed's "important: respond within 24 hours" is read as *one working day* (by the same
//!   time on the next working day): 24 business hours would be three 8-hour working days, which
//!   is not what people mean by it.
//!
//! [`WorkCalendar::add_business_minutes`]: crate::calendar::WorkCalendar::add_business_minutes
//! [`WorkCalendar::add_working_days`]: crate::calendar::WorkCalendar::add_working_days

mod clock;

pub use clock::{SlaEvent, SlaEventKind, SlaStage, SlaState, due_instant, sla_state};

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The settings key under which the team's [`SlaPolicy`] is stored as JSON.
pub const SETTINGS_KEY: &str = "feedback.sla_policy";

/// Largest target in minutes (one year), so a typo cannot make a deadline meaningless.
const MAX_TARGET_MINUTES: u32 = 366 * 24 * 60;

/// How urgent a piece of feedback is; decides its SLA targets. Stored as `urgent` / `important`
/// / `normal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// 紧急: the customer's core business is affected (e.g. an outage stops their production).
    Urgent,
    /// 重要: affects the customer's experience or willingness to keep working with us (e.g. a
    /// quality problem, a service promise not kept).
    Important,
    /// 一般: routine questions and suggestions.
    Normal,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 3] = [Priority::Urgent, Priority::Important, Priority::Normal];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Urgent => "urgent",
            Priority::Important => "important",
            Priority::Normal => "normal",
        }
    }

    /// Parse the stored name (`feedback.priority_invalid` otherwise).
    pub fn parse(s: &str) -> Result<Priority> {
        Priority::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "feedback.priority_invalid",
                    "priority",
                    format!("unknown priority {s:?}"),
                )
            })
    }

    /// Chinese name, English name and the hint shown next to the choice (Chinese, English).
    pub fn labels(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Priority::Urgent => (
                "紧急",
                "Urgent",
                "客户的核心业务受到影响,例如系统故障导致生产停顿。",
                "The customer's core business is affected, e.g. an outage halts their work.",
            ),
            Priority::Important => (
                "重要",
                "Important",
                "影响客户体验或合作意愿,例如产品质量问题、服务承诺未兑现。",
                "Hurts the customer's experience or trust, e.g. a quality defect or a broken promise.",
            ),
            Priority::Normal => (
                "一般",
                "Normal",
                "日常咨询或改进建议。",
                "Routine questions and improvement ideas.",
            ),
        }
    }
}

/// The unit of a target's amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Minutes.
    Minutes,
    /// Hours (60 minutes).
    Hours,
    /// Days: 24 hours in the calendar basis, working days in the business basis.
    Days,
}

/// Which time counts towards a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Every minute of the wall clock.
    Calendar,
    /// Only the team's business hours (holidays and make-up days included).
    Business,
}

/// One target: "within `amount` `unit` of `basis` time".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlaTarget {
    /// How many units; at least 1.
    pub amount: u32,
    /// Minutes, hours or days.
    pub unit: Unit,
    /// Calendar or business time.
    pub basis: Basis,
}

impl SlaTarget {
    /// A target (unchecked; see [`SlaPolicy::validate`]).
    pub const fn new(amount: u32, unit: Unit, basis: Basis) -> Self {
        Self {
            amount,
            unit,
            basis,
        }
    }

    /// The target in minutes when counted as a duration (days as 24 h); used for validation and
    /// for the calendar basis.
    fn nominal_minutes(self) -> u64 {
        let factor: u64 = match self.unit {
            Unit::Minutes => 1,
            Unit::Hours => 60,
            Unit::Days => 24 * 60,
        };
        u64::from(self.amount) * factor
    }
}

/// The two targets of one priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriorityTargets {
    /// First customer-facing response.
    pub response: SlaTarget,
    /// Resolution (closing the loop); paused while awaiting the customer's confirmation.
    pub resolution: SlaTarget,
}

/// The team's SLA policy: targets per priority. Editable by admins; each item keeps a copy of
/// its priority's targets from the moment it was created, so a later policy change does not
/// move existing deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SlaPolicy {
    /// 紧急.
    pub urgent: PriorityTargets,
    /// 重要.
    pub important: PriorityTargets,
    /// 一般.
    pub normal: PriorityTargets,
}

impl Default for SlaPolicy {
    /// The defaults described in the module documentation.
    fn default() -> Self {
        use Basis::{Business, Calendar};
        use Unit::{Days, Hours};
        SlaPolicy {
            urgent: PriorityTargets {
                response: SlaTarget::new(2, Hours, Calendar),
                resolution: SlaTarget::new(3, Days, Calendar),
            },
            important: PriorityTargets {
                response: SlaTarget::new(1, Days, Business),
                resolution: SlaTarget::new(7, Days, Business),
            },
            normal: PriorityTargets {
                response: SlaTarget::new(3, Days, Business),
                resolution: SlaTarget::new(15, Days, Business),
            },
        }
    }
}

impl SlaPolicy {
    /// The targets of one priority.
    pub fn for_priority(&self, p: Priority) -> PriorityTargets {
        match p {
            Priority::Urgent => self.urgent,
            Priority::Important => self.important,
            Priority::Normal => self.normal,
        }
    }

    /// Refuse amounts of zero or beyond a year (`sla.target_invalid`), and a resolution limit
    /// shorter than the response target of the same basis and unit family
    /// (`sla.resolution_before_response`).
    pub fn validate(&self) -> Result<()> {
        for p in Priority::ALL {
            let t = self.for_priority(p);
            for target in [t.response, t.resolution] {
                if target.amount == 0 || target.nominal_minutes() > u64::from(MAX_TARGET_MINUTES) {
                    return Err(Error::invalid(
                        "sla.target_invalid",
                        "amount",
                        format!(
                            "a {} target must be between 1 minute and 366 days",
                            p.as_str()
                        ),
                    ));
                }
            }
            if t.response.basis == t.resolution.basis
                && t.resolution.nominal_minutes() < t.response.nominal_minutes()
            {
                return Err(Error::invalid(
                    "sla.resolution_before_response",
                    "resolution",
                    format!(
                        "the {} resolution limit is shorter than its response target",
                        p.as_str()
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_issue() {
        let p = SlaPolicy::default();
        p.validate().unwrap();
        assert_eq!(
            p.urgent.response,
            SlaTarget::new(2, Unit::Hours, Basis::Calendar)
        );
        assert_eq!(p.urgent.resolution.basis, Basis::Calendar);
        for t in [p.important, p.normal] {
            assert_eq!(t.response.basis, Basis::Business);
            assert_eq!(t.resolution.basis, Basis::Business);
        }
        assert_eq!(
            p.normal.resolution,
            SlaTarget::new(15, Unit::Days, Basis::Business)
        );
        let json = serde_json::to_value(p).unwrap();
        assert_eq!(json["important"]["response"]["unit"], "days");
        assert_eq!(json["urgent"]["resolution"]["basis"], "calendar");
        let back: SlaPolicy = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn validation_refuses_nonsense() {
        let mut p = SlaPolicy::default();
        p.normal.response.amount = 0;
        assert_eq!(p.validate().unwrap_err().code(), "sla.target_invalid");
        let mut p = SlaPolicy::default();
        p.urgent.resolution.amount = 400;
        assert_eq!(p.validate().unwrap_err().code(), "sla.target_invalid");
        let mut p = SlaPolicy::default();
        p.urgent.resolution = SlaTarget::new(1, Unit::Hours, Basis::Calendar);
        assert_eq!(
            p.validate().unwrap_err().code(),
            "sla.resolution_before_response"
        );
    }

    #[test]
    fn priorities_round_trip() {
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()).unwrap(), p);
            assert!(!p.labels().2.is_empty());
        }
        assert_eq!(
            Priority::parse("high").unwrap_err().code(),
            "feedback.priority_invalid"
        );
    }
}
