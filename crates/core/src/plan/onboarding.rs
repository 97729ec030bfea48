//! Onboarding of a newly signed customer (template 一, 新客户初次对接): tasks on the customer's
//! owner, counted in working days on the team calendar from the signing instant — prepare the
//! customer file within 1 working day, first contact within 3, follow-up in working days 7–15
//! (due at 15, the window's start in the notes), send the usage guide with the follow-up — and
//! a satisfaction/NPS survey 7 calendar days after signing (seed 3.1). Started once per
//! customer; every run is recorded in `onboarding_runs`.

use super::{SIGNED_STAGES, local_date};
use crate::access::visible_customer;
use crate::account::Actor;
use crate::calendar::WorkCalendar;
use crate::permission::Action;
use crate::task::{NewTask, SourceKind, insert_system_task};
use crate::{Error, Result};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Customers whose cooperation started more than this many days ago when the scheduler first
/// sees them get no onboarding tasks (they were onboarded before Rapport); the run is recorded
/// as skipped so they are not looked at again.
pub const CATCH_UP_DAYS: i64 = 30;

/// Working days for the follow-up window (from the signing).
pub const FOLLOW_UP_WINDOW: (u32, u32) = (7, 15);

/// One onboarding step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnboardingStep {
    /// 整理客户基础信息、准备维护资料包: within 1 working day.
    PrepareFile,
    /// 首次沟通: within 3 working days.
    FirstContact,
    /// 跟进巩固: working days 7–15.
    FollowUp,
    /// 发送《新客户使用指南》: with the follow-up.
    UsageGuide,
    /// 满意度/NPS 调研: 7 calendar days after signing.
    SatisfactionSurvey,
}

impl OnboardingStep {
    /// The task title for a customer (the team works in Chinese; titles are stored verbatim).
    fn title(self, customer: &str) -> String {
        match self {
            OnboardingStep::PrepareFile => format!("整理客户档案：{customer}"),
            OnboardingStep::FirstContact => format!("首次沟通：{customer}"),
            OnboardingStep::FollowUp => format!("跟进巩固：{customer}"),
            OnboardingStep::UsageGuide => format!("发送《新客户使用指南》：{customer}"),
            OnboardingStep::SatisfactionSurvey => format!("满意度/NPS 调研：{customer}"),
        }
    }

    fn notes(self, window_start: NaiveDate) -> String {
        match self {
            OnboardingStep::PrepareFile => {
                "签约后 1 个工作日内：整理客户基础信息与合同要点，准备维护资料包。".into()
            }
            OnboardingStep::FirstContact => {
                "签约后 3 个工作日内：电话沟通初次体验（话术：签约后首次联系），记录客户反馈。"
                    .into()
            }
            OnboardingStep::FollowUp => {
                format!("签约后第 7–15 个工作日（{window_start} 起）：跟进客户反馈问题的处理结果。")
            }
            OnboardingStep::UsageGuide => format!(
                "与跟进巩固一起（{window_start} 起）：发送《新客户使用指南》，邀请加入用户交流群。"
            ),
            OnboardingStep::SatisfactionSurvey => {
                "签约 1 周后：发送满意度/NPS 问卷并记录结果。".into()
            }
        }
    }
}

/// The deadlines of the onboarding steps for a signing at `signed_at`, in order. Working-day
/// steps use [`WorkCalendar::add_working_days`] (same time of day, moved into business hours).
pub fn onboarding_schedule(
    signed_at: DateTime<Utc>,
    cal: &WorkCalendar,
) -> Result<Vec<(OnboardingStep, DateTime<Utc>)>> {
    let follow_up = cal.add_working_days(signed_at, FOLLOW_UP_WINDOW.1)?;
    Ok(vec![
        (
            OnboardingStep::PrepareFile,
            cal.add_working_days(signed_at, 1)?,
        ),
        (
            OnboardingStep::FirstContact,
            cal.add_working_days(signed_at, 3)?,
        ),
        (OnboardingStep::FollowUp, follow_up),
        (OnboardingStep::UsageGuide, follow_up),
        (
            OnboardingStep::SatisfactionSurvey,
            signed_at + Duration::days(7),
        ),
    ])
}

/// The first day of the follow-up window (working day 7 after the signing).
pub fn follow_up_window_start(signed_at: DateTime<Utc>, cal: &WorkCalendar) -> Result<NaiveDate> {
    Ok(local_date(
        cal.add_working_days(signed_at, FOLLOW_UP_WINDOW.0)?,
        cal.tz,
    ))
}

