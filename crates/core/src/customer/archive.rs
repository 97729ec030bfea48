//! Archive and restore (archived customers are hidden from lists and search by default), and
//! permanent erasure (PIPL right to erasure): admin only, confirmed by typing the customer's
//! number, removing the record, its contacts, tag links, requests and history, and leaving an
//! audit entry that holds nothing but the number.

use super::history::{HistoryKind, NewEntry, Permit, record, with_permit};
use super::model::Customer;
use super::search_index;
use super::store::{load, load_visible, touch};
use crate::account::Actor;
use crate::permission::Action;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::json;

fn set_archived(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    archived: bool,
) -> Result<Customer> {
    actor.require(Action::CustomerArchive)?;
    let tx = conn.transaction()?;
    let c = load_visible(&tx, actor, id)?;
    if c.archived != archived {
        tx.execute(
            "UPDATE customers SET archived = ?1 WHERE id = ?2",
            params![archived, id],
        )?;
        touch(&tx, now, actor.user_id, id)?;
        record(
            &tx,
            now,
            Some(actor.user_id),
            id,
            if archived {
                HistoryKind::Archived
            } else {
                HistoryKind::Restored
            },
            NewEntry {
                field: "archived",
                old_value: Some(&json!(c.archived)),
                new_value: Some(&json!(archived)),
                ..Default::default()
            },
        )?;
    }
    tx.commit()?;
    load(conn, id)
}

/// Archive a customer (idempotent).
pub fn archive_customer(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
) -> Result<Customer> {
    set_archived(conn, now, actor, id, true)
}

/// Bring an archived customer back (idempotent).
pub fn restore_customer(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
) -> Result<Customer> {
    set_archived(conn, now, actor, id, false)
}

/// [`erase_customer`], then remove the attachment files nothing refers to any more (the erased
/// customer's among them): what the app does, so no personal file stays in the data folder.
pub fn erase_customer_and_files(
    conn: &mut Connection,
    data_dir: &std::path::Path,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    typed_number: &str,
) -> Result<()> {
    erase_customer(conn, now, actor, id, typed_number)?;
    crate::attachment::collect_garbage(conn, data_dir, now, actor)?;
    Ok(())
}

/// Erase a customer for good. `typed_number` must be the customer's number, typed back as
/// confirmation. The number itself is never reused. Rows of other modules that reference the
/// customer must be declared `ON DELETE CASCADE` (or be removed here) so nothing personal stays.
pub fn erase_customer(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    typed_number: &str,
) -> Result<()> {
    actor.require(Action::CustomerErase)?;
    let tx = conn.transaction()?;
    let c = load(&tx, id)?;
    if typed_number.trim() != c.number {
        return Err(Error::invalid(
            "customer.erase_confirmation_mismatch",
            "confirmation",
            "type the customer's number to confirm",
        ));
    }
    search_index::unindex(&tx, id)?;
    with_permit(&tx, id, Permit::Erase, || {
        tx.execute("DELETE FROM customer_history WHERE customer_id = ?1", [id])?;
        Ok(())
    })?;
    // Contacts, tag links, change requests and review items go with the row (ON DELETE CASCADE).
    tx.execute("DELETE FROM customers WHERE id = ?1", [id])?;
    crate::team::audit(
        &tx,
        now,
        Some(actor.user_id),
        "customer.erase",
        "customer",
        Some(id),
        &c.number,
    )?;
    tx.commit()?;
    Ok(())
}
