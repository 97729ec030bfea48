//! Key-field approval (seed 1.3): which fields are key (a team setting), filing a request when
//! staff change one, and the decision by the head of the owner's department or an admin.
//! Approval re-checks that the record still holds the old value, so nothing is overwritten.
//!
//! Design choice: heads, supervisors and admins edit key fields directly — they are the people
//! who would approve — and their edits are recorded in the history like every other change.

use super::changes::{Change, apply_change, current_value};
use super::history::{HistoryKind, NewEntry, record};
use super::search_index;
use super::store::{load, touch};
use crate::account::Actor;
use crate::permission::{Action, Role};
use crate::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The settings key holding the JSON list of key fields.
pub const KEY_FIELDS_SETTING: &str = "customer.key_fields";

/// The key fields when the team has not chosen its own.
pub const DEFAULT_KEY_FIELDS: [&str; 5] = [
    "primary_contact",
    "contact_phone",
    "contact_email",
    "annual_amount",
    "stage",
];

/// How long a request may wait before it is flagged.
pub const OVERDUE_AFTER_HOURS: i64 = 24;

/// The key fields in force.
pub fn key_fields(conn: &Connection) -> Result<Vec<String>> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [KEY_FIELDS_SETTING],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_else(|| DEFAULT_KEY_FIELDS.iter().map(|s| s.to_string()).collect()))
}

/// Choose the key fields (admins).
pub fn set_key_fields(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    fields: &[String],
) -> Result<Vec<String>> {
    actor.require(Action::TeamEdit)?;
    for f in fields {
        if !super::fields::is_configurable_key_field(f) {
            return Err(Error::invalid(
                "change_request.field_unknown",
                "key_fields",
                format!("unknown field {f:?}"),
            ));
        }
    }
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![
            KEY_FIELDS_SETTING,
            serde_json::to_string(fields).unwrap_or_default()
        ],
    )?;
    crate::team::audit(
        conn,
        now,
        Some(actor.user_id),
        "customer.key_fields",
        "settings",
        None,
        &fields.join(","),
    )?;
    key_fields(conn)
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for a decision.
    Pending,
    /// Approved and applied.
    Approved,
    /// Rejected.
    Rejected,
}

/// A key-field change waiting for (or decided by) an approver.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeRequest {
    /// Id.
    pub id: i64,
    /// The customer.
    pub customer_id: i64,
    /// The field.
    pub field: String,
    /// The contact, for contact fields.
    pub contact_id: Option<i64>,
    /// Value when requested.
    pub old_value: Value,
    /// Requested value.
    pub new_value: Value,
    /// Why.
    pub reason: String,
    /// Who asked.
    pub requested_by: Option<i64>,
    /// When (Unix seconds).
    pub requested_at: i64,
    /// Status.
    pub status: RequestStatus,
    /// Who decided.
    pub decided_by: Option<i64>,
    /// When decided.
    pub decided_at: Option<i64>,
    /// The approver's comment.
    pub decision_comment: String,
}

impl ChangeRequest {
    /// Has it been waiting longer than [`OVERDUE_AFTER_HOURS`]?
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status == RequestStatus::Pending
            && now.timestamp() - self.requested_at
                > Duration::hours(OVERDUE_AFTER_HOURS).num_seconds()
    }
}

const CR_COLUMNS: &str = "id, customer_id, field, contact_id, old_value, new_value, reason, \
    requested_by, requested_at, status, decided_by, decided_at, decision_comment";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeRequest> {
    let json = |s: String| serde_json::from_str(&s).unwrap_or(Value::Null);
    Ok(ChangeRequest {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        field: r.get(2)?,
        contact_id: r.get(3)?,
        old_value: json(r.get(4)?),
        new_value: json(r.get(5)?),
        reason: r.get(6)?,
        requested_by: r.get(7)?,
        requested_at: r.get(8)?,
        status: match r.get::<_, String>(9)?.as_str() {
            "approved" => RequestStatus::Approved,
            "rejected" => RequestStatus::Rejected,
            _ => RequestStatus::Pending,
        },
        decided_by: r.get(10)?,
        decided_at: r.get(11)?,
        decision_comment: r.get(12)?,
    })
}

