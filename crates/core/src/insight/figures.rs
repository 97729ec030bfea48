//! The dashboard's figures as pure functions over rows the storage queries return, so each can
//! be checked against a hand-computed small data set without a database. Every percentage
//! comes with the counts it was computed from (`None` when there is nothing to divide by).

use crate::plan::{CallbackIntervals, Tier, next_callback_date};
use crate::survey::SurveyKind;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// `part / whole` as a percentage, `None` for an empty whole.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// Satisfaction of one month (or of the whole period).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SatisfactionPoint {
    /// `YYYY-MM`, or `total`.
    pub month: String,
    /// CSAT answers.
    pub csat_count: i64,
    /// Their average, 1–5.
    pub csat_average: Option<f64>,
    /// Answers of 4 or 5.
    pub csat_good: i64,
    /// `csat_good` among `csat_count`, in %.
    pub csat_good_pct: Option<f64>,
    /// NPS answers.
    pub nps_count: i64,
    /// 9–10.
    pub promoters: i64,
    /// 7–8.
    pub passives: i64,
    /// 0–6.
    pub detractors: i64,
    /// % promoters − % detractors, −100 to 100.
    pub nps: Option<f64>,
}

/// One grouped row of survey answers: month, kind, score, how many.
pub type ScoreRow = (String, SurveyKind, i64, i64);

fn add_score(p: &mut SatisfactionPoint, kind: SurveyKind, score: i64, n: i64, csat_sum: &mut i64) {
    match kind {
        SurveyKind::Csat => {
            p.csat_count += n;
            *csat_sum += score * n;
            if score >= 4 {
                p.csat_good += n;
            }
        }
        SurveyKind::Nps => {
            p.nps_count += n;
            match score {
                9..=10 => p.promoters += n,
                7..=8 => p.passives += n,
                _ => p.detractors += n,
            }
        }
    }
}

fn finish(p: &mut SatisfactionPoint, csat_sum: i64) {
    p.csat_average = (p.csat_count > 0).then(|| csat_sum as f64 / p.csat_count as f64);
    p.csat_good_pct = percent(p.csat_good, p.csat_count);
    p.nps =
        (p.nps_count > 0).then(|| (p.promoters - p.detractors) as f64 * 100.0 / p.nps_count as f64);
}

/// CSAT and NPS per month of `months` (every month present, empty ones with zero counts) and
/// over the whole period (last element of the pair).
pub fn satisfaction(
    months: &[String],
    rows: &[ScoreRow],
) -> (Vec<SatisfactionPoint>, SatisfactionPoint) {
    let mut by_month: BTreeMap<&str, (SatisfactionPoint, i64)> = months
        .iter()
        .map(|m| {
            (
                m.as_str(),
                (
                    SatisfactionPoint {
                        month: m.clone(),
                        ..Default::default()
                    },
                    0,
                ),
            )
        })
        .collect();
    let mut total = SatisfactionPoint {
        month: "total".into(),
        ..Default::default()
    };
    let mut total_sum = 0;
    for (month, kind, score, n) in rows {
        if let Some((p, sum)) = by_month.get_mut(month.as_str()) {
            add_score(p, *kind, *score, *n, sum);
            add_score(&mut total, *kind, *score, *n, &mut total_sum);
        }
    }
    finish(&mut total, total_sum);
    let points = by_month
        .into_values()
        .map(|(mut p, sum)| {
            finish(&mut p, sum);
            p
        })
        .collect();
    (points, total)
}

/// A count under a key (category, channel, stage …) in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// What is counted.
    pub key: String,
    /// How many.
    pub count: i64,
}

/// One grouped feedback row: month, top-level category code, channel, closed?, how many.
pub type VolumeRow = (String, String, String, bool, i64);

/// Feedback volume figures of the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Volume {
    /// Items per month and top-level category (complaint, suggestion, inquiry).
    pub by_category: Vec<MonthCount>,
    /// Items per month and channel.
    pub by_channel: Vec<MonthCount>,
    /// All items of the period (duplicates left out).
    pub total: i64,
    /// Of these, still open now.
    pub open: i64,
    /// Of these, closed.
    pub closed: i64,
}

