//! `check`: integrity, foreign keys and schema version.

use crate::common::{msg, open_existing};
use rapport_core::db;
use std::path::Path;

/// Print the state of the database; fail when it has problems.
pub fn run(dir: &Path) -> Result<(), String> {
    let conn = open_existing(dir)?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(|e| e.to_string())?;
    let version = db::migrations::current_version(&conn).map_err(msg)?;
    println!("integrity: {integrity}");
    println!("foreign key problems: {fk}");
    println!(
        "schema version: {version} (this build: {})",
        db::migrations::latest_version()
    );
    if integrity != "ok" || fk != 0 {
        return Err("the database has problems; restore the newest good backup".into());
    }
    Ok(())
}
