//! Secondary indexes set aside while a large import writes, and built again before it commits.
//! Customers carry two dozen indexes for the list, the dashboard and duplicate checks; keeping
//! each up to date row by row was most of a 100k-row import's insert time, while building an
//! index afterwards sorts its keys once and writes the b-tree in order. Everything happens in
//! the import's transaction, so the schema is never seen without its indexes (a rollback or a
//! crash brings them back with the rows).

use crate::Result;
use rusqlite::Connection;

/// The tables whose indexes are set aside, each with the indexes the import's own reads use
/// (an update of an existing customer reads its contacts), which stay. Unique indexes always
/// stay: they enforce rules row by row.
const TABLES: [(&str, &[&str]); 2] = [("customers", &[]), ("contacts", &["contacts_customer"])];

/// Rows scanned per index when the statistics are taken again (the planner needs them; see
/// `db::refresh_statistics`).
const ANALYSIS_LIMIT: i64 = 1000;

/// Indexes dropped for a bulk write: their names and the SQL that made them.
pub(super) struct SetAside {
    indexes: Vec<(String, String)>,
}

impl SetAside {
    /// Whether writing `new_rows` customers into a table of `existing` is faster with the
    /// indexes built afterwards: building reads every row, old and new, so only when the
    /// import at least doubles the table.
    pub(super) fn worthwhile(new_rows: usize, existing: i64) -> bool {
        i64::try_from(new_rows).unwrap_or(i64::MAX) >= existing.max(1)
    }

    /// Drop the set-aside indexes (inside the caller's transaction).
    pub(super) fn drop_indexes(conn: &Connection) -> Result<Self> {
        let mut indexes = Vec::new();
        let mut stmt = conn.prepare(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL
               AND sql NOT LIKE 'CREATE UNIQUE %'
             ORDER BY name",
        )?;
        for (table, keep) in TABLES {
            for r in stmt.query_map([table], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })? {
                let (name, sql) = r?;
                if !keep.contains(&name.as_str()) {
                    indexes.push((name, sql));
                }
            }
        }
        for (name, _) in &indexes {
            conn.execute(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")), [])?;
        }
        Ok(Self { indexes })
    }

    /// Build the indexes again, as they were defined, and take fresh statistics of their tables
    /// (dropping an index drops its statistics, and the import changed the figures anyway).
    pub(super) fn rebuild(self, conn: &Connection) -> Result<()> {
        for (_, sql) in &self.indexes {
            conn.execute(sql, [])?;
        }
        let limit: i64 = conn.query_row("PRAGMA analysis_limit", [], |r| r.get(0))?;
        conn.pragma_update(None, "analysis_limit", ANALYSIS_LIMIT)?;
        let analysed = TABLES.iter().try_for_each(|(table, _)| {
            conn.execute(&format!("ANALYZE \"{table}\""), [])
                .map(|_| ())
        });
        conn.pragma_update(None, "analysis_limit", limit)?;
        analysed?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indexes(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
                 ORDER BY name",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn only_an_import_that_doubles_the_table_sets_indexes_aside() {
        assert!(SetAside::worthwhile(1, 0));
        assert!(SetAside::worthwhile(100_000, 100_000));
        assert!(!SetAside::worthwhile(99_999, 100_000));
        assert!(!SetAside::worthwhile(0, 1));
    }

    #[test]
    fn indexes_come_back_as_they_were_with_statistics() {
        let mut conn = crate::db::open_in_memory().unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, number, name, created_at, updated_at)
                 VALUES (1, 'KH-2026-00001', '华为技术', 0, 0);
             INSERT INTO contacts (customer_id, name, is_primary) VALUES (1, '张伟', 1);",
        )
        .unwrap();
        let before = indexes(&conn);
        let tx = conn.transaction().unwrap();
        let aside = SetAside::drop_indexes(&tx).unwrap();
        let during = indexes(&tx);
        for kept in ["contacts_customer", "contacts_one_primary"] {
            assert!(during.iter().any(|(n, _)| n == kept), "{kept} stays");
        }
        for dropped in ["customers_name", "customers_list_amount", "contacts_mobile"] {
            assert!(during.iter().all(|(n, _)| n != dropped), "{dropped} goes");
        }
        aside.rebuild(&tx).unwrap();
        assert_eq!(indexes(&tx), before);
        let stats: i64 = tx
            .query_row(
                "SELECT count(*) FROM sqlite_stat1 WHERE tbl IN ('customers', 'contacts')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(stats > 0);
        tx.commit().unwrap();
        let limit: i64 = conn
            .query_row("PRAGMA analysis_limit", [], |r| r.get(0))
            .unwrap();
        assert_eq!(limit, 0, "the connection's own limit is given back");
    }
}
