//! The three management reports and their XLSX exports: the monthly complaint analysis (seed
//! template 三, detail rows in the layout of table 3 客户投诉处理表), the quarterly call-back
//! summary (template 二, detail rows in the layout of table 2 老客户回访记录表) and the
//! per-department service quality of a period. Each report reuses the dashboard's scoped
//! queries and pure figures, so a report and the dashboard never disagree.

use super::figures::{self, DepartmentTimeliness, Pareto, SatisfactionPoint, TierCallbacks};
use super::layout::{
    Sheet, callbacks_sheet, complaints_sheet, hours, int, num, pick, round1, text, write,
};
use super::queries::Query;
use super::{InsightFilter, Period, Preset, Viewer, month_spans, period};
use crate::account::Actor;
use crate::calendar::store::parse_time_zone;
use crate::money::Money;
use crate::permission::Action;
use crate::{Result, team};
use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 月度投诉分析: the month of `from`.
    MonthlyComplaints,
    /// 季度回访总结: the quarter of `from`.
    QuarterlyCallbacks,
    /// 各部门服务质量: `from` to `to`.
    ServiceQuality,
}

/// What a report is asked for: its kind, a day inside the month or quarter (or a custom range
/// for the service quality) and the dashboard's department and owner filters.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportRequest {
    /// Which report.
    pub kind: ReportKind,
    /// A day of the month or quarter; the first day of a service-quality period.
    pub from: NaiveDate,
    /// The last day of a service-quality period (ignored by the others).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Only this department.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// Only this owner / assignee.
    #[serde(default)]
    pub owner_user_id: Option<i64>,
}

/// One complaint, in the columns of table 3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplaintRow {
    /// FK-… number.
    pub number: String,
    /// 投诉客户名称.
    pub customer: String,
    /// 投诉日期 (local).
    pub date: NaiveDate,
    /// 投诉渠道 (channel code).
    pub channel: String,
    /// 投诉人 (the contact).
    pub contact: String,
    /// 投诉事由: sub-category.
    pub category_zh: String,
    /// The same in English.
    pub category_en: String,
    /// What the customer said.
    pub description: String,
    /// 发生时间 (local date).
    pub occurred_on: Option<NaiveDate>,
    /// 影响范围.
    pub impact: String,
    /// 客户期望.
    pub expectation: String,
    /// 调查结果.
    pub investigation: String,
    /// 责任部门.
    pub department: String,
    /// 问题原因.
    pub root_cause: String,
    /// 解决方案.
    pub solution: String,
    /// 补偿方式 (code).
    pub compensation_kind: Option<String>,
    /// 补偿金额.
    pub compensation: Money,
    /// 处理人.
    pub assignee: String,
    /// Status code.
    pub status: String,
    /// 结案日期 (local).
    pub closed_on: Option<NaiveDate>,
    /// Responded by the due instant (`None`: not yet responded).
    pub response_on_time: Option<bool>,
    /// Closed and never late (`None`: still open).
    pub resolved_on_time: Option<bool>,
    /// 客户满意度评分 (1–5) of the satisfaction call-back.
    pub satisfaction: Option<i64>,
}

/// 月度投诉分析.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComplaintReport {
    /// The month.
    pub period: Period,
    /// Complaints by sub-category, largest first.
    pub causes: Pareto,
    /// Timeliness per department (all feedback of the month).
    pub timeliness: Vec<DepartmentTimeliness>,
    /// Every complaint of the month, oldest first.
    pub rows: Vec<ComplaintRow>,
}

/// One call-back, in the columns of table 2.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallbackRow {
    /// 客户名称.
    pub customer: String,
    /// Tier of the customer now.
    pub tier: String,
    /// 回访日期 (local).
    pub date: NaiveDate,
    /// 回访方式: the channel's name in Chinese.
    pub method_zh: String,
    /// The same in English.
    pub method_en: String,
    /// 回访人.
    pub caller: String,
    /// 回访目标 (the subject).
    pub goal: String,
    /// 客户反馈: key points and needs.
    pub feedback: String,
    /// 待办事项: our commitments and the to-dos the call-back left.
    pub todo: String,
    /// 责任部门 (the customer's department).
    pub department: String,
    /// 责任人 (the customer's owner).
    pub owner: String,
    /// 完成时限: the earliest due date of its open to-dos (of all of them once all are done).
    pub due: Option<NaiveDate>,
    /// 客户满意度评分.
    pub satisfaction: Option<i64>,
    /// 备注: the next step.
    pub note: String,
}

/// 季度回访总结.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallbackReport {
    /// The quarter.
    pub period: Period,
    /// Planned vs done per tier.
    pub tiers: Vec<TierCallbacks>,
    /// Every call-back logged in the quarter, oldest first.
    pub rows: Vec<CallbackRow>,
}

