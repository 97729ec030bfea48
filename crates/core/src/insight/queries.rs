//! The dashboard's storage side: one grouped, set-based query per figure, each restricted to
//! the viewer's scope and the filter, returning the plain rows `figures.rs` turns into numbers.

use super::figures::{RiskInput, ScoreRow, TimelinessRow, VolumeRow};
use super::report::{CallbackRow, ComplaintRow};
use super::{CategoryLabel, InsightFilter, MonthSpan, StageTierCount, Viewer};
use crate::Result;
use crate::money::Money;
use crate::permission::Scope;
use crate::plan::Tier;
use crate::survey::SurveyKind;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::Connection;
use rusqlite::types::Value;

/// Planned and done call-backs per tier, and call-backs logged per tier.
type CallbackRows = (Vec<(Tier, i64, i64)>, Vec<(Tier, i64)>);

/// SQL text with its numbered parameters.
struct Sql {
    text: String,
    args: Vec<Value>,
}

impl Sql {
    fn new() -> Sql {
        Sql {
            text: String::new(),
            args: Vec::new(),
        }
    }

    /// Append a parameter and return its placeholder.
    fn arg(&mut self, v: impl Into<Value>) -> String {
        self.args.push(v.into());
        format!("?{}", self.args.len())
    }

    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    fn rows<T>(
        &self,
        conn: &Connection,
        f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = conn.prepare_cached(&self.text)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(self.args.iter()), f)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// The viewer, the filter and the months of one dashboard computation.
pub(super) struct Query<'a> {
    viewer: Viewer,
    department: Option<i64>,
    owner: Option<i64>,
    spans: &'a [MonthSpan],
}

/// The local date of an instant.
fn local_date(secs: i64, tz: Tz) -> NaiveDate {
    crate::clock::from_unix(secs)
        .with_timezone(&tz)
        .date_naive()
}

impl<'a> Query<'a> {
    pub(super) fn new(viewer: Viewer, filter: &InsightFilter, spans: &'a [MonthSpan]) -> Self {
        Query {
            viewer,
            department: filter.department_id,
            owner: filter.owner_user_id,
            spans,
        }
    }

    fn start(&self) -> i64 {
        self.spans.first().map_or(0, |m| m.start)
    }

    fn end(&self) -> i64 {
        self.spans.last().map_or(0, |m| m.end)
    }

    /// `WITH m(k, s, e) AS (VALUES …)`: the months of the period with their bounds.
    fn months(&self, sql: &mut Sql) {
        let values: Vec<String> = self
            .spans
            .iter()
            .map(|m| {
                format!(
                    "({}, {}, {})",
                    sql.arg(m.key.clone()),
                    sql.arg(m.start),
                    sql.arg(m.end)
                )
            })
            .collect();
        sql.push(&format!(
            "WITH m(k, s, e) AS (VALUES {}) ",
            values.join(", ")
        ));
    }

    /// Scope and filter conditions on the customers table aliased `c`.
    fn customers(&self, sql: &mut Sql) {
        let v = self.viewer;
        match v.scope {
            Scope::All => {}
            Scope::Department => {
                let u = sql.arg(v.user_id);
                let d = sql.arg(v.department_id.map_or(Value::Null, Value::Integer));
                sql.push(&format!(
                    " AND (c.owner_user_id = {u} OR c.department_id = {d})"
                ));
            }
            Scope::Own => {
                let u = sql.arg(v.user_id);
                sql.push(&format!(" AND c.owner_user_id = {u}"));
            }
        }
        if let Some(d) = self.department {
            let d = sql.arg(d);
            sql.push(&format!(" AND c.department_id = {d}"));
        }
        if let Some(o) = self.owner {
            let o = sql.arg(o);
            sql.push(&format!(" AND c.owner_user_id = {o}"));
        }
    }

