//! The feedback workflow as pure rules: statuses, the transitions between them, who may move an
//! item (by role and by relation to the item), and the checks each step needs (expected
//! resolution date, solution, root cause, delay explanation, satisfaction score).
//!
//! new 待受理 → in_progress 处理中 → awaiting_customer 待客户确认 → closed 已闭环; reopen from
//! awaiting or closed back to in_progress; any open item may be merged as a duplicate 重复.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::permission::Role;
use crate::{Error, Result};

/// Where an item stands. Stored as the snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 待受理: logged, not yet accepted by the handling department.
    New,
    /// 处理中: accepted with an expected resolution date.
    InProgress,
    /// 待客户确认: solution given, waiting for the customer (the resolution clock pauses).
    AwaitingCustomer,
    /// 已闭环: done; a satisfaction call-back follows.
    Closed,
    /// 重复: merged into another item.
    Duplicate,
}

impl Status {
    /// Every status in workflow order.
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::InProgress,
        Status::AwaitingCustomer,
        Status::Closed,
        Status::Duplicate,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::AwaitingCustomer => "awaiting_customer",
            Status::Closed => "closed",
            Status::Duplicate => "duplicate",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Result<Status> {
        Status::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "feedback.status_invalid",
                    "status",
                    format!("unknown status {s:?}"),
                )
            })
    }

    /// Open items still need work (and show in queues).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::New | Status::InProgress | Status::AwaitingCustomer
        )
    }
}

/// A step a person takes on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transition {
    /// new → in_progress, with an expected resolution date.
    Accept,
    /// in_progress → awaiting_customer, once a solution is recorded.
    RequestConfirmation,
    /// awaiting_customer → closed (complaints need a root cause).
    Close,
    /// awaiting_customer or closed → in_progress.
    Reopen,
    /// new, in_progress or awaiting_customer → duplicate of another item.
    MarkDuplicate,
}

impl Transition {
    /// Every transition.
    pub const ALL: [Transition; 5] = [
        Transition::Accept,
        Transition::RequestConfirmation,
        Transition::Close,
        Transition::Reopen,
        Transition::MarkDuplicate,
    ];

    /// The status this transition leads to from `from`, or `None` when it does not apply.
    pub fn target(self, from: Status) -> Option<Status> {
        use Status::*;
        match (self, from) {
            (Transition::Accept, New) => Some(InProgress),
            (Transition::RequestConfirmation, InProgress) => Some(AwaitingCustomer),
            (Transition::Close, AwaitingCustomer) => Some(Closed),
            (Transition::Reopen, AwaitingCustomer | Closed) => Some(InProgress),
            (Transition::MarkDuplicate, New | InProgress | AwaitingCustomer) => Some(Duplicate),
            _ => None,
        }
    }
}

/// How the acting person relates to an item: their role and whether they belong to its lead
/// department, a collaborating department, head the lead department, or are its assignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Involvement {
    /// The actor's role.
    pub role: Option<Role>,
    /// Member (any role) of the lead department.
    pub lead_member: bool,
    /// Member of a collaborating department.
    pub collaborator_member: bool,
    /// Head of the lead department (its `head_user_id`).
    pub lead_head: bool,
    /// The item's assignee.
    pub assignee: bool,
}

impl Involvement {
    fn role_is(&self, roles: &[Role]) -> bool {
        self.role.is_some_and(|r| roles.contains(&r))
    }

    /// May move the item through the workflow: admins, the supervisor, the lead department's
    /// head, and the lead department's members or the assignee. Collaborating departments see
    /// and work on the item but the lead department owns its status. Viewers never.
    pub fn may_transition(&self) -> bool {
        if self.role.is_none() || self.role_is(&[Role::Viewer]) {
            return false;
        }
        self.role_is(&[Role::Admin, Role::Supervisor])
            || self.lead_head
            || self.lead_member
            || self.assignee
    }