/// One department's service quality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DepartmentQuality {
    /// Timeliness of the feedback it leads.
    pub timeliness: DepartmentTimeliness,
    /// CSAT and NPS of its customers (`month` holds the department id, or `none`).
    pub satisfaction: SatisfactionPoint,
}

/// 各部门服务质量.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityReport {
    /// The period.
    pub period: Period,
    /// Per department.
    pub departments: Vec<DepartmentQuality>,
}

/// A report of any kind, as the screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Report {
    /// 月度投诉分析.
    MonthlyComplaints(ComplaintReport),
    /// 季度回访总结.
    QuarterlyCallbacks(CallbackReport),
    /// 各部门服务质量.
    ServiceQuality(QualityReport),
}

fn team_tz(conn: &Connection) -> Result<Tz> {
    parse_time_zone(&team::time_zone(conn)?)
}

/// The first and last day of the report's period.
fn range(req: &ReportRequest) -> Result<(NaiveDate, NaiveDate)> {
    let first_of = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(req.from);
    let months = |start: NaiveDate, n: u32| {
        let end = start
            .checked_add_months(Months::new(n))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start);
        (start, end)
    };
    Ok(match req.kind {
        ReportKind::MonthlyComplaints => months(first_of(req.from.year(), req.from.month()), 1),
        ReportKind::QuarterlyCallbacks => {
            months(first_of(req.from.year(), req.from.month0() / 3 * 3 + 1), 3)
        }
        ReportKind::ServiceQuality => (req.from, req.to.unwrap_or(req.from)),
    })
}

/// Build a report for `actor` (`ReportView`), within their scope.
pub fn build(
    conn: &Connection,
    actor: &Actor,
    req: &ReportRequest,
    now: DateTime<Utc>,
) -> Result<Report> {
    actor.require(Action::ReportView)?;
    let tz = team_tz(conn)?;
    let (from, to) = range(req)?;
    let filter = InsightFilter {
        preset: Preset::Custom,
        from: Some(from),
        to: Some(to),
        department_id: req.department_id,
        owner_user_id: req.owner_user_id,
        no_contact_days: None,
    };
    let today = now.with_timezone(&tz).date_naive();
    let period = period(&filter, today, tz)?;
    let spans = month_spans(from, to, tz);
    let q = Query::new(Viewer::of(actor), &filter, &spans);
    let departments = q.departments(conn)?;
    let items = q.feedback_period(conn, now.timestamp())?;
    let timeliness = items.timeliness.finish(&departments);
    Ok(match req.kind {
        ReportKind::MonthlyComplaints => Report::MonthlyComplaints(ComplaintReport {
            period,
            causes: figures::pareto(items.by_category),
            timeliness,
            rows: q.complaint_rows(conn, tz, now.timestamp())?,
        }),
        ReportKind::QuarterlyCallbacks => {
            let intervals = crate::plan::callback_intervals(conn)?;
            let (planned, logged) = q.callbacks(conn, &q.customer_facts(conn, None)?.tiers)?;
            Report::QuarterlyCallbacks(CallbackReport {
                period,
                tiers: figures::callbacks(&intervals, &planned, &logged),
                rows: q.callback_rows(conn, tz)?,
            })
        }
        ReportKind::ServiceQuality => {
            let rows = q.scores_by_department(conn)?;
            let keys: Vec<String> = timeliness
                .iter()
                .map(|t| t.department_id.map_or("none".into(), |d| d.to_string()))
                .collect();
            let (points, _) = figures::satisfaction(&keys, &rows);
            Report::ServiceQuality(QualityReport {
                period,
                departments: timeliness
                    .into_iter()
                    .zip(keys)
                    .map(|(t, k)| DepartmentQuality {
                        timeliness: t,
                        satisfaction: points
                            .iter()
                            .find(|p| p.month == k)
                            .cloned()
                            .unwrap_or_default(),
                    })
                    .collect(),
            })
        }
    })
}

// ---------------------------------------------------------------------------------------------
// XLSX.

fn timeliness_sheet(rows: &[DepartmentTimeliness], zh: bool) -> Sheet {
    Sheet {
        name: pick(zh, "部门时效", "Timeliness"),
        headers: if zh {
            vec![
                "部门",
                "反馈数",
                "应响应数",
                "按时响应数",
                "按时响应率%",
                "已结数",
                "按时解决数",
                "按时解决率%",
                "处理时长中位数(小时)",
                "处理时长P90(小时)",
            ]
        } else {
            vec![
                "Department",
                "Items",
                "Response decided",
                "Responded on time",
                "Response on time %",
                "Closed",
                "Resolved on time",
                "Resolution on time %",
                "Median handling (h)",
                "P90 handling (h)",
            ]
        },
        rows: rows
            .iter()
            .map(|t| {
                vec![
                    text(t.name.clone()),
                    int(t.items),
                    int(t.response_decided),
                    int(t.response_on_time),
                    num(round1(t.response_on_time_pct)),
                    int(t.closed),
                    int(t.resolution_on_time),
                    num(round1(t.resolution_on_time_pct)),
                    hours(t.median_handling_secs),
                    hours(t.p90_handling_secs),
                ]
            })
            .collect(),
    }
}

