//! The schema's history: an append-only list of SQL migrations embedded in the binary and
//! tracked with SQLite's `user_version` (through the `rusqlite_migration` crate, which does
//! exactly this and is well tested). Never edit a migration that has shipped: add a new one.

use crate::{Error, Result};
use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookResult, M, Migrations};

/// Every migration, oldest first. The index + 1 is the `user_version` it leads to.
const STEPS: &[&str] = &[
    include_str!("../../migrations/0001_foundation.sql"),
    include_str!("../../migrations/0002_customers.sql"),
    include_str!("../../migrations/0003_reminders.sql"),
    include_str!("../../migrations/0004_interactions.sql"),
    include_str!("../../migrations/0005_feedback.sql"),
    include_str!("../../migrations/0006_plans.sql"),
    include_str!("../../migrations/0007_insight.sql"),
    include_str!("../../migrations/0008_quarter_reviews.sql"),
    include_str!("../../migrations/0009_customer_views.sql"),
    include_str!("../../migrations/0011_call_script_defaults.sql"),
    include_str!("../../migrations/0012_list_and_insight_speed.sql"),
    include_str!("../../migrations/0013_insight_speed.sql"),
    include_str!("../../migrations/0014_search_gram_indexes.sql"),
    include_str!("../../migrations/0015_dashboard_covering_indexes.sql"),
    include_str!("../../migrations/0016_customer_docs_without_contacts.sql"),
    include_str!("../../migrations/0017_trigram_indexes_without_positions.sql"),
    CHECKS_WITHOUT_VALUE_LISTS,
];

const CHECKS_WITHOUT_VALUE_LISTS: &str =
    include_str!("../../migrations/0018_checks_without_value_lists.sql");

/// Rust run after a step's SQL, in the same transaction.
type Hook = fn(&Transaction) -> HookResult;

/// The steps SQL alone cannot do: their SQL and the [`Hook`] that finishes them.
const HOOKS: &[(&str, Hook)] = &[(CHECKS_WITHOUT_VALUE_LISTS, super::check_lists::rewrite)];

fn migrations() -> Migrations<'static> {
    Migrations::new(
        STEPS
            .iter()
            .map(|sql| match HOOKS.iter().find(|(step, _)| step == sql) {
                Some((_, hook)) => M::up_with_hook(sql, *hook),
                None => M::up(sql),
            })
            .collect(),
    )
}

/// The schema version this build of Rapport writes.
pub fn latest_version() -> usize {
    STEPS.len()
}

/// The schema version of an open database (0 for an empty one).
pub fn current_version(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(v as usize)
}

/// Bring the database up to [`latest_version`], each step in its own transaction. A database
/// written by a newer Rapport is refused rather than damaged.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let current = current_version(conn)?;
    if current > latest_version() {
        return Err(Error::conflict(
            "db.too_new",
            format!(
                "the data was written by a newer Rapport (schema {current}, this build knows {})",
                latest_version()
            ),
        ));
    }
    migrations().to_latest(conn)?;
    Ok(())
}

/// Migrate only up to `version` (1-based), for tests that build a database as an older Rapport
/// would have left it.
pub fn migrate_to(conn: &mut Connection, version: usize) -> Result<()> {
    migrations().to_version(conn, version)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn every_earlier_version_migrates_to_latest() {
        for start in 0..latest_version() {
            let mut conn = Connection::open_in_memory().unwrap();
            crate::db::configure(&mut conn).unwrap();
            migrate_to(&mut conn, start).unwrap();
            migrate(&mut conn).unwrap();
            assert_eq!(current_version(&conn).unwrap(), latest_version());
            let fk_problems: i64 = conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(fk_problems, 0);
        }
    }

    #[test]
    fn newer_database_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() as i64 + 1)
            .unwrap();
        assert_eq!(migrate(&mut conn).unwrap_err().code(), "db.too_new");
    }
}