/// Sum grouped feedback rows into per-month counts by category and by channel, and open vs
/// closed. Keys are ordered by month, then key.
pub fn volume(rows: &[VolumeRow]) -> Volume {
    let mut cat: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut chan: BTreeMap<(String, String), i64> = BTreeMap::new();
    let mut v = Volume::default();
    for (month, category, channel, closed, n) in rows {
        *cat.entry((month.clone(), category.clone())).or_default() += n;
        *chan.entry((month.clone(), channel.clone())).or_default() += n;
        v.total += n;
        if *closed {
            v.closed += n;
        } else {
            v.open += n;
        }
    }
    let flat = |m: BTreeMap<(String, String), i64>| {
        m.into_iter()
            .map(|((month, key), count)| MonthCount { month, key, count })
            .collect()
    };
    v.by_category = flat(cat);
    v.by_channel = flat(chan);
    v
}

/// One feedback item of the period for the timeliness figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelinessRow {
    /// Lead department, if any.
    pub department_id: Option<i64>,
    /// Response due (business-time aware, as stored by the feedback module).
    pub response_due_at: i64,
    /// First customer-facing response.
    pub first_response_at: Option<i64>,
    /// Closing instant, when closed.
    pub closed_at: Option<i64>,
    /// Sticky late flag of the feedback module (resolution limit or expected date missed).
    pub was_late: bool,
    /// Handling time in business seconds (pauses excluded), as last computed.
    pub elapsed_business_secs: i64,
}

/// Timeliness of one department.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentTimeliness {
    /// The department (`None`: items without a lead department).
    pub department_id: Option<i64>,
    /// Its name.
    pub name: String,
    /// Items it leads in the period.
    pub items: i64,
    /// Items whose response is decided: responded, or the response due instant has passed.
    pub response_decided: i64,
    /// Responded by the due instant.
    pub response_on_time: i64,
    /// `response_on_time` among `response_decided`, in %.
    pub response_on_time_pct: Option<f64>,
    /// Closed items.
    pub closed: i64,
    /// Closed and never late.
    pub resolution_on_time: i64,
    /// `resolution_on_time` among `closed`, in %.
    pub resolution_on_time_pct: Option<f64>,
    /// Median business handling time of the closed items, in seconds.
    pub median_handling_secs: Option<i64>,
    /// 90th percentile of the same.
    pub p90_handling_secs: Option<i64>,
}

/// The `q`-quantile (0–1) of sorted values by the nearest-rank method: the smallest value with
/// at least `q` of the values at or below it. `None` for no values.
pub fn nearest_rank(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// Timeliness per department, counted item by item while the period's feedback is read, so the
/// dashboard keeps a few counters and the handling times per department instead of a row per
/// item. [`TimelinessTally::finish`] lists every given department (those with no items too,
/// with zero counts and no rates) plus one for items without a lead department when there are
/// any.
#[derive(Debug, Clone)]
pub struct TimelinessTally {
    now: i64,
    /// Per lead department, in order of first appearance (a team has a handful).
    groups: Vec<(Option<i64>, DepartmentTally)>,
}

/// The counts of one department while tallying.
#[derive(Debug, Clone, Default)]
struct DepartmentTally {
    items: i64,
    decided: i64,
    on_time: i64,
    closed_on_time: i64,
    /// Handling times of the closed items.
    handling: Vec<i64>,
}

impl TimelinessTally {
    /// An empty tally judged at `now` (a response not yet given is late once its due instant
    /// has passed).
    pub fn new(now: i64) -> TimelinessTally {
        TimelinessTally {
            now,
            groups: Vec::new(),
        }
    }

    /// Count one item.
    pub fn add(&mut self, r: &TimelinessRow) {
        let i = match self.groups.iter().position(|g| g.0 == r.department_id) {
            Some(i) => i,
            None => {
                self.groups
                    .push((r.department_id, DepartmentTally::default()));
                self.groups.len() - 1
            }
        };
        let g = &mut self.groups[i].1;
        g.items += 1;
        if r.first_response_at.is_some() || r.response_due_at <= self.now {
            g.decided += 1;
        }
        if r.first_response_at.is_some_and(|t| t <= r.response_due_at) {
            g.on_time += 1;
        }
        if r.closed_at.is_some() {
            g.closed_on_time += i64::from(!r.was_late);
            g.handling.push(r.elapsed_business_secs);
        }
    }

    /// The figures of `departments`, in their order, then of the items without a lead
    /// department when there are any.
    pub fn finish(mut self, departments: &[(i64, String)]) -> Vec<DepartmentTimeliness> {
        let mut keys: Vec<(Option<i64>, String)> = departments
            .iter()
            .map(|(id, name)| (Some(*id), name.clone()))
            .collect();
        if self.groups.iter().any(|g| g.0.is_none()) {
            keys.push((None, String::new()));
        }
        keys.into_iter()
            .map(|(id, name)| {
                let mut g = self
                    .groups
                    .iter_mut()
                    .find(|g| g.0 == id)
                    .map(|g| std::mem::take(&mut g.1))
                    .unwrap_or_default();
                g.handling.sort_unstable();
                let closed = g.handling.len() as i64;
                DepartmentTimeliness {
                    department_id: id,
                    name,
                    items: g.items,
                    response_decided: g.decided,
                    response_on_time: g.on_time,
                    response_on_time_pct: percent(g.on_time, g.decided),
                    closed,
                    resolution_on_time: g.closed_on_time,
                    resolution_on_time_pct: percent(g.closed_on_time, closed),
                    median_handling_secs: nearest_rank(&g.handling, 0.5),
                    p90_handling_secs: nearest_rank(&g.handling, 0.9),
                }
            })
            .collect()
    }
}

/// One bar of a Pareto chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParetoBar {
    /// What the bar counts (sub-category id or tag id, as text).
    pub key: String,
    /// Its label (Chinese for categories, the tag's name for tags).
    pub label: String,
    /// Its English label (the tag's name again for tags).
    pub label_en: String,
    /// How many complaints.
    pub count: i64,
    /// Share of all complaints counted, in %.
    pub share: f64,
    /// Running share up to and including this bar, in %.
    pub cumulative: f64,
}

