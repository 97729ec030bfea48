//! `export DIR`: everything, for leaving Rapport.

use crate::common::{msg, open_existing};
use std::path::{Path, PathBuf};

/// Arguments of `export`.
#[derive(clap::Args)]
pub struct Args {
    /// The folder to write the zip into (created if missing).
    dir: PathBuf,
}

/// Write the archive and say what is in it.
pub fn run(data_dir: &Path, a: Args) -> Result<(), String> {
    let conn = open_existing(data_dir)?;
    let s = rapport_core::export_all::export_all(&conn, data_dir, &a.dir, chrono::Utc::now())
        .map_err(msg)?;
    let rows: u64 = s.tables.iter().map(|t| t.1).sum();
    println!(
        "exported {} tables ({rows} rows) and {} attachments to {}",
        s.tables.len(),
        s.attachments,
        s.file.display()
    );
    Ok(())
}