    /// Scope and filter conditions on the feedback items table aliased `i`.
    fn feedback(&self, sql: &mut Sql) {
        let v = self.viewer;
        match v.scope {
            Scope::All => {}
            Scope::Department => {
                let u = sql.arg(v.user_id);
                let d = sql.arg(v.department_id.map_or(Value::Null, Value::Integer));
                sql.push(&format!(
                    " AND (i.assignee_user_id = {u} OR i.created_by = {u} OR i.id IN
                        (SELECT item_id FROM feedback_item_departments WHERE department_id = {d}))"
                ));
            }
            Scope::Own => {
                let u = sql.arg(v.user_id);
                sql.push(&format!(
                    " AND (i.assignee_user_id = {u} OR i.created_by = {u})"
                ));
            }
        }
        if let Some(d) = self.department {
            let d = sql.arg(d);
            sql.push(&format!(
                " AND i.id IN (SELECT item_id FROM feedback_item_departments WHERE department_id = {d})"
            ));
        }
        if let Some(o) = self.owner {
            let o = sql.arg(o);
            sql.push(&format!(" AND i.assignee_user_id = {o}"));
        }
    }

    /// Feedback items created in the period, duplicates left out.
    fn feedback_in_period(&self, sql: &mut Sql) {
        let s = sql.arg(self.start());
        let e = sql.arg(self.end());
        sql.push(&format!(
            " AND i.created_at >= {s} AND i.created_at < {e} AND i.status <> 'duplicate'"
        ));
        self.feedback(sql);
    }

    /// Survey answers grouped by month, kind and score.
    pub(super) fn scores(&self, conn: &Connection) -> Result<Vec<ScoreRow>> {
        let mut sql = Sql::new();
        self.months(&mut sql);
        sql.push(
            "SELECT m.k, r.kind, r.score, count(*) FROM m
             JOIN survey_responses r ON r.responded_at >= m.s AND r.responded_at < m.e
             JOIN customers c ON c.id = r.customer_id WHERE 1 = 1",
        );
        self.customers(&mut sql);
        sql.push(" GROUP BY m.k, r.kind, r.score");
        sql.rows(conn, |r| {
            let kind: String = r.get(1)?;
            Ok((
                r.get(0)?,
                SurveyKind::parse(&kind).unwrap_or(SurveyKind::Csat),
                r.get(2)?,
                r.get(3)?,
            ))
        })
    }

    /// Feedback grouped by month, top-level category, channel and closed or not.
    pub(super) fn volume(&self, conn: &Connection) -> Result<Vec<VolumeRow>> {
        let mut sql = Sql::new();
        self.months(&mut sql);
        sql.push(
            "SELECT m.k, coalesce(p.code, cat.code), i.channel, i.status = 'closed', count(*) FROM m
             JOIN feedback_items i ON i.created_at >= m.s AND i.created_at < m.e
             JOIN feedback_categories cat ON cat.id = i.category_id
             LEFT JOIN feedback_categories p ON p.id = cat.parent_id
             WHERE i.status <> 'duplicate'",
        );
        self.feedback(&mut sql);
        sql.push(" GROUP BY 1, 2, 3, 4");
        sql.rows(conn, |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
    }

    /// Open items, not waiting for the customer, past their resolution limit at `now`.
    pub(super) fn overdue_now(&self, conn: &Connection, now: DateTime<Utc>) -> Result<i64> {
        let mut sql = Sql::new();
        let n = sql.arg(now.timestamp());
        sql.push(&format!(
            "SELECT count(*) FROM feedback_items i
             WHERE i.status IN ('new', 'in_progress') AND i.resolution_due_at <= {n}"
        ));
        self.feedback(&mut sql);
        Ok(sql.rows(conn, |r| r.get(0))?.first().copied().unwrap_or(0))
    }

    /// The departments listed in the timeliness table (one when the filter names one).
    pub(super) fn departments(&self, conn: &Connection) -> Result<Vec<(i64, String)>> {
        let mut sql = Sql::new();
        sql.push("SELECT id, name FROM departments WHERE archived = 0");
        if let Some(d) = self.department {
            let d = sql.arg(d);
            sql.push(&format!(" AND id = {d}"));
        }
        sql.push(" ORDER BY sort, id");
        sql.rows(conn, |r| Ok((r.get(0)?, r.get(1)?)))
    }

    /// The SLA columns of the period's items with their lead department.
    pub(super) fn timeliness_rows(&self, conn: &Connection) -> Result<Vec<TimelinessRow>> {
        let mut sql = Sql::new();
        sql.push(
            "SELECT fd.department_id, i.response_due_at, i.first_response_at,
                    CASE WHEN i.status = 'closed' THEN i.closed_at END, i.was_late,
                    i.elapsed_business_secs
             FROM feedback_items i
             LEFT JOIN feedback_item_departments fd ON fd.item_id = i.id AND fd.role = 'lead'
             WHERE 1 = 1",
        );
        self.feedback_in_period(&mut sql);
        sql.rows(conn, |r| {
            Ok(TimelinessRow {
                department_id: r.get(0)?,
                response_due_at: r.get(1)?,
                first_response_at: r.get(2)?,
                closed_at: r.get(3)?,
                was_late: r.get(4)?,
                elapsed_business_secs: r.get(5)?,
            })
        })
    }

    /// Complaints of the period per sub-category: `(id, name_zh, name_en, count)`.
    pub(super) fn complaint_categories(
        &self,
        conn: &Connection,
    ) -> Result<Vec<(String, String, String, i64)>> {
        let mut sql = Sql::new();
        sql.push(
            "SELECT cat.id, cat.name_zh, cat.name_en, count(*) FROM feedback_items i
             JOIN feedback_categories cat ON cat.id = i.category_id
             JOIN feedback_categories p ON p.id = cat.parent_id AND p.code = 'complaint'
             WHERE 1 = 1",
        );
        self.feedback_in_period(&mut sql);
        sql.push(" GROUP BY cat.id");
        sql.rows(conn, |r| {
            Ok((
                r.get::<_, i64>(0)?.to_string(),
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
            ))
        })
    }

    /// Complaints of the period per tag of their customer: `(id, name, name, count)`.
    pub(super) fn complaint_tags(
        &self,
        conn: &Connection,
    ) -> Result<Vec<(String, String, String, i64)>> {
        let mut sql = Sql::new();
        sql.push(
            "SELECT t.id, t.name, count(*) FROM feedback_items i
             JOIN feedback_categories cat ON cat.id = i.category_id
             JOIN feedback_categories p ON p.id = cat.parent_id AND p.code = 'complaint'
             JOIN customer_tags ct ON ct.customer_id = i.customer_id
             JOIN tags t ON t.id = ct.tag_id
             WHERE 1 = 1",
        );
        self.feedback_in_period(&mut sql);
        sql.push(" GROUP BY t.id");
        sql.rows(conn, |r| {
            let name: String = r.get(1)?;
            Ok((
                r.get::<_, i64>(0)?.to_string(),
                name.clone(),
                name,
                r.get(2)?,
            ))
        })
    }

    /// Planned call-backs per tier (`(tier, planned, done)`) and call-backs logged per tier.
    pub(super) fn callbacks(&self, conn: &Connection) -> Result<CallbackRows> {
        let mut sql = Sql::new();
        let s = sql.arg(self.start());
        let e = sql.arg(self.end());
        sql.push(&format!(
            "SELECT c.tier, count(*), sum(t.status = 'done') FROM tasks t
             JOIN customers c ON c.id = t.customer_id
             WHERE t.source_kind = 'plan' AND t.status <> 'cancelled'
               AND t.due_at >= {s} AND t.due_at < {e}"
        ));
        self.customers(&mut sql);
        sql.push(" GROUP BY c.tier");
        let planned = sql.rows(conn, |r| {
            Ok((Tier::parse(&r.get::<_, String>(0)?), r.get(1)?, r.get(2)?))
        })?;
        let mut sql = Sql::new();
        let s = sql.arg(self.start());
        let e = sql.arg(self.end());
        sql.push(&format!(
            "SELECT c.tier, count(*) FROM interactions x
             JOIN customers c ON c.id = x.customer_id
             WHERE x.channel = 'callback' AND x.deleted_at IS NULL
               AND x.occurred_at >= {s} AND x.occurred_at < {e}"
        ));
        self.customers(&mut sql);
        sql.push(" GROUP BY c.tier");
        let logged = sql.rows(conn, |r| {
            Ok((Tier::parse(&r.get::<_, String>(0)?), r.get(1)?))
        })?;
        Ok((planned, logged))
    }

    /// Survey answers of the period grouped by the customer's department (`none` without one).
    pub(super) fn scores_by_department(&self, conn: &Connection) -> Result<Vec<ScoreRow>> {
        let mut sql = Sql::new();
        let s = sql.arg(self.start());
        let e = sql.arg(self.end());
        sql.push(&format!(
            "SELECT coalesce(CAST(c.department_id AS TEXT), 'none'), r.kind, r.score, count(*)
             FROM survey_responses r JOIN customers c ON c.id = r.customer_id
             WHERE r.responded_at >= {s} AND r.responded_at < {e}"
        ));
        self.customers(&mut sql);
        sql.push(" GROUP BY 1, 2, 3");
        sql.rows(conn, |r| {
            let kind: String = r.get(1)?;
            Ok((
                r.get(0)?,
                SurveyKind::parse(&kind).unwrap_or(SurveyKind::Csat),
                r.get(2)?,
                r.get(3)?,
            ))
        })
    }

    /// The period's complaints in the columns of table 3, oldest first.
    pub(super) fn complaint_rows(
        &self,
        conn: &Connection,
        tz: Tz,
        now: i64,
    ) -> Result<Vec<ComplaintRow>> {
        let mut sql = Sql::new();
        sql.push(
            "SELECT i.number, coalesce(c.name, i.unknown_name), i.created_at, i.channel,
                    coalesce(ct.name, ''), cat.name_zh, cat.name_en, i.description, i.occurred_at,
                    i.impact, i.customer_expectation, i.investigation_result, coalesce(d.name, ''),
                    i.root_cause, i.solution, i.compensation_kind, i.compensation_amount,
                    coalesce(u.display_name, ''), i.status,
                    CASE WHEN i.status = 'closed' THEN i.closed_at END, i.response_due_at,
                    i.first_response_at, i.was_late, i.satisfaction_score
             FROM feedback_items i
             JOIN feedback_categories cat ON cat.id = i.category_id
             JOIN feedback_categories p ON p.id = cat.parent_id AND p.code = 'complaint'
             LEFT JOIN customers c ON c.id = i.customer_id
             LEFT JOIN contacts ct ON ct.id = i.contact_id
             LEFT JOIN departments d ON d.id = coalesce(i.responsible_department_id,
                 (SELECT department_id FROM feedback_item_departments
                  WHERE item_id = i.id AND role = 'lead'))
             LEFT JOIN users u ON u.id = i.assignee_user_id
             WHERE 1 = 1",
        );
        self.feedback_in_period(&mut sql);
        sql.push(" ORDER BY i.created_at, i.id");
        sql.rows(conn, |r| {
            let closed: Option<i64> = r.get(19)?;
            let due: i64 = r.get(20)?;
            let responded: Option<i64> = r.get(21)?;
            let late: bool = r.get(22)?;
            Ok(ComplaintRow {
                number: r.get(0)?,
                customer: r.get(1)?,
                date: local_date(r.get(2)?, tz),
                channel: r.get(3)?,
                contact: r.get(4)?,
                category_zh: r.get(5)?,
                category_en: r.get(6)?,
                description: r.get(7)?,
                occurred_on: r.get::<_, Option<i64>>(8)?.map(|t| local_date(t, tz)),
                impact: r.get(9)?,
                expectation: r.get(10)?,
                investigation: r.get(11)?,
                department: r.get(12)?,
                root_cause: r.get(13)?,
                solution: r.get(14)?,
                compensation_kind: r.get(15)?,
                compensation: Money(r.get(16)?),
                assignee: r.get(17)?,
                status: r.get(18)?,
                closed_on: closed.map(|t| local_date(t, tz)),
                response_on_time: match responded {
                    Some(t) => Some(t <= due),
                    None if due <= now => Some(false),
                    None => None,
                },
                resolved_on_time: closed.map(|_| !late),
                satisfaction: r.get(23)?,
            })
        })
    }

    /// The period's call-backs in the columns of table 2, oldest first.
    pub(super) fn callback_rows(&self, conn: &Connection, tz: Tz) -> Result<Vec<CallbackRow>> {
        let mut sql = Sql::new();
        let s = sql.arg(self.start());
        let e = sql.arg(self.end());
        sql.push(&format!(
            "SELECT c.name, c.tier, x.occurred_at, coalesce(u.display_name, ''), x.subject,
                    x.key_points, x.customer_needs, x.commitments, x.next_step,
                    coalesce(d.name, ''), coalesce(o.display_name, ''), x.satisfaction
             FROM interactions x
             JOIN customers c ON c.id = x.customer_id
             LEFT JOIN users u ON u.id = x.created_by
             LEFT JOIN departments d ON d.id = c.department_id
             LEFT JOIN users o ON o.id = c.owner_user_id
             WHERE x.channel = 'callback' AND x.deleted_at IS NULL
               AND x.occurred_at >= {s} AND x.occurred_at < {e}"
        ));
        self.customers(&mut sql);
        sql.push(" ORDER BY x.occurred_at, x.id");
        let join = |a: String, b: String| {
            [a, b]
                .into_iter()
                .filter(|x| !x.trim().is_empty())
                .collect::<Vec<_>>()
                .join("；")
        };
        sql.rows(conn, |r| {
            Ok(CallbackRow {
                customer: r.get(0)?,
                tier: r.get(1)?,
                date: local_date(r.get(2)?, tz),
                caller: r.get(3)?,
                goal: r.get(4)?,
                feedback: join(r.get(5)?, r.get(6)?),
                todo: join(r.get(7)?, r.get(8)?),
                department: r.get(9)?,
                owner: r.get(10)?,
                satisfaction: r.get(11)?,
            })
        })
    }

    /// Customers (not archived) by stage and tier.
    pub(super) fn stage_tier(&self, conn: &Connection) -> Result<Vec<StageTierCount>> {
        let mut sql = Sql::new();
        sql.push("SELECT c.stage, c.tier, count(*) FROM customers c WHERE c.archived = 0");
        self.customers(&mut sql);
        sql.push(" GROUP BY c.stage, c.tier ORDER BY c.stage, c.tier");
        sql.rows(conn, |r| {
            Ok(StageTierCount {
                stage: r.get(0)?,
                tier: r.get(1)?,
                count: r.get(2)?,
            })
        })
    }

    /// What the churn-risk rule needs of every signed or strategic customer in scope.
    pub(super) fn risk_inputs(
        &self,
        conn: &Connection,
        tz: Tz,
        recent_from: DateTime<Utc>,
    ) -> Result<Vec<RiskInput>> {
        let mut sql = Sql::new();
        let recent = sql.arg(recent_from.timestamp());
        sql.push(&format!(
            "SELECT c.id, c.number, c.name, c.tier, coalesce(u.display_name, ''), c.coop_start,
                    c.created_at, c.last_contact_at,
                    (SELECT max(x.occurred_at) FROM interactions x
                     WHERE x.customer_id = c.id AND x.channel = 'callback' AND x.deleted_at IS NULL),
                    (SELECT count(*) FROM feedback_items i
                     JOIN feedback_categories cat ON cat.id = i.category_id
                     JOIN feedback_categories p ON p.id = cat.parent_id AND p.code = 'complaint'
                     WHERE i.customer_id = c.id
                       AND i.status IN ('new', 'in_progress', 'awaiting_customer')),
                    (SELECT min(s.score) FROM survey_responses s WHERE s.customer_id = c.id
                       AND s.kind = 'nps' AND s.responded_at >= {recent}),
                    (SELECT min(s.score) FROM survey_responses s WHERE s.customer_id = c.id
                       AND s.kind = 'csat' AND s.responded_at >= {recent})
             FROM customers c LEFT JOIN users u ON u.id = c.owner_user_id
             WHERE c.archived = 0 AND c.stage IN ('signed', 'strategic')"
        ));
        self.customers(&mut sql);
        sql.rows(conn, |r| {
            let coop: Option<String> = r.get(5)?;
            let created: i64 = r.get(6)?;
            let start = coop
                .and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
                .unwrap_or_else(|| local_date(created, tz));
            Ok(RiskInput {
                customer_id: r.get(0)?,
                number: r.get(1)?,
                name: r.get(2)?,
                tier: Tier::parse(&r.get::<_, String>(3)?),
                owner: r.get(4)?,
                start,
                last_contact: r.get::<_, Option<i64>>(7)?.map(|t| local_date(t, tz)),
                last_callback: r.get::<_, Option<i64>>(8)?.map(|t| local_date(t, tz)),
                open_complaints: r.get(9)?,
                min_recent_nps: r.get(10)?,
                min_recent_csat: r.get(11)?,
            })
        })
    }
}

/// The top-level feedback categories, for labels and drill-down.
pub(super) fn top_categories(conn: &Connection) -> Result<Vec<CategoryLabel>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, code, name_zh, name_en FROM feedback_categories
         WHERE parent_id IS NULL ORDER BY sort, id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(CategoryLabel {
                id: r.get(0)?,
                code: r.get(1)?,
                name_zh: r.get(2)?,
                name_en: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