/// A Pareto chart: causes largest first with the running share, and the top three's share.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pareto {
    /// Bars, largest first (ties by label).
    pub bars: Vec<ParetoBar>,
    /// Sum of all bars.
    pub total: i64,
    /// Sum of the three largest.
    pub top3: i64,
    /// `top3` among `total`, in %.
    pub top3_share: Option<f64>,
}

/// Order `(key, label, label_en, count)` rows into a Pareto chart (zero counts dropped).
pub fn pareto(rows: Vec<(String, String, String, i64)>) -> Pareto {
    let mut rows: Vec<_> = rows.into_iter().filter(|r| r.3 > 0).collect();
    rows.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.1.cmp(&b.1)));
    let total: i64 = rows.iter().map(|r| r.3).sum();
    let top3: i64 = rows.iter().take(3).map(|r| r.3).sum();
    let mut running = 0;
    let bars = rows
        .into_iter()
        .map(|(key, label, label_en, count)| {
            running += count;
            ParetoBar {
                key,
                label,
                label_en,
                count,
                share: percent(count, total).unwrap_or(0.0),
                cumulative: percent(running, total).unwrap_or(0.0),
            }
        })
        .collect();
    Pareto {
        bars,
        total,
        top3,
        top3_share: percent(top3, total),
    }
}

/// Call-back completion of one tier against its plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierCallbacks {
    /// A, B or C.
    pub tier: Tier,
    /// The plan's interval in months.
    pub interval_months: u32,
    /// Planned call-backs (plan tasks due in the period, cancelled ones left out).
    pub planned: i64,
    /// Of these, done.
    pub done: i64,
    /// `done` among `planned`, in %.
    pub completion_pct: Option<f64>,
    /// Call-back interactions logged in the period (planned or not).
    pub logged: i64,
}

/// Per tier (A, B, C, always all three): planned vs done call-backs. `rows` are
/// `(tier, planned, done)` and `logged` `(tier, call-backs logged)`.
pub fn callbacks(
    intervals: &CallbackIntervals,
    rows: &[(Tier, i64, i64)],
    logged: &[(Tier, i64)],
) -> Vec<TierCallbacks> {
    [Tier::A, Tier::B, Tier::C]
        .into_iter()
        .map(|tier| {
            let (planned, done) = rows
                .iter()
                .filter(|r| r.0 == tier)
                .fold((0, 0), |acc, r| (acc.0 + r.1, acc.1 + r.2));
            TierCallbacks {
                tier,
                interval_months: intervals.months(tier),
                planned,
                done,
                completion_pct: percent(done, planned),
                logged: logged.iter().filter(|l| l.0 == tier).map(|l| l.1).sum(),
            }
        })
        .collect()
}

/// Why a customer is at risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskReason {
    /// Past the tier's call-back cadence.
    CallbackOverdue,
    /// An NPS of 0–6 or a CSAT of 1–2 among the recent answers.
    LowScore,
    /// At least one open complaint.
    OpenComplaint,
    /// No contact at all for the configured number of days.
    NoContact,
}

