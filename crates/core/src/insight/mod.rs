//! Insight: the management dashboard. [`dashboard`] computes every figure of one period for one
//! person in one call: satisfaction (CSAT, NPS), feedback volume, overdue items, timeliness per
//! department, Pareto of complaint causes and relationship health (call-backs vs plan, customers
//! by stage and tier, churn risk). Each figure is a set-based query (`queries.rs`) feeding a
//! pure function (`figures.rs`).
//!
//! Scope follows the roles: staff see their own customers and the feedback assigned to or
//! logged by them, heads their department's (and their own), viewers, the supervisor and
//! admins everything. Filters narrow further: a period (preset or custom), a department (the
//! customer's department; for feedback the lead or a collaborating department) and an owner
//! (the customer's owner; for feedback the assignee).

mod figures;
mod layout;
pub mod lists;
mod queries;
pub mod report;
#[cfg(test)]
mod tests;

pub use figures::{
    DepartmentTimeliness, MonthCount, Pareto, ParetoBar, RiskEntry, RiskInput, RiskReason,
    SatisfactionPoint, TierCallbacks, TimelinessRow, TimelinessTally, Volume, callbacks,
    churn_risk, churn_risk_top, nearest_rank, pareto, percent, satisfaction, volume,
};

use crate::account::Actor;
use crate::calendar::store::parse_time_zone;
use crate::permission::{Action, Scope, scope};
use crate::today::local_midnight;
use crate::{Error, Result, team};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// Default "no contact for N days" of the churn-risk rule.
pub const DEFAULT_NO_CONTACT_DAYS: u32 = 90;
/// How far back "recent" scores reach for the churn-risk rule, in days.
pub const RECENT_SCORE_DAYS: i64 = 90;
/// Longest custom period, in days (five years), so a typo cannot ask for a century of months.
const MAX_PERIOD_DAYS: i64 = 5 * 366;

/// A period preset of the filter bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// The current calendar month.
    ThisMonth,
    /// The current calendar quarter.
    ThisQuarter,
    /// The current calendar year.
    #[default]
    ThisYear,
    /// `from` to `to`, both inclusive.
    Custom,
}

/// The dashboard's filters; everything optional except the preset.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InsightFilter {
    /// Period preset.
    #[serde(default)]
    pub preset: Preset,
    /// First day of a custom period.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Last day of a custom period (inclusive).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Only this department.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// Only this owner / assignee.
    #[serde(default)]
    pub owner_user_id: Option<i64>,
    /// The churn-risk rule's "no contact for N days" (default 90).
    #[serde(default)]
    pub no_contact_days: Option<u32>,
}

/// The resolved period: local dates and the instants that bound it, and its months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive; a current period ends today).
    pub to: NaiveDate,
    /// Start of `from` in the team's time zone.
    pub start: DateTime<Utc>,
    /// Start of the day after `to`.
    pub end: DateTime<Utc>,
    /// The months touched, `YYYY-MM`, oldest first.
    pub months: Vec<String>,
}

/// One month of a period with the instants bounding its part inside the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MonthSpan {
    pub key: String,
    pub start: i64,
    pub end: i64,
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The dates of a preset around `today`, or the checked custom range (`insight.range_invalid`).
/// A current period stops at today, so its charts show no future months.
pub fn period_dates(filter: &InsightFilter, today: NaiveDate) -> Result<(NaiveDate, NaiveDate)> {
    let from = match filter.preset {
        Preset::ThisMonth => month_start(today),
        Preset::ThisQuarter => {
            let m = (today.month0() / 3) * 3 + 1;
            NaiveDate::from_ymd_opt(today.year(), m, 1).unwrap_or(today)
        }
        Preset::ThisYear => NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
        Preset::Custom => {
            let (Some(from), Some(to)) = (filter.from, filter.to) else {
                return Err(Error::invalid(
                    "insight.range_invalid",
                    "from",
                    "a custom period needs a first and a last day",
                ));
            };
            if to < from || (to - from).num_days() > MAX_PERIOD_DAYS {
                return Err(Error::invalid(
                    "insight.range_invalid",
                    "to",
                    "the last day must follow the first, at most five years later",
                ));
            }
            return Ok((from, to));
        }
    };
    Ok((from, today))
}

