//! The customer list: filters, a whitelisted sort, pagination with a total count, all within
//! the actor's scope. Archived customers are hidden unless asked for.

use super::model::{Customer, Stage, Tier};
use super::scope;
use super::store::{COLUMNS, customer_from_row};
use crate::account::Actor;
use crate::permission::Action;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};
use serde::{Deserialize, Serialize};

/// Columns the list sorts on. Each maps to a fixed SQL expression: user input never reaches
/// the SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Number.
    Number,
    /// Name.
    Name,
    /// Industry.
    Industry,
    /// Stage.
    Stage,
    /// Tier.
    Tier,
    /// Annual amount.
    AnnualAmount,
    /// Cooperation start.
    CoopStart,
    /// Contract end.
    ContractEnd,
    /// Next follow-up date.
    NextFollowupOn,
    /// Last contact.
    LastContactAt,
    /// Owner.
    Owner,
    /// Department.
    Department,
    /// Created.
    CreatedAt,
    /// Last change (default).
    #[default]
    UpdatedAt,
}

impl SortKey {
    fn sql(self) -> &'static str {
        match self {
            SortKey::Number => "c.number",
            SortKey::Name => "c.name",
            SortKey::Industry => "c.industry",
            SortKey::Stage => "c.stage",
            SortKey::Tier => "c.tier",
            SortKey::AnnualAmount => "c.annual_amount",
            SortKey::CoopStart => "c.coop_start",
            SortKey::ContractEnd => "c.contract_end",
            SortKey::NextFollowupOn => "c.next_followup_on",
            SortKey::LastContactAt => "c.last_contact_at",
            SortKey::Owner => "c.owner_user_id",
            SortKey::Department => "c.department_id",
            SortKey::CreatedAt => "c.created_at",
            SortKey::UpdatedAt => "c.updated_at",
        }
    }
}

/// Which customers the list shows, in which order, which page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// Stage.
    pub stage: Option<Stage>,
    /// Tier.
    pub tier: Option<Tier>,
    /// Industry (exact).
    pub industry: Option<String>,
    /// Tag id.
    pub tag_id: Option<i64>,
    /// Owner.
    pub owner_user_id: Option<i64>,
    /// Department.
    pub department_id: Option<i64>,
    /// Show archived customers instead of active ones.
    pub archived: bool,
    /// Only customers not contacted for at least this many days (never contacted included).
    pub no_contact_days: Option<u32>,
    /// Text: any substring of name, contact, phone, email, tag, pinyin.
    pub q: Option<String>,
    /// Sort column.
    pub sort: SortKey,
    /// Descending.
    pub desc: bool,
    /// Rows to skip.
    pub offset: u32,
    /// Rows per page (1–500; 0 means 50).
    pub limit: u32,
}

/// One page of the list.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerPage {
    /// Customers matching the filters (all pages).
    pub total: i64,
    /// This page.
    pub items: Vec<Customer>,
}

/// Build the WHERE clause (starting with `WHERE`) of a list query, for the list and exports.
pub(crate) fn where_clause(
    actor: &Actor,
    now: DateTime<Utc>,
    q: &ListQuery,
    params: &mut Vec<SqlValue>,
) -> String {
    let mut sql = format!("WHERE c.archived = {}", q.archived as i32);
    sql.push_str(&scope::sql_filter(actor, "c", params));
    let mut eq = |col: &str, v: SqlValue, params: &mut Vec<SqlValue>| {
        params.push(v);
        sql.push_str(&format!(" AND {col} = ?{}", params.len()));
    };
    if let Some(s) = q.stage {
        eq("c.stage", SqlValue::Text(s.as_str().into()), params);
    }
    if let Some(t) = q.tier {
        eq("c.tier", SqlValue::Text(t.as_str().into()), params);
    }
    if let Some(i) = &q.industry {
        eq("c.industry", SqlValue::Text(i.clone()), params);
    }
    if let Some(o) = q.owner_user_id {
        eq("c.owner_user_id", SqlValue::Integer(o), params);
    }
    if let Some(d) = q.department_id {
        eq("c.department_id", SqlValue::Integer(d), params);
    }
    if let Some(t) = q.tag_id {
        params.push(SqlValue::Integer(t));
        sql.push_str(&format!(
            " AND c.id IN (SELECT customer_id FROM customer_tags WHERE tag_id = ?{})",
            params.len()
        ));
    }
    if let Some(days) = q.no_contact_days {
        params.push(SqlValue::Integer(
            now.timestamp() - i64::from(days) * 86_400,
        ));
        sql.push_str(&format!(
            " AND (c.last_contact_at IS NULL OR c.last_contact_at <= ?{})",
            params.len()
        ));
    }
    if let Some(text) = &q.q
        && let Some(cond) = super::search::list_condition(text, params)
    {
        sql.push_str(" AND ");
        sql.push_str(&cond);
    }
    sql
}

/// One page of customers.
pub fn list_customers(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    q: &ListQuery,
) -> Result<CustomerPage> {
    actor.require(Action::CustomerView)?;
    let limit = match q.limit {
        0 => 50,
        l if l > 500 => {
            return Err(Error::invalid(
                "list.limit_invalid",
                "limit",
                "at most 500 rows per page",
            ));
        }
        l => l,
    };
    let mut params = Vec::new();
    let wh = where_clause(actor, now, q, &mut params);
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM customers c {wh}"),
        params_from_iter(params.iter()),
        |r| r.get(0),
    )?;
    let dir = if q.desc { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM customers c {wh} ORDER BY {} {dir} NULLS LAST, c.id {dir}
         LIMIT {limit} OFFSET {}",
        q.sort.sql(),
        q.offset
    );
    let items = conn
        .prepare(&sql)?
        .query_map(params_from_iter(params.iter()), customer_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(CustomerPage { total, items })
}