/// What the churn-risk rule needs to know of one signed customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskInput {
    /// Customer id.
    pub customer_id: i64,
    /// Number (KH-…).
    pub number: String,
    /// Name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Owner's display name.
    pub owner: String,
    /// Where the cadence counts from when there was no call-back yet (cooperation start or
    /// creation, local date).
    pub start: NaiveDate,
    /// Local date of the newest call-back.
    pub last_callback: Option<NaiveDate>,
    /// Local date of the newest contact of any kind.
    pub last_contact: Option<NaiveDate>,
    /// Open complaints.
    pub open_complaints: i64,
    /// Lowest NPS among the recent answers.
    pub min_recent_nps: Option<i64>,
    /// Lowest CSAT among the recent answers.
    pub min_recent_csat: Option<i64>,
}

/// One customer of the churn-risk list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskEntry {
    /// Customer id.
    pub customer_id: i64,
    /// Number.
    pub number: String,
    /// Name.
    pub name: String,
    /// Tier.
    pub tier: Tier,
    /// Owner's display name.
    pub owner: String,
    /// Why, most serious first.
    pub reasons: Vec<RiskReason>,
    /// When the next call-back was due by the cadence.
    pub callback_due_on: NaiveDate,
    /// Days since the last contact (`None`: never contacted).
    pub days_since_contact: Option<i64>,
    /// Open complaints.
    pub open_complaints: i64,
}

/// The churn-risk rule: a customer is listed with every reason that applies; the list is
/// ordered by the number of reasons, then the longest without contact.
pub fn churn_risk(
    rows: &[RiskInput],
    intervals: &CallbackIntervals,
    today: NaiveDate,
    no_contact_days: i64,
) -> Vec<RiskEntry> {
    churn_risk_top(rows, intervals, today, no_contact_days, usize::MAX).0
}

/// The first `limit` entries of [`churn_risk`]'s list, in its order, and how many customers
/// it lists in all. The rule is first applied to every customer as a few bits and numbers;
/// only the listed few are sorted and made into entries, so a large book of customers costs a
/// selection rather than a full sort and no allocation per customer at risk.
pub fn churn_risk_top(
    rows: &[RiskInput],
    intervals: &CallbackIntervals,
    today: NaiveDate,
    no_contact_days: i64,
    limit: usize,
) -> (Vec<RiskEntry>, usize) {
    /// One customer at risk: its row, its reasons (bit `i` for `REASONS[i]`), when its
    /// call-back was due and the days since its last contact.
    struct Hit {
        row: usize,
        reasons: u8,
        due: NaiveDate,
        since: Option<i64>,
    }
    const REASONS: [RiskReason; 4] = [
        RiskReason::CallbackOverdue,
        RiskReason::LowScore,
        RiskReason::OpenComplaint,
        RiskReason::NoContact,
    ];
    let mut hits: Vec<Hit> = rows
        .iter()
        .enumerate()
        .filter_map(|(row, r)| {
            let base = r.last_callback.unwrap_or(r.start);
            let due = next_callback_date(base, intervals.months(r.tier));
            let since = r.last_contact.map(|d| (today - d).num_days());
            let low_score = r.min_recent_nps.is_some_and(|s| s <= 6)
                || r.min_recent_csat.is_some_and(|s| s <= 2);
            let silent_since = since.unwrap_or((today - r.start).num_days());
            let reasons = u8::from(due < today)
                | u8::from(low_score) << 1
                | u8::from(r.open_complaints > 0) << 2
                | u8::from(silent_since > no_contact_days) << 3;
            (reasons != 0).then_some(Hit {
                row,
                reasons,
                due,
                since,
            })
        })
        .collect();
    // A total order (the customer id breaks every tie), so selecting the first `limit` and
    // sorting them gives exactly the head of the fully sorted list.
    let order = |a: &Hit, b: &Hit| {
        b.reasons
            .count_ones()
            .cmp(&a.reasons.count_ones())
            .then_with(|| {
                b.since
                    .unwrap_or(i64::MAX)
                    .cmp(&a.since.unwrap_or(i64::MAX))
            })
            .then_with(|| rows[a.row].customer_id.cmp(&rows[b.row].customer_id))
    };
    let total = hits.len();
    if limit < total {
        hits.select_nth_unstable_by(limit, order);
        hits.truncate(limit);
    }
    hits.sort_by(order);
    let entries = hits
        .into_iter()
        .map(|h| {
            let r = &rows[h.row];
            RiskEntry {
                customer_id: r.customer_id,
                number: r.number.clone(),
                name: r.name.clone(),
                tier: r.tier,
                owner: r.owner.clone(),
                reasons: (0..REASONS.len())
                    .filter(|i| h.reasons & (1 << i) != 0)
                    .map(|i| REASONS[i])
                    .collect(),
                callback_due_on: h.due,
                days_since_contact: h.since,
                open_complaints: r.open_complaints,
            }
        })
        .collect();
    (entries, total)
}