    /// May record responses, notes, the plan, the root cause, delay explanations and the
    /// satisfaction call-back: everyone who may transition plus collaborating departments.
    pub fn may_work(&self) -> bool {
        self.may_transition() || (self.collaborator_member && !self.role_is(&[Role::Viewer]))
    }

    /// May assign a person: admins, the supervisor and the lead department's head.
    pub fn may_assign(&self) -> bool {
        self.role_is(&[Role::Admin, Role::Supervisor])
            || (self.lead_head && self.role_is(&[Role::Head]))
    }

    /// May name the lead and collaborating departments: admins and the supervisor.
    pub fn may_set_departments(&self) -> bool {
        self.role_is(&[Role::Admin, Role::Supervisor])
    }
}

/// Check a transition: applicable to `from` (else `feedback.transition_invalid`) and allowed for
/// `who` (else [`Error::Forbidden`]). Returns the new status.
pub fn check_transition(from: Status, t: Transition, who: &Involvement) -> Result<Status> {
    if !who.may_transition() {
        return Err(Error::Forbidden(format!(
            "may not {t:?} this feedback item"
        )));
    }
    t.target(from).ok_or_else(|| {
        Error::conflict(
            "feedback.transition_invalid",
            format!("cannot {t:?} an item that is {}", from.as_str()),
        )
    })
}

/// Accepting requires an expected resolution date no earlier than today and no later than the
/// day the resolution limit falls due (both team-local dates).
pub fn check_expected_date(
    expected: Option<NaiveDate>,
    today: NaiveDate,
    limit_day: NaiveDate,
) -> Result<NaiveDate> {
    let d = expected.ok_or_else(|| {
        Error::invalid(
            "feedback.expected_date_required",
            "expected_resolution_date",
            "accepting needs an expected resolution date",
        )
    })?;
    if d < today {
        return Err(Error::invalid(
            "feedback.expected_date_past",
            "expected_resolution_date",
            "the expected resolution date is in the past",
        ));
    }
    if d > limit_day {
        return Err(Error::invalid(
            "feedback.expected_date_beyond_limit",
            "expected_resolution_date",
            format!("the expected resolution date must be on or before {limit_day}"),
        ));
    }
    Ok(d)
}

/// Days past the expected resolution date after which a delay explanation is required.
pub const DELAY_GRACE_DAYS: i64 = 3;

/// "More than 3 days past the expected resolution date": an item in progress whose expected
/// date lies more than [`DELAY_GRACE_DAYS`] calendar days before `today` (team-local), i.e. from
/// the fourth day after it. Once explained, the new completion date becomes the expected date
/// and the rule applies to it again. Items awaiting the customer are exempt (their clock is
/// paused and they cannot reach that state while an explanation is owed).
pub fn delay_explanation_required(
    status: Status,
    expected: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    status == Status::InProgress
        && expected.is_some_and(|d| (today - d).num_days() > DELAY_GRACE_DAYS)
}

/// Refuse progress while a delay explanation is owed (`feedback.delay_explanation_required`).
pub fn require_no_pending_delay(
    status: Status,
    expected: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<()> {
    if delay_explanation_required(status, expected, today) {
        return Err(Error::conflict(
            "feedback.delay_explanation_required",
            "more than 3 days past the expected resolution date: explain the delay first",
        ));
    }
    Ok(())
}

/// A delay explanation may be given once the expected date has passed (`feedback.not_late`
/// otherwise), on an open item, with a new completion date from today on
/// (`feedback.new_date_past`).
pub fn check_delay_explanation(
    status: Status,
    expected: Option<NaiveDate>,
    today: NaiveDate,
    new_date: NaiveDate,
) -> Result<()> {
    if !status.is_open() || expected.is_none_or(|d| d >= today) {
        return Err(Error::conflict(
            "feedback.not_late",
            "the item is not past its expected resolution date",
        ));
    }
    if new_date < today {
        return Err(Error::invalid(
            "feedback.new_date_past",
            "new_date",
            "the new completion date is in the past",
        ));
    }
    Ok(())
}

/// Something the app must schedule after a step (the tasks module turns it into a task).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FollowUp {
    /// Call the customer back and ask whether they are satisfied (template flow 三).
    SatisfactionCallback {
        /// Within one week (7 calendar days) of closing.
        due_at: DateTime<Utc>,
    },
}

