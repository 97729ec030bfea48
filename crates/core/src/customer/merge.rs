//! Merging two records of the same customer: everything attached to the absorbed one moves to
//! the survivor (contacts, tags, change requests, review items, history, and the rows of other
//! modules listed in [`MERGE_HOOKS`]), the merge is recorded in the survivor's history and the
//! absorbed record is deleted — all in one transaction.

use super::history::{HistoryKind, NewEntry, Permit, record, with_permit};
use super::model::{Customer, CustomerDetail};
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
    ("survey_responses", "customer_id"),
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

/// What a merge would move, shown before the person confirms it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MergePreview {
    /// The customer that stays.
    pub survivor: Customer,
    /// The customer that goes.
    pub absorbed: Customer,
    /// `(what, how many)` rows of the absorbed customer that move to the survivor: contacts,
    /// tags, change_requests, history, review_items and the tables of [`MERGE_HOOKS`].
    pub moves: Vec<(String, i64)>,
}

/// Count what merging `absorbed_id` into `survivor_id` would move (same checks as the merge).
pub fn merge_preview(
    conn: &Connection,
    actor: &Actor,
    survivor_id: i64,
    absorbed_id: i64,
) -> Result<MergePreview> {
    actor.require(Action::CustomerMerge)?;
    if survivor_id == absorbed_id {
        return Err(Error::invalid(
            "customer.merge_same",
            "absorbed_id",
            "choose two different customers",
        ));
    }
    let survivor = load_visible(conn, actor, survivor_id)?;
    let absorbed = load_visible(conn, actor, absorbed_id)?;
    let mut moves = Vec::new();
    let own: [(&str, &str); 5] = [
        ("contacts", "contacts"),
        ("tags", "customer_tags"),
        ("change_requests", "change_requests"),
        ("history", "customer_history"),
        ("review_items", "review_items"),
    ];
    let hooks = MERGE_HOOKS.iter().map(|(t, _)| (*t, *t));
    for ((what, table), column) in own
        .into_iter()
        .zip(std::iter::repeat("customer_id"))
        .chain(hooks.zip(MERGE_HOOKS.iter().map(|(_, c)| *c)))
    {
        let exists: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
            [table],
            |r| r.get(0),
        )?;
        if exists {
            // Names come from the constant lists above, never from input.
            let n: i64 = conn.query_row(
                &format!("SELECT count(*) FROM {table} WHERE {column} = ?1"),
                [absorbed_id],
                |r| r.get(0),
            )?;
            moves.push((what.to_string(), n));
        }
    }
    Ok(MergePreview {
        survivor,
        absorbed,
        moves,
    })
}

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
    use crate::testutil::{Fixture, add_contact};

    #[test]
    fn the_preview_counts_what_moves_and_the_merge_moves_it() {
        let mut f = Fixture::new();
        add_contact(&f.conn, f.cust1b, "赵六", "采购", true);
        add_contact(&f.conn, f.cust1b, "钱七", "财务", false);
        let (survivor, absorbed) = (f.cust1, f.cust1b);
        let staff = f.staff1.clone();
        assert_eq!(
            merge_preview(&f.conn, &staff, survivor, absorbed)
                .unwrap_err()
                .code(),
            "auth.forbidden"
        );
        let head = f.head1.clone();
        let p = merge_preview(&f.conn, &head, survivor, absorbed).unwrap();
        assert_eq!(p.absorbed.id, absorbed);
        let count = |what: &str| p.moves.iter().find(|(w, _)| w == what).map(|(_, n)| *n);
        assert_eq!(count("contacts"), Some(2));
        assert_eq!(count("tasks"), Some(0));
        assert_eq!(
            merge_preview(&f.conn, &head, survivor, f.cust2)
                .unwrap_err()
                .code(),
            "not_found",
            "another department's customer stays hidden"
        );
        merge_customers(&mut f.conn, t0(), &head, survivor, absorbed).unwrap();
        let moved: i64 = f
            .conn
            .query_row(
                "SELECT count(*) FROM contacts WHERE customer_id = ?1",
                [survivor],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(moved, 2);
        let h = super::super::history::history_unchecked(&f.conn, survivor).unwrap();
        assert_eq!(
            (h[0].kind, h[0].field.as_str()),
            (HistoryKind::Merged, "merged_from")
        );
    }

    fn t0() -> DateTime<Utc> {
        crate::testutil::t(2026, 11, 23, 8, 0)
    }

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
