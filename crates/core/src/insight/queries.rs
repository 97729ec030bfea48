//! The dashboard's storage side: one grouped, set-based query per figure, each restricted to
//! the viewer's scope and the filter, returning the plain rows `figures.rs` turns into numbers.

use super::figures::{RiskEntry, RiskInput, ScoreRow, TimelinessRow, TimelinessTally, VolumeRow};
use super::report::{CallbackRow, ComplaintRow};
use super::{CategoryLabel, InsightFilter, MonthSpan, StageTierCount, Viewer};
use crate::Result;
use crate::money::Money;
use crate::permission::Scope;
use crate::plan::Tier;
use crate::survey::SurveyKind;
use chrono::{DateTime, NaiveDate, Utc};
use chrono::{Offset, TimeZone};
use chrono_tz::Tz;
use rusqlite::Connection;
use rusqlite::types::{Type, Value};
use std::collections::{BTreeMap, HashMap};

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

    /// Feed every row to `f`: for figures aggregated while reading, so no row is kept.
    fn each(
        &self,
        conn: &Connection,
        f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<()>,
    ) -> Result<()> {
        each_row(
            conn,
            &self.text,
            rusqlite::params_from_iter(self.args.iter()),
            f,
        )
    }
}

/// Plan tasks due in a period (`?1`, `?2`) with their customer and whether they are done; read
/// from the covering `insight_tasks_plan` index alone. Named, because without statistics (a
/// new database) the planner prefers the index of every task by source, which looks up each.
const PLANNED_CALLBACKS: &str = "SELECT t.customer_id, t.status = 'done'
     FROM tasks t INDEXED BY insight_tasks_plan
     WHERE t.source_kind = 'plan' AND t.status <> 'cancelled' AND t.due_at >= ?1 AND t.due_at < ?2";

/// The customers of the call-backs logged in a period (`?1`, `?2`); read from the covering
/// `insight_callbacks_time` index alone.
const LOGGED_CALLBACKS: &str = "SELECT x.customer_id FROM interactions x
     WHERE x.channel = 'callback' AND x.deleted_at IS NULL
       AND x.occurred_at >= ?1 AND x.occurred_at < ?2";

/// What [`Query::customer_facts`] reads of each customer, before the scope's conditions.
const CUSTOMER_FACTS: &str = "SELECT c.id, c.archived, c.stage, c.tier, c.created_at,
     c.last_contact_at, c.coop_start, c.last_callback_at FROM customers c WHERE 1 = 1";

/// Feed every row of `sql` to `f`: for figures aggregated while reading, so no row is kept.
fn each_row(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    mut f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    while let Some(r) = rows.next()? {
        f(r)?;
    }
    Ok(())
}

/// A text column, borrowed rather than copied (the figures read one per row).
fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, Type::Text, Box::new(e)))
}

/// Largest id kept in [`PerId`]'s vector (16 M ids, 16 M values at most).
const DENSE_IDS: i64 = 1 << 24;

/// A value per row id while aggregating: a vector indexed by id for the compact ids SQLite
/// assigns (a hash look-up for each of several hundred thousand rows would cost more than
/// reading them), a map for any id beyond it. Absent ids read as the default.
pub(super) struct PerId<T> {
    dense: Vec<T>,
    sparse: HashMap<i64, T>,
}

/// A value per customer.
type PerCustomer<T> = PerId<T>;

impl<T: Copy + Default> PerId<T> {
    /// Room for the ids of `table` (a vector up to its largest id).
    fn of(conn: &Connection, table: &str) -> Result<Self> {
        // A bare max(id) is read from the end of the table's b-tree; wrapped in another
        // function it would scan the whole table.
        let max: Option<i64> =
            conn.query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))?;
        let len = usize::try_from(max.unwrap_or(0).clamp(0, DENSE_IDS) + 1).unwrap_or(1);
        Ok(PerId {
            dense: vec![T::default(); len],
            sparse: HashMap::new(),
        })
    }

    fn new(conn: &Connection) -> Result<Self> {
        Self::of(conn, "customers")
    }

    fn get(&self, id: i64) -> T {
        match usize::try_from(id) {
            Ok(i) if i < self.dense.len() => self.dense[i],
            _ => self.sparse.get(&id).copied().unwrap_or_default(),
        }
    }

    fn get_mut(&mut self, id: i64) -> &mut T {
        match usize::try_from(id) {
            Ok(i) if i < self.dense.len() => &mut self.dense[i],
            _ => self.sparse.entry(id).or_default(),
        }
    }
}