/// Days within which the satisfaction call-back is due after closing.
pub const CALLBACK_DAYS: i64 = 7;

/// The follow-up created by closing at `closed_at`.
pub fn satisfaction_callback(closed_at: DateTime<Utc>) -> FollowUp {
    FollowUp::SatisfactionCallback {
        due_at: closed_at + TimeDelta::days(CALLBACK_DAYS),
    }
}

/// A satisfaction score is 1 to 5 (`feedback.score_invalid`).
pub fn check_score(score: i64) -> Result<u8> {
    match u8::try_from(score) {
        Ok(s @ 1..=5) => Ok(s),
        _ => Err(Error::invalid(
            "feedback.score_invalid",
            "score",
            "the score is 1 to 5",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// The kinds of people the workflow distinguishes.
    #[derive(Debug, Clone, Copy)]
    enum Who {
        Admin,
        Supervisor,
        LeadHead,
        OtherHead,
        LeadStaff,
        Assignee,
        CollaboratorStaff,
        OtherStaff,
        Viewer,
        LeadViewer,
    }

    const WHO: [Who; 10] = [
        Who::Admin,
        Who::Supervisor,
        Who::LeadHead,
        Who::OtherHead,
        Who::LeadStaff,
        Who::Assignee,
        Who::CollaboratorStaff,
        Who::OtherStaff,
        Who::Viewer,
        Who::LeadViewer,
    ];

    fn involvement(w: Who) -> Involvement {
        let base = |role| Involvement {
            role: Some(role),
            ..Involvement::default()
        };
        match w {
            Who::Admin => base(Role::Admin),
            Who::Supervisor => base(Role::Supervisor),
            Who::LeadHead => Involvement {
                lead_head: true,
                lead_member: true,
                ..base(Role::Head)
            },
            Who::OtherHead => base(Role::Head),
            Who::LeadStaff => Involvement {
                lead_member: true,
                ..base(Role::Staff)
            },
            Who::Assignee => Involvement {
                assignee: true,
                ..base(Role::Staff)
            },
            Who::CollaboratorStaff => Involvement {
                collaborator_member: true,
                ..base(Role::Staff)
            },
            Who::OtherStaff => base(Role::Staff),
            Who::Viewer => base(Role::Viewer),
            Who::LeadViewer => Involvement {
                lead_member: true,
                ..base(Role::Viewer)
            },
        }
    }

    /// Expected outcome written out by hand: the target status if allowed, `Err("invalid")`
    /// when the transition does not apply, `Err("forbidden")` when the person may not.
    fn expected(from: Status, t: Transition, w: Who) -> std::result::Result<Status, &'static str> {
        use Status::*;
        let applies = match (t, from) {
            (Transition::Accept, New) => Some(InProgress),
            (Transition::RequestConfirmation, InProgress) => Some(AwaitingCustomer),
            (Transition::Close, AwaitingCustomer) => Some(Closed),
            (Transition::Reopen, AwaitingCustomer) | (Transition::Reopen, Closed) => {
                Some(InProgress)
            }
            (Transition::MarkDuplicate, New)
            | (Transition::MarkDuplicate, InProgress)
            | (Transition::MarkDuplicate, AwaitingCustomer) => Some(Duplicate),
            _ => None,
        };
        let allowed = matches!(
            w,
            Who::Admin | Who::Supervisor | Who::LeadHead | Who::LeadStaff | Who::Assignee
        );
        match (allowed, applies) {
            (false, _) => Err("forbidden"),
            (true, None) => Err("invalid"),
            (true, Some(s)) => Ok(s),
        }
    }

    #[test]
    fn every_status_transition_and_person() {
        let mut checked = 0;
        for from in Status::ALL {
            for t in Transition::ALL {
                for w in WHO {
                    let got = check_transition(from, t, &involvement(w)).map_err(|e| match e {
                        Error::Forbidden(_) => "forbidden",
                        e if e.code() == "feedback.transition_invalid" => "invalid",
                        _ => "other",
                    });
                    assert_eq!(got, expected(from, t, w), "{from:?} {t:?} by {w:?}");
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * 5 * 10);
    }

    #[test]
    fn working_assigning_and_naming_departments() {
        let work: Vec<bool> = WHO.iter().map(|&w| involvement(w).may_work()).collect();
        assert_eq!(
            work,
            [
                true, true, true, false, true, true, true, false, false, false
            ]
        );
        let assign: Vec<bool> = WHO.iter().map(|&w| involvement(w).may_assign()).collect();
        assert_eq!(
            assign,
            [
                true, true, true, false, false, false, false, false, false, false
            ]
        );
        let depts: Vec<bool> = WHO
            .iter()
            .map(|&w| involvement(w).may_set_departments())
            .collect();
        assert_eq!(
            depts,
            [
                true, true, false, false, false, false, false, false, false, false
            ]
        );
        assert!(!Involvement::default().may_work());
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn expected_date_within_the_limit() {
        let (today, limit) = (d(3, 2), d(3, 11));
        assert_eq!(
            check_expected_date(Some(d(3, 11)), today, limit).unwrap(),
            d(3, 11)
        );
        assert_eq!(
            check_expected_date(Some(today), today, limit).unwrap(),
            today
        );
        let code = |e: Option<NaiveDate>| check_expected_date(e, today, limit).unwrap_err().code();
        assert_eq!(code(None), "feedback.expected_date_required");
        assert_eq!(code(Some(d(3, 1))), "feedback.expected_date_past");
        assert_eq!(code(Some(d(3, 12))), "feedback.expected_date_beyond_limit");
    }

    #[test]
    fn delay_explanation_after_more_than_three_days() {
        let expected = Some(d(3, 2));
        for (today, required) in [(d(3, 2), false), (d(3, 5), false), (d(3, 6), true)] {
            assert_eq!(
                delay_explanation_required(Status::InProgress, expected, today),
                required,
                "{today}"
            );
        }
        assert!(!delay_explanation_required(
            Status::AwaitingCustomer,
            expected,
            d(3, 20)
        ));
        assert!(!delay_explanation_required(Status::New, None, d(3, 20)));
        assert_eq!(
            require_no_pending_delay(Status::InProgress, expected, d(3, 6))
                .unwrap_err()
                .code(),
            "feedback.delay_explanation_required"
        );
        check_delay_explanation(Status::InProgress, expected, d(3, 3), d(3, 10)).unwrap();
        let code = |s, today, new| {
            check_delay_explanation(s, expected, today, new)
                .unwrap_err()
                .code()
        };
        assert_eq!(
            code(Status::InProgress, d(3, 2), d(3, 10)),
            "feedback.not_late"
        );
        assert_eq!(code(Status::Closed, d(3, 6), d(3, 10)), "feedback.not_late");
        assert_eq!(
            code(Status::InProgress, d(3, 6), d(3, 5)),
            "feedback.new_date_past"
        );
    }

    #[test]
    fn callback_and_score() {
        let closed = Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).unwrap();
        assert_eq!(
            satisfaction_callback(closed),
            FollowUp::SatisfactionCallback {
                due_at: Utc.with_ymd_and_hms(2026, 3, 9, 8, 0, 0).unwrap()
            }
        );
        assert_eq!(check_score(5).unwrap(), 5);
        for bad in [0, 6, -1] {
            assert_eq!(
                check_score(bad).unwrap_err().code(),
                "feedback.score_invalid"
            );
        }
        let json = serde_json::to_value(satisfaction_callback(closed)).unwrap();
        assert_eq!(json["kind"], "satisfaction_callback");
    }
}
