//! A stop-gap customer search for the feedback intake form: name contains the typed text,
//! within the actor's customer scope, at most 20 hits. The customers module's real search will
//! replace it.

use rusqlite::{Connection, params};
use serde::Serialize;

use crate::Result;
use crate::access::customer_condition;
use crate::account::Actor;
use crate::permission::Action;

/// Most hits returned; the intake field shows them as a short drop-down.
pub const LOOKUP_LIMIT: i64 = 20;

/// One customer the intake form may pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerHit {
    /// Id.
    pub id: i64,
    /// Customer number (KH-…).
    pub number: String,
    /// Name.
    pub name: String,
}

/// `text` made literal inside a LIKE pattern whose escape character is `\`.
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Customers whose name (or number) contains `query`, visible to the actor, not archived, by
/// name; an empty query gives the first 20 by name.
pub fn customer_lookup(conn: &Connection, actor: &Actor, query: &str) -> Result<Vec<CustomerHit>> {
    actor.require(Action::CustomerView)?;
    let pattern = format!("%{}%", like_literal(query.trim()));
    let sql = format!(
        "SELECT c.id, c.number, c.name FROM customers c
         WHERE c.archived = 0 AND {}
           AND (c.name LIKE ?1 ESCAPE '\\' OR c.number LIKE ?1 ESCAPE '\\')
         ORDER BY c.name, c.id LIMIT ?2",
        customer_condition(actor, "c")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params![pattern, LOOKUP_LIMIT], |r| {
            Ok(CustomerHit {
                id: r.get(0)?,
                number: r.get(1)?,
                name: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The customers among `ids` the actor may see (archived ones too: old items keep their
/// names), so lists of feedback can show names instead of ids.
pub fn customers_by_ids(conn: &Connection, actor: &Actor, ids: &[i64]) -> Result<Vec<CustomerHit>> {
    actor.require(Action::CustomerView)?;
    let mut out = Vec::new();
    let sql = format!(
        "SELECT c.id, c.number, c.name FROM customers c WHERE c.id = ?1 AND {}",
        customer_condition(actor, "c")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut seen = std::collections::BTreeSet::new();
    for &id in ids {
        if !seen.insert(id) {
            continue;
        }
        let mut rows = stmt.query_map([id], |r| {
            Ok(CustomerHit {
                id: r.get(0)?,
                number: r.get(1)?,
                name: r.get(2)?,
            })
        })?;
        if let Some(hit) = rows.next() {
            out.push(hit?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Fixture, add_customer};

    fn names(hits: &[CustomerHit]) -> Vec<&str> {
        hits.iter().map(|h| h.name.as_str()).collect()
    }

    #[test]
    fn finds_by_name_within_scope() {
        let f = Fixture::new();
        let odd = add_customer(&f.conn, "百分之100_公司", f.staff1.user_id, f.dept1);
        let all = customer_lookup(&f.conn, &f.admin, "").unwrap();
        assert!(all.len() >= 4);
        // Wildcards are literal: "%" and "_" match only themselves.
        let hits = customer_lookup(&f.conn, &f.admin, "0_").unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [odd]);
        assert!(customer_lookup(&f.conn, &f.admin, "%").unwrap().is_empty());
        // Staff see their own customers only; a head their department's.
        let mine = customer_lookup(&f.conn, &f.staff2, "").unwrap();
        assert_eq!(mine.iter().map(|h| h.id).collect::<Vec<_>>(), [f.cust2]);
        let dept1 = customer_lookup(&f.conn, &f.head1, "").unwrap();
        assert!(dept1.iter().all(|h| h.id != f.cust2));
        assert!(names(&dept1).contains(&"百分之100_公司"));
        // Archived customers are not offered.
        f.conn
            .execute("UPDATE customers SET archived = 1 WHERE id = ?1", [odd])
            .unwrap();
        assert!(customer_lookup(&f.conn, &f.admin, "0_").unwrap().is_empty());
    }

    #[test]
    fn names_by_id_within_scope() {
        let f = Fixture::new();
        let ids = [f.cust1, f.cust2, f.cust1, 9999];
        let all = customers_by_ids(&f.conn, &f.admin, &ids).unwrap();
        assert_eq!(names(&all), ["科技有限公司", "制造有限公司"]);
        let mine = customers_by_ids(&f.conn, &f.staff1, &ids).unwrap();
        assert_eq!(names(&mine), ["科技有限公司"]);
    }

    #[test]
    fn at_most_twenty() {
        let f = Fixture::new();
        for i in 0..30 {
            add_customer(
                &f.conn,
                &format!("批量客户{i:02}"),
                f.staff1.user_id,
                f.dept1,
            );
        }
        let hits = customer_lookup(&f.conn, &f.admin, "批量").unwrap();
        assert_eq!(hits.len(), 20);
        assert_eq!(hits[0].name, "批量客户00");
    }
}