/// The tier of every customer in the viewer's scope and the filter; `None` outside them.
pub(super) type Tiers = PerCustomer<Option<Tier>>;

/// A feedback category as the figures group by it.
struct Category {
    /// The top-level category's code (its own for a top-level one), as an index into
    /// [`Categories::tops`].
    top: usize,
    /// A sub-category of complaints.
    complaint: bool,
    name_zh: String,
    name_en: String,
}

/// Every feedback category (a handful of rows), found by id without hashing.
struct Categories {
    list: Vec<Category>,
    /// Position in `list` + 1 by id (0: no such category).
    by_id: PerId<usize>,
    /// The distinct top-level codes.
    tops: Vec<String>,
}

impl Categories {
    fn read(conn: &Connection) -> Result<Categories> {
        let mut stmt = conn.prepare_cached(
            "SELECT cat.id, coalesce(p.code, cat.code), coalesce(p.code = 'complaint', 0),
                    cat.name_zh, cat.name_en
             FROM feedback_categories cat
             LEFT JOIN feedback_categories p ON p.id = cat.parent_id",
        )?;
        let mut out = Categories {
            list: Vec::new(),
            by_id: PerId::of(conn, "feedback_categories")?,
            tops: Vec::new(),
        };
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let top: String = r.get(1)?;
            let top = match out.tops.iter().position(|t| *t == top) {
                Some(i) => i,
                None => {
                    out.tops.push(top);
                    out.tops.len() - 1
                }
            };
            out.list.push(Category {
                top,
                complaint: r.get(2)?,
                name_zh: r.get(3)?,
                name_en: r.get(4)?,
            });
            *out.by_id.get_mut(r.get(0)?) = out.list.len();
        }
        Ok(out)
    }

    fn get(&self, id: i64) -> Option<&Category> {
        self.by_id
            .get(id)
            .checked_sub(1)
            .and_then(|i| self.list.get(i))
    }
}