/// Resolve the filter's period in the team's time zone.
pub fn period(filter: &InsightFilter, today: NaiveDate, tz: Tz) -> Result<Period> {
    let (from, to) = period_dates(filter, today)?;
    let months = month_spans(from, to, tz)
        .into_iter()
        .map(|m| m.key)
        .collect();
    Ok(Period {
        from,
        to,
        start: local_midnight(from, tz),
        end: local_midnight(to + Duration::days(1), tz),
        months,
    })
}

/// The months of `[from, to]`, each cut to the period.
pub(crate) fn month_spans(from: NaiveDate, to: NaiveDate, tz: Tz) -> Vec<MonthSpan> {
    let mut out = Vec::new();
    let mut m = month_start(from);
    while m <= to {
        let next = m.checked_add_months(Months::new(1)).unwrap_or(to);
        let s = m.max(from);
        let e = (next - Duration::days(1)).min(to) + Duration::days(1);
        out.push(MonthSpan {
            key: m.format("%Y-%m").to_string(),
            start: local_midnight(s, tz).timestamp(),
            end: local_midnight(e, tz).timestamp(),
        });
        if next <= m {
            break;
        }
        m = next;
    }
    out
}

/// Who is asking, reduced to what the queries need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Viewer {
    pub scope: Scope,
    pub user_id: i64,
    pub department_id: Option<i64>,
}

impl Viewer {
    pub(crate) fn of(actor: &Actor) -> Viewer {
        Viewer {
            scope: scope(actor.role),
            user_id: actor.user_id,
            department_id: actor.department_id,
        }
    }
}

/// Feedback figures of the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedbackFigures {
    /// Volume by category and channel, open vs closed.
    pub volume: Volume,
    /// Open items (not waiting for the customer) past their resolution limit now, whatever
    /// their creation date.
    pub overdue_now: i64,
    /// Top-level categories for labels: `(code, id, name_zh, name_en)`.
    pub categories: Vec<CategoryLabel>,
}

/// A category's labels, for the charts' legends and the drill-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryLabel {
    /// Id (the feedback list filters by it).
    pub id: i64,
    /// Stable code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
}

/// Complaint causes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Causes {
    /// By complaint sub-category (key = category id).
    pub by_category: Pareto,
    /// By the customers' tags (key = tag id; a complaint counts once per tag of its customer).
    pub by_tag: Pareto,
}

/// Customers by stage and tier (now, not archived).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageTierCount {
    /// potential / signed / strategic / churned.
    pub stage: String,
    /// A / B / C.
    pub tier: String,
    /// How many.
    pub count: i64,
}

/// Relationship health.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relationship {
    /// Call-backs per tier against the plan.
    pub callbacks: Vec<TierCallbacks>,
    /// Customers by stage and tier.
    pub customers: Vec<StageTierCount>,
    /// Customers at risk (first 50).
    pub churn_risk: Vec<RiskEntry>,
    /// How many are at risk in all.
    pub churn_risk_total: i64,
    /// The "no contact" threshold used, in days.
    pub no_contact_days: u32,
}

/// Everything the dashboard shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// The period.
    pub period: Period,
    /// CSAT and NPS per month.
    pub satisfaction: Vec<SatisfactionPoint>,
    /// CSAT and NPS over the period.
    pub satisfaction_total: SatisfactionPoint,
    /// Feedback.
    pub feedback: FeedbackFigures,
    /// Per lead department.
    pub timeliness: Vec<DepartmentTimeliness>,
    /// Pareto of complaint causes.
    pub causes: Causes,
    /// Relationship health.
    pub relationship: Relationship,
}

/// Most churn-risk entries returned.
const RISK_LIST_LEN: usize = 50;

/// Every dashboard figure for `actor` (`ReportView`) under `filter` at `now`, on one
/// connection.
pub fn dashboard(
    conn: &Connection,
    actor: &Actor,
    filter: &InsightFilter,
    now: DateTime<Utc>,
) -> Result<Dashboard> {
    compute(conn, None, actor, filter, now)
}

