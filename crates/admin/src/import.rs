//! `import customers FILE`: the app's importer (same checks, same duplicate handling), all
//! rows in one transaction: any error and nothing is written.

use crate::common::{actor, msg, open_existing};
use rapport_core::customer::import::{self, DuplicatePolicy};
use std::path::{Path, PathBuf};

/// What to import.
#[derive(clap::Subcommand)]
pub enum What {
    /// Customers from a CSV or XLSX file (columns matched by their headers, as in the app).
    Customers {
        /// The file (.csv or .xlsx).
        file: PathBuf,
        /// What to do with rows that match an existing customer.
        #[arg(long, value_enum, default_value = "skip")]
        duplicates: Policy,
        /// Act as this user (default: the first admin); new customers are theirs.
        #[arg(long)]
        user: Option<String>,
    },
}

/// Duplicate handling, as in the app's import dialog.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Policy {
    /// Leave the existing customer alone.
    Skip,
    /// Fill the existing customer with the row's values.
    Update,
    /// Create a new customer anyway.
    Create,
}

/// Run the import and report; row errors are listed and make the exit code non-zero.
pub fn run(dir: &Path, what: What) -> Result<(), String> {
    let What::Customers {
        file,
        duplicates,
        user,
    } = what;
    let mut conn = open_existing(dir)?;
    let who = actor(&conn, user.as_deref())?;
    let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let policy = match duplicates {
        Policy::Skip => DuplicatePolicy::Skip,
        Policy::Update => DuplicatePolicy::Update,
        Policy::Create => DuplicatePolicy::Create,
    };
    let preview = import::preview(&conn, &who, &bytes, &name, None).map_err(msg)?;
    let report = import::apply(
        &mut conn,
        chrono::Utc::now(),
        &who,
        &bytes,
        &name,
        &preview.mapping,
        policy,
        &mut |_, _| {},
    )
    .map_err(msg)?;
    // The import leaves its rows in the write-ahead log; the data file gets them now.
    rapport_core::db::checkpoint(&conn).map_err(msg)?;
    if !report.committed {
        for e in report.errors.iter().take(50) {
            eprintln!("row {}: {} {}", e.row, e.column, e.message);
        }
        return Err(format!(
            "{} row errors; nothing was imported",
            report.errors.len()
        ));
    }
    println!(
        "imported: {} created, {} updated, {} skipped as duplicates",
        report.created, report.updated, report.skipped
    );
    Ok(())
}
