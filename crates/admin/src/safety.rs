//! `backup FILE` and `restore FILE`.

use crate::common::{msg, open_existing};
use rapport_core::backup;
use std::path::Path;

/// Write a consistent copy of the database to `file`.
pub fn backup(dir: &Path, file: &Path) -> Result<(), String> {
    let conn = open_existing(dir)?;
    backup::backup_to(&conn, file).map_err(msg)?;
    println!("backed up to {}", file.display());
    Ok(())
}

/// Replace the data with `file`'s after validating it; the current data is backed up first.
pub fn restore(dir: &Path, file: &Path) -> Result<(), String> {
    let mut conn = open_existing(dir)?;
    let safety = backup::restore(&mut conn, dir, chrono::Utc::now(), file).map_err(msg)?;
    println!(
        "restored from {}; the previous data is in {}",
        file.display(),
        safety.display()
    );
    Ok(())
}
