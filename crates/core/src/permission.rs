//! Who may do what. Every operation a person triggers names an [`Action`]; [`allows`] is the
//! single policy table, and [`Scope`] says which records a role sees. The UI hides buttons
//! for convenience only: the core checks again on every call.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// The roles of a small team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sets up the team, manages accounts, may do everything.
    Admin,
    /// 客服主管: runs feedback handling across departments.
    Supervisor,
    /// 部门负责人: approves changes, handles escalations for one department.
    Head,
    /// 客户经理 / 客服专员: works their own customers and queue.
    Staff,
    /// 管理层: reads everything, changes nothing.
    Viewer,
}

impl Role {
    /// Every role, for tests and pickers.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Supervisor,
        Role::Head,
        Role::Staff,
        Role::Viewer,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Head => "head",
            Role::Staff => "staff",
            Role::Viewer => "viewer",
        }
    }

    /// Parse the stored name.
    pub fn parse(s: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Error::invalid("user.role_invalid", "role", format!("unknown role {s:?}"))
            })
    }
}

/// Every guarded operation. Named by the domain, one per thing a person can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Read team settings, departments, the calendar and the user list.
    TeamView,
    /// Change the team name, time zone, business hours and departments.
    TeamEdit,
    /// Add or remove holidays and make-up working days.
    CalendarEdit,
    /// Create accounts, change roles, deactivate.
    UserManage,
    /// Set a new password for someone else.
    PasswordReset,
    /// Read customers and contacts (within the role's scope).
    CustomerView,
    /// Create customers.
    CustomerCreate,
    /// Edit customers; key fields go through a change request.
    CustomerEdit,
    /// Approve or reject change requests on key fields.
    CustomerApprove,
    /// Archive and restore customers.
    CustomerArchive,
    /// Erase a customer's personal data for good (PIPL right to erasure).
    CustomerErase,
    /// Merge duplicate customers.
    CustomerMerge,
    /// Import customers from a spreadsheet.
    CustomerImport,
    /// Export customer lists.
    CustomerExport,
    /// Open and close quarter-end reviews.
    ReviewManage,
    /// Confirm customers in a quarter-end review.
    ReviewConfirm,
    /// Read interactions and their attachments.
    InteractionView,
    /// Log and edit interactions, add attachments.
    InteractionLog,
    /// Create, complete and snooze tasks.
    TaskManage,
    /// Edit call-script templates.
    TemplateEdit,
    /// Read feedback items.
    FeedbackView,
    /// Log feedback.
    FeedbackCreate,
    /// Work on feedback: accept, respond, resolve, explain delays.
    FeedbackHandle,
    /// Assign feedback and name lead and collaborating departments.
    FeedbackAssign,
    /// Edit categories, routing rules and SLA policies.
    FeedbackConfigure,
    /// Edit call-back plans and care settings.
    PlanEdit,
    /// Record survey responses (NPS, CSAT).
    SurveyRecord,
    /// Read dashboards and reports.
    ReportView,
    /// Export reports.
    ReportExport,
    /// Back up, restore, check and export the whole database.
    DataManage,
}

impl Action {
    /// Every action, for the role × action test.
    pub const ALL: [Action; 30] = [
        Action::TeamView,
        Action::TeamEdit,
        Action::CalendarEdit,
        Action::UserManage,
        Action::PasswordReset,
        Action::CustomerView,
        Action::CustomerCreate,
        Action::CustomerEdit,
        Action::CustomerApprove,
        Action::CustomerArchive,
        Action::CustomerErase,
        Action::CustomerMerge,
        Action::CustomerImport,
        Action::CustomerExport,
        Action::ReviewManage,
        Action::ReviewConfirm,
        Action::InteractionView,
        Action::InteractionLog,
        Action::TaskManage,
        Action::TemplateEdit,
        Action::FeedbackView,
        Action::FeedbackCreate,
        Action::FeedbackHandle,
        Action::FeedbackAssign,
        Action::FeedbackConfigure,
        Action::PlanEdit,
        Action::SurveyRecord,
        Action::ReportView,
        Action::ReportExport,
        Action::DataManage,
    ];
}

