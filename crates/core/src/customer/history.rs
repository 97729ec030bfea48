//! The append-only history of every customer: who changed which field when, from what to what,
//! directly or through which change request. The triggers in `0002_customers.sql` refuse any
//! UPDATE or DELETE, except moving rows to the survivor of a merge and an erasure, each
//! allowed only while its permit row exists inside that transaction (see [`with_permit`]).

use super::store::load_visible;
use crate::Result;
use crate::account::Actor;
use crate::permission::Action;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What kind of event a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryKind {
    /// The customer was created (`new_value` holds every field).
    Created,
    /// A field changed directly.
    Updated,
    /// Archived.
    Archived,
    /// Restored from the archive.
    Restored,
    /// Another customer was merged into this one (or this one into another).
    Merged,
    /// A change request was approved and applied (one entry per field).
    Approved,
    /// A change request was rejected.
    Rejected,
    /// A change request was filed.
    Requested,
    /// Created or updated by an import.
    Imported,
    /// Confirmed in a quarter-end review.
    Reviewed,
}

impl HistoryKind {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Created => "created",
            HistoryKind::Updated => "updated",
            HistoryKind::Archived => "archived",
            HistoryKind::Restored => "restored",
            HistoryKind::Merged => "merged",
            HistoryKind::Approved => "approved",
            HistoryKind::Rejected => "rejected",
            HistoryKind::Requested => "requested",
            HistoryKind::Imported => "imported",
            HistoryKind::Reviewed => "reviewed",
        }
    }

    fn parse(s: &str) -> HistoryKind {
        match s {
            "created" => HistoryKind::Created,
            "archived" => HistoryKind::Archived,
            "restored" => HistoryKind::Restored,
            "merged" => HistoryKind::Merged,
            "approved" => HistoryKind::Approved,
            "rejected" => HistoryKind::Rejected,
            "requested" => HistoryKind::Requested,
            "imported" => HistoryKind::Imported,
            "reviewed" => HistoryKind::Reviewed,
            _ => HistoryKind::Updated,
        }
    }
}

/// One line of a customer's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// Id (increasing).
    pub id: i64,
    /// The customer.
    pub customer_id: i64,
    /// When (Unix seconds).
    pub at: i64,
    /// Who.
    pub user_id: Option<i64>,
    /// What happened.
    pub kind: HistoryKind,
    /// The field (see `fields.rs`), empty for record-level events.
    pub field: String,
    /// The contact concerned, for contact fields.
    pub contact_id: Option<i64>,
    /// Value before.
    pub old_value: Option<Value>,
    /// Value after.
    pub new_value: Option<Value>,
    /// The change request it went through, if any.
    pub change_request_id: Option<i64>,
}

/// What to append (the id and customer are given separately).
#[derive(Debug, Clone, Default)]
pub struct NewEntry<'a> {
    /// Field name or empty.
    pub field: &'a str,
    /// Contact concerned.
    pub contact_id: Option<i64>,
    /// Before.
    pub old_value: Option<&'a Value>,
    /// After.
    pub new_value: Option<&'a Value>,
    /// Change request.
    pub change_request_id: Option<i64>,
}

/// Append one entry.
pub fn record(
    conn: &Connection,
    now: DateTime<Utc>,
    user_id: Option<i64>,
    customer_id: i64,
    kind: HistoryKind,
    e: NewEntry<'_>,
) -> Result<()> {
    append(conn, now, user_id, customer_id, kind, &e, e.new_value)
}

/// Append a new customer's first entry, its whole record as the new value (see
/// `fields::CreatedSnapshot`), serialised without a JSON tree in between.
pub fn record_created(
    conn: &Connection,
    now: DateTime<Utc>,
    user_id: Option<i64>,
    customer_id: i64,
    kind: HistoryKind,
    record: &impl Serialize,
) -> Result<()> {
    let e = NewEntry::default();
    append(conn, now, user_id, customer_id, kind, &e, Some(record))
}

/// The one INSERT behind both; `new_value` is serialised here.
fn append<T: Serialize + ?Sized>(
    conn: &Connection,
    now: DateTime<Utc>,
    user_id: Option<i64>,
    customer_id: i64,
    kind: HistoryKind,
    e: &NewEntry<'_>,
    new_value: Option<&T>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO customer_history
           (customer_id, at, user_id, kind, field, contact_id, old_value, new_value, change_request_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    stmt.execute(params![
        customer_id,
        now.timestamp(),
        user_id,
        kind.as_str(),
        e.field,
        e.contact_id,
        json_text(e.old_value)?,
        json_text(new_value)?,
        e.change_request_id
    ])?;
    Ok(())
}

/// A value as stored JSON text. Written straight into a buffer: `Value`'s `Display` goes
/// through the formatter for every piece, which was a twentieth of a large import (one
/// snapshot per imported customer).
fn json_text<T: Serialize + ?Sized>(v: Option<&T>) -> rusqlite::Result<Option<String>> {
    v.map(serde_json::to_string)
        .transpose()
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// A customer's history, newest first (the actor must see the customer).
pub fn history(conn: &Connection, actor: &Actor, customer_id: i64) -> Result<Vec<HistoryEntry>> {
    actor.require(Action::CustomerView)?;
    load_visible(conn, actor, customer_id)?;
    history_unchecked(conn, customer_id)
}

/// A customer's history without permission checks (for other modules' own checked reads).
pub(crate) fn history_unchecked(conn: &Connection, customer_id: i64) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, customer_id, at, user_id, kind, field, contact_id, old_value, new_value,
                change_request_id
         FROM customer_history WHERE customer_id = ?1 ORDER BY id DESC",
    )?;
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let rows = stmt
        .query_map([customer_id], |r| {
            Ok(HistoryEntry {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                at: r.get(2)?,
                user_id: r.get(3)?,
                kind: HistoryKind::parse(&r.get::<_, String>(4)?),
                field: r.get(5)?,
                contact_id: r.get(6)?,
                old_value: parse(r.get(7)?),
                new_value: parse(r.get(8)?),
                change_request_id: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Which exception to the append-only rule a permit grants.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Permit {
    /// Rows may move to another customer (only `customer_id` changes).
    Merge,
    /// Rows may be deleted.
    Erase,
}

/// Run `f` with a history permit for `customer_id`; the permit is removed afterwards, so it
/// never outlives the caller's transaction (call only inside one).
pub(crate) fn with_permit<T>(
    conn: &Connection,
    customer_id: i64,
    permit: Permit,
    f: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let purpose = match permit {
        Permit::Merge => "merge",
        Permit::Erase => "erase",
    };
    conn.execute(
        "INSERT INTO customer_history_permits (customer_id, purpose) VALUES (?1, ?2)",
        params![customer_id, purpose],
    )?;
    let out = f();
    conn.execute(
        "DELETE FROM customer_history_permits WHERE customer_id = ?1 AND purpose = ?2",
        params![customer_id, purpose],
    )?;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Entries are stored as the compact JSON text older entries hold (`Value`'s own
    /// `Display` form), escapes included, and read back as the same value.
    #[test]
    fn values_are_stored_as_compact_json() {
        let v = json!({"name": "<script>alert(\"x\")</script>", "amount": 1_200_000,
                       "tags": ["重点客户", "a\nb\t\u{1}"], "contract_end": null});
        let text = json_text(Some(&v)).unwrap().unwrap();
        assert_eq!(text, v.to_string());
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
        assert_eq!(json_text::<Value>(None).unwrap(), None);
    }
}