/// Start the onboarding of a customer that just became signed, at `now` (the signing
/// instant). With an actor (the person who changed the stage) `PlanEdit` and the customer's
/// visibility are checked; `None` is the system (the scheduler). Idempotent: when a run exists
/// its task ids are returned and nothing is created. Errors: `plan.customer_not_signed`,
/// `plan.owner_missing`.
pub fn start_onboarding(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: Option<&Actor>,
    customer_id: i64,
    cal: &WorkCalendar,
) -> Result<Vec<i64>> {
    if let Some(a) = actor {
        a.require(Action::PlanEdit)?;
        visible_customer(conn, a, customer_id)?;
    }
    let (name, stage, archived, owner, owner_active): (String, String, bool, Option<i64>, bool) =
        conn.query_row(
            "SELECT c.name, c.stage, c.archived, c.owner_user_id, coalesce(u.active, 0)
             FROM customers c LEFT JOIN users u ON u.id = c.owner_user_id WHERE c.id = ?1",
            [customer_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?
        .ok_or(Error::NotFound("customer"))?;
    if let Some(run) = run_of(conn, customer_id)? {
        return run_tasks(conn, run);
    }
    if !matches!(stage.as_str(), "signed" | "strategic") || archived {
        return Err(Error::conflict(
            "plan.customer_not_signed",
            "onboarding starts when a customer is signed",
        ));
    }
    let owner = owner.filter(|_| owner_active).ok_or_else(|| {
        Error::invalid(
            "plan.owner_missing",
            "owner_user_id",
            "the customer needs an active owner for its onboarding tasks",
        )
    })?;
    let schedule = onboarding_schedule(now, cal)?;
    let window_start = follow_up_window_start(now, cal)?;
    super::atomically(conn, || {
        insert_run(
            conn,
            now,
            actor,
            customer_id,
            owner,
            &name,
            schedule,
            window_start,
        )
    })
}

/// Record the run and create its tasks (inside the caller's savepoint).
#[allow(clippy::too_many_arguments)]
fn insert_run(
    tx: &Connection,
    now: DateTime<Utc>,
    actor: Option<&Actor>,
    customer_id: i64,
    owner: i64,
    name: &str,
    schedule: Vec<(OnboardingStep, DateTime<Utc>)>,
    window_start: NaiveDate,
) -> Result<Vec<i64>> {
    tx.execute(
        "INSERT INTO onboarding_runs (customer_id, signed_at, started_by, started_at)
         VALUES (?1, ?2, ?3, ?2)",
        params![customer_id, now.timestamp(), actor.map(|a| a.user_id)],
    )?;
    let run = tx.last_insert_rowid();
    let mut ids = Vec::with_capacity(schedule.len());
    for (step, due_at) in schedule {
        ids.push(insert_system_task(
            tx,
            now,
            &NewTask {
                title: step.title(name),
                notes: step.notes(window_start),
                owner_user_id: owner,
                due_at,
                customer_id: Some(customer_id),
            },
            SourceKind::Onboarding,
            Some(run),
            actor.map(|a| a.user_id),
        )?);
    }
    Ok(ids)
}

fn run_of(conn: &Connection, customer_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM onboarding_runs WHERE customer_id = ?1",
            [customer_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn run_tasks(conn: &Connection, run: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM tasks WHERE source_kind = 'onboarding' AND source_id = ?1 ORDER BY id",
    )?;
    let ids = stmt
        .query_map([run], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// For the scheduler: start the onboarding of signed (and strategic) customers that have no run
/// yet, at `now`. Customers whose cooperation began more than [`CATCH_UP_DAYS`] ago are marked
/// skipped instead; customers without an active owner wait until they have one. Returns how
/// many onboardings were started.
pub fn ensure_onboarding(
    conn: &Connection,
    now: DateTime<Utc>,
    cal: &WorkCalendar,
) -> Result<usize> {
    let pending: Vec<(i64, Option<String>, bool)> = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT c.id, c.coop_start, coalesce(u.active, 0) FROM customers c
             LEFT JOIN users u ON u.id = c.owner_user_id
             WHERE c.stage IN {SIGNED_STAGES} AND c.archived = 0
               AND NOT EXISTS (SELECT 1 FROM onboarding_runs o WHERE o.customer_id = c.id)
             ORDER BY c.id"
        ))?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let cutoff = local_date(now, cal.tz) - Duration::days(CATCH_UP_DAYS);
    let mut started = 0;
    for (id, coop, owner_active) in pending {
        let old = coop
            .as_deref()
            .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .is_some_and(|d| d < cutoff);
        if old {
            conn.execute(
                "INSERT INTO onboarding_runs (customer_id, signed_at, skipped, started_at)
                 VALUES (?1, ?2, 1, ?2)",
                params![id, now.timestamp()],
            )?;
        } else if owner_active {
            start_onboarding(conn, now, None, id, cal)?;
            started += 1;
        }
    }
    Ok(started)
}