/// File a request (inside the edit's transaction).
pub(crate) fn file(
    conn: &Connection,
    now: DateTime<Utc>,
    user_id: i64,
    customer_id: i64,
    ch: &Change,
    reason: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO change_requests (customer_id, field, contact_id, old_value, new_value,
             reason, requested_by, requested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            customer_id,
            ch.field,
            ch.contact_id,
            ch.old.to_string(),
            ch.new.to_string(),
            reason,
            user_id,
            now.timestamp()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// One request, no checks.
pub(crate) fn load_request(conn: &Connection, id: i64) -> Result<ChangeRequest> {
    conn.query_row(
        &format!("SELECT {CR_COLUMNS} FROM change_requests WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or(Error::NotFound("change_request"))
}

/// A customer's pending requests, oldest first.
pub(crate) fn pending_for(conn: &Connection, customer_id: i64) -> Result<Vec<ChangeRequest>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CR_COLUMNS} FROM change_requests
         WHERE customer_id = ?1 AND status = 'pending' ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([customer_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The department whose head approves changes to this customer: the owner's department,
/// else the customer's.
fn approving_department(conn: &Connection, customer_id: i64) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT coalesce(u.department_id, c.department_id)
         FROM customers c LEFT JOIN users u ON u.id = c.owner_user_id WHERE c.id = ?1",
        [customer_id],
        |r| r.get(0),
    )?)
}

fn may_decide(conn: &Connection, actor: &Actor, customer_id: i64) -> Result<bool> {
    Ok(match actor.role {
        Role::Admin => true,
        Role::Head => {
            actor.department_id.is_some()
                && approving_department(conn, customer_id)? == actor.department_id
        }
        _ => false,
    })
}

/// A pending request with what the approver's inbox shows.
#[derive(Debug, Clone, Serialize)]
pub struct PendingRequest {
    /// The request.
    pub request: ChangeRequest,
    /// Customer number.
    pub customer_number: String,
    /// Customer name.
    pub customer_name: String,
    /// Waiting longer than 24 h.
    pub overdue: bool,
}

/// The requests `actor` may decide, oldest first, overdue ones flagged.
pub fn list_pending(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<Vec<PendingRequest>> {
    actor.require(Action::CustomerApprove)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {CR_COLUMNS} FROM change_requests WHERE status = 'pending' ORDER BY requested_at, id"
    ))?;
    let all: Vec<ChangeRequest> = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for r in all {
        if !may_decide(conn, actor, r.customer_id)? {
            continue;
        }
        let c = load(conn, r.customer_id)?;
        out.push(PendingRequest {
            overdue: r.is_overdue(now),
            customer_number: c.number,
            customer_name: c.name,
            request: r,
        });
    }
    Ok(out)
}

/// Approve (apply) or reject a pending request, with a comment (required to reject).
/// Approval is refused with `change_request.stale` when the field no longer holds the value the
/// request started from; the request then stays pending for the approver to reject.
pub fn decide_change(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    request_id: i64,
    approve: bool,
    comment: &str,
) -> Result<ChangeRequest> {
    actor.require(Action::CustomerApprove)?;
    let comment = crate::validate::text("comment", comment)?;
    if !approve && comment.trim().is_empty() {
        return Err(Error::invalid(
            "change_request.comment_required",
            "comment",
            "say why the change is rejected",
        ));
    }
    let tx = conn.transaction()?;
    let cr = load_request(&tx, request_id)?;
    if cr.status != RequestStatus::Pending {
        return Err(Error::conflict(
            "change_request.already_decided",
            "this request was already decided",
        ));
    }
    if !may_decide(&tx, actor, cr.customer_id)? {
        return Err(Error::Forbidden(
            "only the head of the owner's department or an admin decides this request".into(),
        ));
    }
    let ch = Change::new(
        &cr.field,
        cr.contact_id,
        cr.old_value.clone(),
        cr.new_value.clone(),
    );
    let kind = if approve {
        if current_value(&tx, cr.customer_id, &cr.field, cr.contact_id)? != cr.old_value {
            return Err(Error::conflict(
                "change_request.stale",
                "the field changed since the request was made",
            ));
        }
        search_index::unindex(&tx, cr.customer_id)?;
        apply_change(&tx, cr.customer_id, &ch)?;
        touch(&tx, now, actor.user_id, cr.customer_id)?;
        search_index::index(&tx, cr.customer_id)?;
        HistoryKind::Approved
    } else {
        HistoryKind::Rejected
    };
    tx.execute(
        "UPDATE change_requests SET status = ?1, decided_by = ?2, decided_at = ?3,
             decision_comment = ?4 WHERE id = ?5",
        params![
            if approve { "approved" } else { "rejected" },
            actor.user_id,
            now.timestamp(),
            comment,
            request_id
        ],
    )?;
    record(
        &tx,
        now,
        Some(actor.user_id),
        cr.customer_id,
        kind,
        NewEntry {
            field: &cr.field,
            contact_id: cr.contact_id,
            old_value: Some(&cr.old_value),
            new_value: Some(&cr.new_value),
            change_request_id: Some(request_id),
        },
    )?;
    tx.commit()?;
    load_request(conn, request_id)
}