/// The policy table: may `role` perform `action` at all? (Which records it may touch is
/// [`Scope`]'s business.)
pub fn allows(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        // Reading is open to every role; scope narrows what staff and heads see.
        TeamView | CustomerView | InteractionView | FeedbackView | ReportView => true,
        // Admin only: accounts, team shape, irreversible and whole-database operations.
        TeamEdit | UserManage | PasswordReset | CustomerErase | FeedbackConfigure | DataManage => {
            role == Admin
        }
        // Team-wide rules that the supervisor owns with the admin.
        CalendarEdit | TemplateEdit => matches!(role, Admin | Supervisor),
        // Key-field approvals belong to department heads (and admins).
        CustomerApprove => matches!(role, Admin | Head),
        // Managing others' work and bulk data.
        CustomerMerge | CustomerImport | CustomerExport | ReviewManage | FeedbackAssign => {
            matches!(role, Admin | Supervisor | Head)
        }
        // Handing figures on is management's job too.
        ReportExport => matches!(role, Admin | Supervisor | Head | Viewer),
        // Day-to-day work: everyone but the read-only viewer.
        CustomerCreate | CustomerEdit | CustomerArchive | ReviewConfirm | InteractionLog
        | TaskManage | FeedbackCreate | FeedbackHandle | PlanEdit | SurveyRecord => role != Viewer,
    }
}

/// Which records a role works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The whole team's.
    All,
    /// Their department's.
    Department,
    /// Their own.
    Own,
}

/// The default scope of a role's lists and queues.
pub fn scope(role: Role) -> Scope {
    match role {
        Role::Admin | Role::Supervisor | Role::Viewer => Scope::All,
        Role::Head => Scope::Department,
        Role::Staff => Scope::Own,
    }
}

/// Refuse with [`Error::Forbidden`] unless `role` may perform `action`.
pub fn require(role: Role, action: Action) -> Result<()> {
    if allows(role, action) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "{} may not {action:?}",
            role.as_str()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected policy, written out independently of `allows` as a table a reviewer can
    /// read: one row per action, one column per role (admin, supervisor, head, staff, viewer).
    #[rustfmt::skip]
    const EXPECTED: &[(Action, [bool; 5])] = &[
        //                            admin  super  head   staff  viewer
        (Action::TeamView,           [true,  true,  true,  true,  true]),
        (Action::TeamEdit,           [true,  false, false, false, false]),
        (Action::CalendarEdit,       [true,  true,  false, false, false]),
        (Action::UserManage,         [true,  false, false, false, false]),
        (Action::PasswordReset,      [true,  false, false, false, false]),
        (Action::CustomerView,       [true,  true,  true,  true,  true]),
        (Action::CustomerCreate,     [true,  true,  true,  true,  false]),
        (Action::CustomerEdit,       [true,  true,  true,  true,  false]),
        (Action::CustomerApprove,    [true,  false, true,  false, false]),
        (Action::CustomerArchive,    [true,  true,  true,  true,  false]),
        (Action::CustomerErase,      [true,  false, false, false, false]),
        (Action::CustomerMerge,      [true,  true,  true,  false, false]),
        (Action::CustomerImport,     [true,  true,  true,  false, false]),
        (Action::CustomerExport,     [true,  true,  true,  false, false]),
        (Action::ReviewManage,       [true,  true,  true,  false, false]),
        (Action::ReviewConfirm,      [true,  true,  true,  true,  false]),
        (Action::InteractionView,    [true,  true,  true,  true,  true]),
        (Action::InteractionLog,     [true,  true,  true,  true,  false]),
        (Action::TaskManage,         [true,  true,  true,  true,  false]),
        (Action::TemplateEdit,       [true,  true,  false, false, false]),
        (Action::FeedbackView,       [true,  true,  true,  true,  true]),
        (Action::FeedbackCreate,     [true,  true,  true,  true,  false]),
        (Action::FeedbackHandle,     [true,  true,  true,  true,  false]),
        (Action::FeedbackAssign,     [true,  true,  true,  false, false]),
        (Action::FeedbackConfigure,  [true,  false, false, false, false]),
        (Action::PlanEdit,           [true,  true,  true,  true,  false]),
        (Action::SurveyRecord,       [true,  true,  true,  true,  false]),
        (Action::ReportView,         [true,  true,  true,  true,  true]),
        (Action::ReportExport,       [true,  true,  true,  false, true]),
        (Action::DataManage,         [true,  false, false, false, false]),
    ];

    #[test]
    fn role_by_action_matrix() {
        assert_eq!(EXPECTED.len(), Action::ALL.len(), "every action has a row");
        for (action, row) in EXPECTED {
            for (role, expected) in Role::ALL.iter().zip(row) {
                assert_eq!(allows(*role, *action), *expected, "{role:?} × {action:?}");
                assert_eq!(require(*role, *action).is_ok(), *expected);
            }
        }
    }

    #[test]
    fn viewers_only_read_and_export_reports() {
        for action in Action::ALL {
            let reads = matches!(
                action,
                Action::TeamView
                    | Action::CustomerView
                    | Action::InteractionView
                    | Action::FeedbackView
                    | Action::ReportView
                    | Action::ReportExport
            );
            assert_eq!(allows(Role::Viewer, action), reads, "{action:?}");
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("root").is_err());
    }
}
