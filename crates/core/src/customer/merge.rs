//! Merging two records of the same customer: everything attached to the absorbed one moves to
//! the survivor (contacts, tags, change requests, review items, history, and the rows of other
//! modules listed in [`MERGE_HOOKS`]), the merge is recorded in the survivor's history and the
//! absorbed record is deleted — all in one transaction.

use super::history::{HistoryKind, NewEntry, Permit, record, with_permit};
use super::model::CustomerDetail;
use super::search_index;
use super::store::{detail, load, load_visible, touch};
use crate::account::Actor;
use crate::permission::Action;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::json;

/// `(table, column)` pairs of other modules whose `column` references `customers.id`: on a
/// merge their rows are re-pointed to the survivor. A module that adds such a table appends
/// it here (tables not yet created are skipped), e.g. `("interactions", "customer_id")`.
pub const MERGE_HOOKS: &[(&str, &str)] = &[
    ("interactions", "customer_id"),
    ("feedback_items", "customer_id"),
    ("tasks", "customer_id"),
];

/// Tables that reference `customers.id` but are not moved on a merge: handled by the merge
/// itself (contacts, tags, requests, history, reviews) or derived plan state that the scheduler
/// rebuilds for the survivor (the absorbed rows go with the absorbed customer by cascade).
pub const NOT_MOVED: &[&str] = &[
    "contacts",
    "customer_tags",
    "change_requests",
    "customer_history",
    "review_items",
    "callback_plans",
    "onboarding_runs",
];

/// Merge `absorbed_id` into `survivor_id`. The survivor keeps its own fields and primary
/// contact; the absorbed customer's contacts join as further contacts.
pub fn merge_customers(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    survivor_id: i64,
    absorbed_id: i64,
) -> Result<CustomerDetail> {
    actor.require(Action::CustomerMerge)?;
    if survivor_id == absorbed_id {
        return Err(Error::invalid(
            "customer.merge_same",
            "absorbed_id",
            "choose two different customers",
        ));
    }
    let tx = conn.transaction()?;
    load_visible(&tx, actor, survivor_id)?;
    let absorbed = load_visible(&tx, actor, absorbed_id)?;
    search_index::unindex(&tx, survivor_id)?;
    search_index::unindex(&tx, absorbed_id)?;
    let survivor_has_primary: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM contacts WHERE customer_id = ?1 AND is_primary = 1)",
        [survivor_id],
        |r| r.get(0),
    )?;
    tx.execute(
        "UPDATE contacts SET customer_id = ?1, is_primary = is_primary AND NOT ?3
         WHERE customer_id = ?2",
        params![survivor_id, absorbed_id, survivor_has_primary],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id)
         SELECT ?1, tag_id FROM customer_tags WHERE customer_id = ?2",
        params![survivor_id, absorbed_id],
    )?;
    tx.execute(
        "UPDATE change_requests SET customer_id = ?1 WHERE customer_id = ?2",
        params![survivor_id, absorbed_id],
    )?;
    tx.execute(
        "DELETE FROM review_items WHERE customer_id = ?2 AND review_id IN
           (SELECT review_id FROM review_items WHERE customer_id = ?1)",
        params![survivor_id, absorbed_id],
    )?;
    tx.execute(
        "UPDATE review_items SET customer_id = ?1 WHERE customer_id = ?2",
        params![survivor_id, absorbed_id],
    )?;
    for (table, column) in MERGE_HOOKS {
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if exists {
            // Names come from the constant list above, never from input.
            tx.execute(
                &format!("UPDATE {table} SET {column} = ?1 WHERE {column} = ?2"),
                params![survivor_id, absorbed_id],
            )?;
        }
    }
    with_permit(&tx, absorbed_id, Permit::Merge, || {
        tx.execute(
            "UPDATE customer_history SET customer_id = ?1 WHERE customer_id = ?2",
            params![survivor_id, absorbed_id],
        )?;
        Ok(())
    })?;
    let absorbed_value = json!({
        "id": absorbed.id, "number": absorbed.number, "name": absorbed.name,
    });
    record(
        &tx,
        now,
        Some(actor.user_id),
        survivor_id,
        HistoryKind::Merged,
        NewEntry {
            field: "merged_from",
            old_value: Some(&absorbed_value),
            ..Default::default()
        },
    )?;
    tx.execute("DELETE FROM customers WHERE id = ?1", [absorbed_id])?;
    touch(&tx, now, actor.user_id, survivor_id)?;
    search_index::index(&tx, survivor_id)?;
    tx.commit()?;
    detail(conn, load(conn, survivor_id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_referencing_customers_is_handled_by_merge() {
        let conn = crate::db::open_in_memory().unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
                 WHERE m.type = 'table' AND f.\"table\" = 'customers'",
            )
            .unwrap();
        let refs: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(refs.len() >= 8, "{refs:?}");
        for (table, column) in refs {
            let moved = MERGE_HOOKS.iter().any(|(t, c)| *t == table && *c == column);
            let handled = NOT_MOVED.contains(&table.as_str());
            assert!(
                moved || handled,
                "{table}.{column} references customers but merge ignores it"
            );
        }
    }
}