/// A stored `YYYY-MM-DD` date. The exact form is read directly (chrono's general parser costs
/// more than the rest of the churn-risk rule for each customer); anything else goes through
/// chrono.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let num = |r: std::ops::Range<usize>| {
            b[r].iter().try_fold(0_u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10))
            && let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d)
        {
            return Some(date);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The period's feedback read in one pass, as the rows each figure built on it needs.
pub(super) struct FeedbackPeriod {
    /// Grouped by month, top-level category code, channel and closed or not.
    pub volume: Vec<VolumeRow>,
    /// Every item counted by its lead department.
    pub timeliness: TimelinessTally,
    /// Complaints per sub-category, `(id, name_zh, name_en, count)`, by id.
    pub by_category: Vec<(String, String, String, i64)>,
    /// The customer of each complaint that has one (once per complaint).
    pub complaint_customers: Vec<i64>,
}

/// Index of a tier in per-tier arrays.
fn tier_index(t: Tier) -> usize {
    match t {
        Tier::A => 0,
        Tier::B => 1,
        Tier::C => 2,
    }
}

const TIERS: [Tier; 3] = [Tier::A, Tier::B, Tier::C];

/// What the dashboard reads of the customers in scope (see [`Query::customer_facts`]).
pub(super) struct CustomerFacts {
    /// Every customer's tier.
    pub tiers: Tiers,
    /// Customers (not archived) by stage and tier, ordered by both.
    pub stage_tier: Vec<StageTierCount>,
    /// What the churn-risk rule needs, when asked for.
    pub risk: Vec<RiskInput>,
}

/// Local dates of instants in the team's time zone. The zone's offset is looked up once per
/// UTC day and reused for every instant of that day when it is the same at both ends of the
/// day (the look-up costs more than the rest of the churn-risk rule for each customer); a day
/// with a change of offset is converted instant by instant.
struct LocalDates {
    tz: Tz,
    offsets: HashMap<i64, Option<i64>>,
}

impl LocalDates {
    fn new(tz: Tz) -> LocalDates {
        LocalDates {
            tz,
            offsets: HashMap::new(),
        }
    }

    fn date(&mut self, secs: i64) -> NaiveDate {
        let tz = self.tz;
        let offset_at = |t: i64| {
            i64::from(
                tz.offset_from_utc_datetime(&crate::clock::from_unix(t).naive_utc())
                    .fix()
                    .local_minus_utc(),
            )
        };
        let day = secs.div_euclid(86_400);
        let offset = *self.offsets.entry(day).or_insert_with(|| {
            let first = offset_at(day * 86_400);
            (first == offset_at(day * 86_400 + 86_399)).then_some(first)
        });
        match offset {
            Some(o) => crate::clock::from_unix(secs + o).date_naive(),
            None => local_date(secs, tz),
        }
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
pub(super) fn local_date(secs: i64, tz: Tz) -> NaiveDate {
    crate::clock::from_unix(secs)
        .with_timezone(&tz)
        .date_naive()
}

/// The columns (and joins) of a table-2 row, read by [`callback_row`]; the caller adds the
/// conditions. `i` is the interaction, `c` its customer.
pub(super) const CALLBACK_ROW_COLUMNS: &str =
    "c.name, c.tier, i.occurred_at, ch.name_zh, ch.name_en, coalesce(u.display_name, ''),
     i.subject, i.key_points, i.customer_needs, i.commitments,
     (SELECT group_concat(t.title, '；') FROM tasks t
      WHERE t.source_kind = 'interaction' AND t.source_id = i.id AND +t.status <> 'cancelled'),
     coalesce((SELECT min(t.due_at) FROM tasks t
               WHERE t.source_kind = 'interaction' AND t.source_id = i.id AND +t.status = 'open'),
              (SELECT min(t.due_at) FROM tasks t
               WHERE t.source_kind = 'interaction' AND t.source_id = i.id AND +t.status = 'done')),
     coalesce(d.name, ''), coalesce(o.display_name, ''), i.satisfaction, i.next_step
     FROM interactions i
     JOIN customers c ON c.id = i.customer_id
     JOIN interaction_channels ch ON ch.code = i.channel
     LEFT JOIN users u ON u.id = i.created_by
     LEFT JOIN departments d ON d.id = c.department_id
     LEFT JOIN users o ON o.id = c.owner_user_id";

/// One table-2 row from the columns of [`CALLBACK_ROW_COLUMNS`].
pub(super) fn callback_row(r: &rusqlite::Row<'_>, tz: Tz) -> rusqlite::Result<CallbackRow> {
    let join = |parts: [String; 2]| {
        parts
            .into_iter()
            .filter(|x| !x.trim().is_empty())
            .collect::<Vec<_>>()
            .join("；")
    };
    Ok(CallbackRow {
        customer: r.get(0)?,
        tier: r.get(1)?,
        date: local_date(r.get(2)?, tz),
        method_zh: r.get(3)?,
        method_en: r.get(4)?,
        caller: r.get(5)?,
        goal: r.get(6)?,
        feedback: join([r.get(7)?, r.get(8)?]),
        todo: join([
            r.get(9)?,
            r.get::<_, Option<String>>(10)?.unwrap_or_default(),
        ]),
        due: r.get::<_, Option<i64>>(11)?.map(|t| local_date(t, tz)),
        department: r.get(12)?,
        owner: r.get(13)?,
        satisfaction: r.get(14)?,
        note: r.get(15)?,
    })
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

    /// The index of the month holding instant `t`, if the period holds it.
    fn month_of(&self, t: i64) -> Option<usize> {
        let i = self.spans.partition_point(|m| m.end <= t);
        self.spans.get(i).filter(|m| m.start <= t).map(|_| i)
    }

    /// Whether the viewer's scope and the filter let every customer in.
    fn every_customer(&self) -> bool {
        self.viewer.scope == Scope::All && self.department.is_none() && self.owner.is_none()
    }

    /// [`Self::scores`] when every customer is in view: a count over an index range per month,
    /// kind and score (every answer has a customer: the foreign key deletes answers with it),
    /// so no answer is read one by one.
    fn score_counts(&self, conn: &Connection) -> Result<Vec<ScoreRow>> {
        let mut stmt = conn.prepare_cached(
            "SELECT count(*) FROM survey_responses r
             WHERE r.kind = ?1 AND r.score = ?2 AND r.responded_at >= ?3 AND r.responded_at < ?4",
        )?;
        let mut out = Vec::new();
        for m in self.spans {
            for kind in [SurveyKind::Nps, SurveyKind::Csat] {
                let (low, high) = kind.range();
                for score in low..=high {
                    let n: i64 = stmt.query_row(
                        rusqlite::params![kind.as_str(), score, m.start, m.end],
                        |r| r.get(0),
                    )?;
                    if n > 0 {
                        out.push((m.key.clone(), kind, score, n));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Scope and filter conditions on the customers table aliased `c`. The department is
    /// compared as `+c.department_id`, which keeps SQLite off the department index: a
    /// department holds up to half the customers, and reading them through that index costs a
    /// table look-up each, while the covering `insight_customers` index is read straight
    /// through in less than half the time (60 → 24 ms for 54 000 of 100 000 customers).
    fn customers(&self, sql: &mut Sql) {
        let v = self.viewer;
        match v.scope {
            Scope::All => {}
            Scope::Department => {
                let u = sql.arg(v.user_id);
                let d = sql.arg(v.department_id.map_or(Value::Null, Value::Integer));
                sql.push(&format!(
                    " AND (c.owner_user_id = {u} OR +c.department_id = {d})"
                ));
            }
            Scope::Own => {
                let u = sql.arg(v.user_id);
                sql.push(&format!(" AND c.owner_user_id = {u}"));
            }
        }
        if let Some(d) = self.department {
            let d = sql.arg(d);
            sql.push(&format!(" AND +c.department_id = {d}"));
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

    /// Survey answers of the customers in scope, grouped by month, kind and score.
    pub(super) fn scores(&self, conn: &Connection, tiers: &Tiers) -> Result<Vec<ScoreRow>> {
        if self.every_customer() {
            return self.score_counts(conn);
        }
        let mut sql = Sql::new();
        let s = sql.arg(self.start());
        let e = sql.arg(self.end());
        sql.push(&format!(
            "SELECT r.responded_at, r.kind = 'nps', r.score, r.customer_id FROM survey_responses r
             WHERE r.responded_at >= {s} AND r.responded_at < {e}"
        ));
        let mut groups: BTreeMap<(usize, bool, i64), i64> = BTreeMap::new();
        sql.each(conn, |r| {
            if tiers.get(r.get(3)?).is_some()
                && let Some(m) = self.month_of(r.get(0)?)
            {
                *groups.entry((m, r.get(1)?, r.get(2)?)).or_default() += 1;
            }
            Ok(())
        })?;
        Ok(groups
            .into_iter()
            .map(|((m, nps, score), n)| {
                let kind = if nps {
                    SurveyKind::Nps
                } else {
                    SurveyKind::Csat
                };
                (self.spans[m].key.clone(), kind, score, n)
            })
            .collect())
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

    /// The period's feedback in scope (duplicates left out), in one read of the index that
    /// covers it: volume, timeliness (judged at `now`) and complaint causes.
    pub(super) fn feedback_period(&self, conn: &Connection, now: i64) -> Result<FeedbackPeriod> {
        let categories = Categories::read(conn)?;
        let mut sql = Sql::new();
        sql.push(
            "SELECT i.created_at, i.status = 'closed', i.category_id, i.channel,
                    i.lead_department_id, i.response_due_at, i.first_response_at, i.closed_at,
                    i.was_late, i.elapsed_business_secs, i.customer_id
             FROM feedback_items i WHERE 1 = 1",
        );
        self.feedback_in_period(&mut sql);
        let mut out = FeedbackPeriod {
            volume: Vec::new(),
            timeliness: TimelinessTally::new(now),
            by_category: Vec::new(),
            complaint_customers: Vec::new(),
        };
        let mut channels: Vec<String> = Vec::new();
        // Counts by channel, then month × top-level category, then open / closed.
        let cells = self.spans.len() * categories.tops.len();
        let mut volume: Vec<Vec<[i64; 2]>> = Vec::new();
        let mut by_category: BTreeMap<i64, i64> = BTreeMap::new();
        sql.each(conn, |r| {
            let closed: bool = r.get(1)?;
            out.timeliness.add(&TimelinessRow {
                department_id: r.get(4)?,
                response_due_at: r.get(5)?,
                first_response_at: r.get(6)?,
                closed_at: if closed { r.get(7)? } else { None },
                was_late: r.get(8)?,
                elapsed_business_secs: r.get(9)?,
            });
            let category: i64 = r.get(2)?;
            let Some(cat) = categories.get(category) else {
                return Ok(());
            };
            if let Some(m) = self.month_of(r.get(0)?) {
                let channel = text(r, 3)?;
                let c = match channels.iter().position(|c| c == channel) {
                    Some(c) => c,
                    None => {
                        channels.push(channel.to_owned());
                        volume.push(vec![[0; 2]; cells]);
                        channels.len() - 1
                    }
                };
                volume[c][m * categories.tops.len() + cat.top][usize::from(closed)] += 1;
            }
            if cat.complaint {
                *by_category.entry(category).or_default() += 1;
                if let Some(customer) = r.get(10)? {
                    out.complaint_customers.push(customer);
                }
            }
            Ok(())
        })?;
        for (c, cells) in volume.iter().enumerate() {
            for (cell, counts) in cells.iter().enumerate() {
                let (m, top) = (cell / categories.tops.len(), cell % categories.tops.len());
                for (closed, &n) in [false, true].into_iter().zip(counts) {
                    if n > 0 {
                        out.volume.push((
                            self.spans[m].key.clone(),
                            categories.tops[top].clone(),
                            channels[c].clone(),
                            closed,
                            n,
                        ));
                    }
                }
            }
        }
        out.by_category = by_category
            .into_iter()
            .filter_map(|(id, n)| {
                let c = categories.get(id)?;
                Some((id.to_string(), c.name_zh.clone(), c.name_en.clone(), n))
            })
            .collect();
        Ok(out)
    }

    /// Planned call-backs per tier (`(tier, planned, done)`) and call-backs logged per tier, of
    /// the customers in scope.
    pub(super) fn callbacks(&self, conn: &Connection, tiers: &Tiers) -> Result<CallbackRows> {
        let period = [self.start(), self.end()];
        let mut planned = [(0_i64, 0_i64); 3];
        each_row(conn, PLANNED_CALLBACKS, period, |r| {
            if let Some(id) = r.get::<_, Option<i64>>(0)?
                && let Some(t) = tiers.get(id)
            {
                let p = &mut planned[tier_index(t)];
                p.0 += 1;
                p.1 += i64::from(r.get::<_, bool>(1)?);
            }
            Ok(())
        })?;
        let mut logged = [0_i64; 3];
        each_row(conn, LOGGED_CALLBACKS, period, |r| {
            if let Some(t) = tiers.get(r.get(0)?) {
                logged[tier_index(t)] += 1;
            }
            Ok(())
        })?;
        Ok((
            TIERS
                .into_iter()
                .zip(planned)
                .filter(|(_, p)| p.0 > 0)
                .map(|(t, (n, done))| (t, n, done))
                .collect(),
            TIERS
                .into_iter()
                .zip(logged)
                .filter(|(_, n)| *n > 0)
                .collect(),
        ))
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
            "SELECT {CALLBACK_ROW_COLUMNS}
             WHERE i.channel = 'callback' AND i.deleted_at IS NULL
               AND i.occurred_at >= {s} AND i.occurred_at < {e}"
        ));
        self.customers(&mut sql);
        sql.push(" ORDER BY i.occurred_at, i.id");
        sql.rows(conn, |r| callback_row(r, tz))
    }

    /// One pass over the customers in scope: their tiers, the stage × tier counts (archived
    /// customers left out) and, when `risk` gives the team's zone and where recent scores
    /// start, what the churn-risk rule needs of every signed or strategic customer. Open
    /// complaints and recent scores are read set by set rather than looked up per customer.
    /// Number, name and owner are left empty in the risk inputs: the rule needs none of them,
    /// and [`risk_labels`] reads them for the few customers listed.
    pub(super) fn customer_facts(
        &self,
        conn: &Connection,
        risk: Option<(Tz, DateTime<Utc>)>,
    ) -> Result<CustomerFacts> {
        let mut open_complaints = PerCustomer::<i64>::new(conn)?;
        // Lowest recent NPS and CSAT per customer.
        let mut scores = PerCustomer::<(Option<i64>, Option<i64>)>::new(conn)?;
        if let Some((_, recent_from)) = risk {
            let categories = Categories::read(conn)?;
            let mut stmt = conn.prepare_cached(
                "SELECT i.customer_id, i.category_id FROM feedback_items i
                 WHERE i.status IN ('new', 'in_progress', 'awaiting_customer')
                   AND i.customer_id IS NOT NULL",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                if categories.get(r.get(1)?).is_some_and(|c| c.complaint) {
                    *open_complaints.get_mut(r.get(0)?) += 1;
                }
            }
            let mut stmt = conn.prepare_cached(
                "SELECT r.customer_id, r.kind, r.score FROM survey_responses r
                 WHERE r.responded_at >= ?1",
            )?;
            let mut rows = stmt.query([recent_from.timestamp()])?;
            while let Some(r) = rows.next()? {
                let min = scores.get_mut(r.get(0)?);
                let slot = match text(r, 1)? {
                    "nps" => &mut min.0,
                    "csat" => &mut min.1,
                    _ => continue,
                };
                let score: i64 = r.get(2)?;
                *slot = Some(slot.map_or(score, |s| s.min(score)));
            }
        }
        let mut dates = risk.map(|(tz, _)| LocalDates::new(tz));
        let mut out = CustomerFacts {
            tiers: Tiers::new(conn)?,
            stage_tier: Vec::new(),
            risk: Vec::new(),
        };
        // Stage × tier counts keyed by the stored texts, interned.
        let mut labels: Vec<String> = Vec::new();
        let mut counts: BTreeMap<(usize, usize), i64> = BTreeMap::new();
        let mut sql = Sql::new();
        sql.push(CUSTOMER_FACTS);
        self.customers(&mut sql);
        sql.each(conn, |r| {
            let id: i64 = r.get(0)?;
            let tier_text = text(r, 3)?;
            let tier = Tier::parse(tier_text);
            *out.tiers.get_mut(id) = Some(tier);
            if r.get::<_, bool>(1)? {
                return Ok(());
            }
            let stage = text(r, 2)?;
            let mut intern = |s: &str| match labels.iter().position(|l| l == s) {
                Some(i) => i,
                None => {
                    labels.push(s.to_owned());
                    labels.len() - 1
                }
            };
            let key = (intern(stage), intern(tier_text));
            *counts.entry(key).or_default() += 1;
            let Some(dates) = dates.as_mut() else {
                return Ok(());
            };
            if stage != "signed" && stage != "strategic" {
                return Ok(());
            }
            let coop = r
                .get_ref(6)?
                .as_str_or_null()
                .ok()
                .flatten()
                .and_then(parse_date);
            let start = match coop {
                Some(d) => d,
                None => dates.date(r.get(4)?),
            };
            let (min_recent_nps, min_recent_csat) = scores.get(id);
            out.risk.push(RiskInput {
                customer_id: id,
                number: String::new(),
                name: String::new(),
                tier,
                owner: String::new(),
                start,
                last_contact: r.get::<_, Option<i64>>(5)?.map(|t| dates.date(t)),
                last_callback: r.get::<_, Option<i64>>(7)?.map(|t| dates.date(t)),
                open_complaints: open_complaints.get(id),
                min_recent_nps,
                min_recent_csat,
            });
            Ok(())
        })?;
        out.stage_tier = counts
            .into_iter()
            .map(|((stage, tier), count)| StageTierCount {
                stage: labels[stage].clone(),
                tier: labels[tier].clone(),
                count,
            })
            .collect();
        out.stage_tier
            .sort_by(|a, b| (&a.stage, &a.tier).cmp(&(&b.stage, &b.tier)));
        Ok(out)
    }
}

/// Complaints per tag of their customer, `(id, name, name, count)` by tag id: a complaint
/// counts once for each tag its customer has.
pub(super) fn complaint_tags(
    conn: &Connection,
    complaint_customers: &[i64],
) -> Result<Vec<(String, String, String, i64)>> {
    if complaint_customers.is_empty() {
        return Ok(Vec::new());
    }
    let mut per_customer = PerCustomer::<i64>::new(conn)?;
    for &c in complaint_customers {
        *per_customer.get_mut(c) += 1;
    }
    let mut by_tag: BTreeMap<i64, i64> = BTreeMap::new();
    let mut stmt = conn.prepare_cached("SELECT customer_id, tag_id FROM customer_tags")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let n = per_customer.get(r.get(0)?);
        if n > 0 {
            *by_tag.entry(r.get(1)?).or_default() += n;
        }
    }
    let mut stmt = conn.prepare_cached("SELECT id, name FROM tags")?;
    let names: HashMap<i64, String> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(by_tag
        .into_iter()
        .filter_map(|(id, n)| {
            let name = names.get(&id)?;
            Some((id.to_string(), name.clone(), name.clone(), n))
        })
        .collect())
}

/// Fill in the number, name and owner of the listed churn-risk entries (see
/// [`Query::risk_inputs`]).
pub(super) fn risk_labels(conn: &Connection, entries: &mut [RiskEntry]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.number, c.name, coalesce(u.display_name, '') FROM customers c
         LEFT JOIN users u ON u.id = c.owner_user_id WHERE c.id = ?1",
    )?;
    for e in entries {
        (e.number, e.name, e.owner) =
            stmt.query_row([e.customer_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan SQLite picks for `sql` with `params`, one line per step.
    fn plan(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(params, |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        rows.join("\n")
    }

    #[test]
    fn call_back_figures_read_their_indexes_alone() {
        let conn = crate::db::open_in_memory().unwrap();
        for (sql, index) in [
            (PLANNED_CALLBACKS, "insight_tasks_plan"),
            (LOGGED_CALLBACKS, "insight_callbacks_time"),
        ] {
            let plan = plan(&conn, sql, [0, 1]);
            assert!(
                plan.contains(&format!("USING COVERING INDEX {index}")),
                "{sql}\n{plan}"
            );
        }
    }

    #[test]
    fn customers_of_a_department_are_read_from_the_covering_index() {
        let conn = crate::db::open_in_memory().unwrap();
        let spans = [MonthSpan {
            key: "2026-01".into(),
            start: 0,
            end: 1,
        }];
        let head = Viewer {
            scope: Scope::Department,
            user_id: 1,
            department_id: Some(1),
        };
        let all = Viewer {
            scope: Scope::All,
            ..head
        };
        let department = InsightFilter {
            department_id: Some(1),
            ..Default::default()
        };
        for (viewer, filter) in [(head, InsightFilter::default()), (all, department)] {
            let q = Query::new(viewer, &filter, &spans);
            let mut sql = Sql::new();
            sql.push(CUSTOMER_FACTS);
            q.customers(&mut sql);
            let plan = plan(
                &conn,
                &sql.text,
                rusqlite::params_from_iter(sql.args.iter()),
            );
            assert!(
                plan.contains("USING COVERING INDEX insight_customers"),
                "{}\n{plan}",
                sql.text
            );
        }
    }

    #[test]
    fn stored_dates_read_as_chrono_reads_them() {
        for s in [
            "2025-03-01",
            "1999-12-31",
            "2024-02-29",
            "2025-02-29",
            "2025-13-01",
            "2025-3-1",
            "20250301",
            "abcd-ef-gh",
            "",
            "2025-03-01x",
            "+2025-03-01",
        ] {
            assert_eq!(
                parse_date(s),
                NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn local_dates_follow_the_zone_across_changes_of_offset() {
        // China (no changes), Berlin (summer time), St John's (half-hour offset) and Lord Howe
        // (half-hour summer time): every 17 minutes or so over three years.
        for tz in [
            chrono_tz::Asia::Shanghai,
            chrono_tz::Europe::Berlin,
            chrono_tz::America::St_Johns,
            chrono_tz::Australia::Lord_Howe,
        ] {
            let mut dates = LocalDates::new(tz);
            let start = 1_700_000_000;
            for t in (start..start + 3 * 366 * 86_400).step_by(1_013) {
                assert_eq!(dates.date(t), local_date(t, tz), "{tz} at {t}");
            }
        }
    }
}