/// The report as an XLSX workbook; `lang` `zh-CN` (default) or `en` picks the headers.
pub fn to_xlsx(report: &Report, lang: &str) -> Result<Vec<u8>> {
    let zh = !lang.starts_with("en");
    let sheets = match report {
        Report::MonthlyComplaints(r) => vec![
            Sheet {
                name: pick(zh, "投诉原因", "Causes"),
                headers: if zh {
                    vec!["投诉子类别", "投诉数", "占比%", "累计占比%"]
                } else {
                    vec!["Sub-category", "Complaints", "Share %", "Cumulative %"]
                },
                rows: r
                    .causes
                    .bars
                    .iter()
                    .map(|b| {
                        vec![
                            text(if zh {
                                b.label.clone()
                            } else {
                                b.label_en.clone()
                            }),
                            int(b.count),
                            num(round1(Some(b.share))),
                            num(round1(Some(b.cumulative))),
                        ]
                    })
                    .collect(),
            },
            complaints_sheet(&r.rows, zh),
            timeliness_sheet(&r.timeliness, zh),
        ],
        Report::QuarterlyCallbacks(r) => vec![
            Sheet {
                name: pick(zh, "回访完成情况", "Completion"),
                headers: if zh {
                    vec![
                        "客户等级",
                        "回访周期(月)",
                        "计划回访",
                        "已完成",
                        "完成率%",
                        "已记录回访",
                    ]
                } else {
                    vec![
                        "Tier",
                        "Interval (months)",
                        "Planned",
                        "Done",
                        "Completion %",
                        "Logged",
                    ]
                },
                rows: r
                    .tiers
                    .iter()
                    .map(|t| {
                        vec![
                            text(t.tier.as_str()),
                            int(i64::from(t.interval_months)),
                            int(t.planned),
                            int(t.done),
                            num(round1(t.completion_pct)),
                            int(t.logged),
                        ]
                    })
                    .collect(),
            },
            callbacks_sheet(&r.rows, zh),
        ],
        Report::ServiceQuality(r) => {
            let t: Vec<DepartmentTimeliness> =
                r.departments.iter().map(|d| d.timeliness.clone()).collect();
            vec![
                timeliness_sheet(&t, zh),
                Sheet {
                    name: pick(zh, "部门满意度", "Satisfaction"),
                    headers: if zh {
                        vec![
                            "部门",
                            "满意度回答数",
                            "满意数(4-5分)",
                            "满意率%",
                            "平均分",
                            "NPS回答数",
                            "推荐者",
                            "中立者",
                            "贬损者",
                            "NPS",
                        ]
                    } else {
                        vec![
                            "Department",
                            "CSAT answers",
                            "Good (4-5)",
                            "Good %",
                            "Average",
                            "NPS answers",
                            "Promoters",
                            "Passives",
                            "Detractors",
                            "NPS",
                        ]
                    },
                    rows: r
                        .departments
                        .iter()
                        .map(|d| {
                            let s = &d.satisfaction;
                            vec![
                                text(d.timeliness.name.clone()),
                                int(s.csat_count),
                                int(s.csat_good),
                                num(round1(s.csat_good_pct)),
                                num(s.csat_average.map(|a| (a * 100.0).round() / 100.0)),
                                int(s.nps_count),
                                int(s.promoters),
                                int(s.passives),
                                int(s.detractors),
                                num(round1(s.nps)),
                            ]
                        })
                        .collect(),
                },
            ]
        }
    };
    write(sheets)
}

/// Build and export a report (`ReportExport`), returning the file name to offer and its bytes.
pub fn export(
    conn: &Connection,
    actor: &Actor,
    req: &ReportRequest,
    lang: &str,
    now: DateTime<Utc>,
) -> Result<(String, Vec<u8>)> {
    actor.require(Action::ReportExport)?;
    let report = build(conn, actor, req, now)?;
    let (from, _) = range(req)?;
    let name = match req.kind {
        ReportKind::MonthlyComplaints => format!("complaints-{}.xlsx", from.format("%Y-%m")),
        ReportKind::QuarterlyCallbacks => {
            format!("callbacks-{}-Q{}.xlsx", from.year(), from.month0() / 3 + 1)
        }
        ReportKind::ServiceQuality => format!("service-quality-{from}.xlsx"),
    };
    Ok((name, to_xlsx(&report, lang)?))
}