/// [`dashboard`] on two connections to the same database: the customers' figures (tiers,
/// satisfaction, relationship health) are read on `second` in a thread of their own while the
/// feedback figures are read on `conn`, so a machine with two free cores answers in about half
/// the time. The two halves read in two transactions; a write landing between their starts
/// shows in one half only, as it would a moment later in both.
pub fn dashboard_on_two(
    conn: &Connection,
    second: &mut Connection,
    actor: &Actor,
    filter: &InsightFilter,
    now: DateTime<Utc>,
) -> Result<Dashboard> {
    compute(conn, Some(second), actor, filter, now)
}

/// The figures read from the customers and what hangs on them.
struct CustomerSide {
    satisfaction: Vec<SatisfactionPoint>,
    satisfaction_total: SatisfactionPoint,
    relationship: Relationship,
}

/// The figures read from the feedback items.
struct FeedbackSide {
    feedback: FeedbackFigures,
    timeliness: Vec<DepartmentTimeliness>,
    causes: Causes,
}

fn compute(
    conn: &Connection,
    second: Option<&mut Connection>,
    actor: &Actor,
    filter: &InsightFilter,
    now: DateTime<Utc>,
) -> Result<Dashboard> {
    actor.require(Action::ReportView)?;
    let tz = parse_time_zone(&team::time_zone(conn)?)?;
    let today = now.with_timezone(&tz).date_naive();
    let period = period(filter, today, tz)?;
    let spans = month_spans(period.from, period.to, tz);
    let q = queries::Query::new(Viewer::of(actor), filter, &spans);
    let (customers, feedback) = match second {
        None => (
            customer_side(conn, &q, filter, &period, (tz, today), now)?,
            feedback_side(conn, &q, now)?,
        ),
        Some(second) => std::thread::scope(|s| {
            let (q, period) = (&q, &period);
            let customers =
                s.spawn(move || customer_side(second, q, filter, period, (tz, today), now));
            let feedback = feedback_side(conn, q, now);
            let customers = customers
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok::<_, Error>((customers?, feedback?))
        })?,
    };
    Ok(Dashboard {
        period,
        satisfaction: customers.satisfaction,
        satisfaction_total: customers.satisfaction_total,
        feedback: feedback.feedback,
        timeliness: feedback.timeliness,
        causes: feedback.causes,
        relationship: customers.relationship,
    })
}

fn customer_side(
    conn: &Connection,
    q: &queries::Query<'_>,
    filter: &InsightFilter,
    period: &Period,
    (tz, today): (Tz, NaiveDate),
    now: DateTime<Utc>,
) -> Result<CustomerSide> {
    let recent_from = now - Duration::days(RECENT_SCORE_DAYS);
    let customers = q.customer_facts(conn, Some((tz, recent_from)))?;
    let tiers = &customers.tiers;
    let (satisfaction, satisfaction_total) =
        figures::satisfaction(&period.months, &q.scores(conn, tiers)?);
    let intervals = crate::plan::callback_intervals(conn)?;
    let no_contact_days = filter.no_contact_days.unwrap_or(DEFAULT_NO_CONTACT_DAYS);
    let (mut risk, churn_risk_total) = figures::churn_risk_top(
        &customers.risk,
        &intervals,
        today,
        i64::from(no_contact_days),
        RISK_LIST_LEN,
    );
    queries::risk_labels(conn, &mut risk)?;
    let (planned, logged) = q.callbacks(conn, tiers)?;
    Ok(CustomerSide {
        satisfaction,
        satisfaction_total,
        relationship: Relationship {
            callbacks: figures::callbacks(&intervals, &planned, &logged),
            customers: customers.stage_tier,
            churn_risk: risk,
            churn_risk_total: churn_risk_total as i64,
            no_contact_days,
        },
    })
}

fn feedback_side(
    conn: &Connection,
    q: &queries::Query<'_>,
    now: DateTime<Utc>,
) -> Result<FeedbackSide> {
    let items = q.feedback_period(conn, now.timestamp())?;
    let feedback = FeedbackFigures {
        volume: figures::volume(&items.volume),
        overdue_now: q.overdue_now(conn, now)?,
        categories: queries::top_categories(conn)?,
    };
    let departments = q.departments(conn)?;
    Ok(FeedbackSide {
        feedback,
        timeliness: items.timeliness.finish(&departments),
        causes: Causes {
            by_tag: figures::pareto(queries::complaint_tags(conn, &items.complaint_customers)?),
            by_category: figures::pareto(items.by_category),
        },
    })
}
