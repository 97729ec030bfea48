//! `rapport-admin`: look after a Rapport data folder from a terminal, with no display needed.
//! Every subcommand takes `--data-dir DIR`; errors print a clear message and exit non-zero.

use clap::{Parser, Subcommand};
use rapport_core::{backup, db};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Command-line arguments.
#[derive(Parser)]
#[command(
    name = "rapport-admin",
    version,
    about = "Administer a Rapport data folder"
)]
struct Cli {
    /// The data folder (the one the app uses, or a copy).
    #[arg(long, global = true, env = "RAPPORT_DATA_DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

/// What to do.
#[derive(Subcommand)]
enum Command {
    /// Check the database: integrity, foreign keys and schema version.
    Check,
    /// Write a consistent copy of the database to FILE (safe while the app runs).
    Backup {
        /// Where to write the copy.
        file: PathBuf,
    },
    /// Replace the data with FILE's after checking it; the current data is backed up first.
    Restore {
        /// A backup written by Rapport.
        file: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rapport-admin: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let dir = cli
        .data_dir
        .ok_or("say which data folder with --data-dir DIR (or RAPPORT_DATA_DIR)")?;
    match cli.command {
        Command::Check => check(&dir),
        Command::Backup { file } => {
            let conn = open_existing(&dir)?;
            backup::backup_to(&conn, &file).map_err(|e| e.to_string())?;
            println!("backed up to {}", file.display());
            Ok(())
        }
        Command::Restore { file } => {
            let mut conn = open_existing(&dir)?;
            let safety = backup::restore(&mut conn, &dir, chrono::Utc::now(), &file)
                .map_err(|e| e.to_string())?;
            println!(
                "restored from {}; the previous data is in {}",
                file.display(),
                safety.display()
            );
            Ok(())
        }
    }
}

/// Open the database of a data folder that must already exist (never create one by mistake).
fn open_existing(dir: &Path) -> Result<rusqlite::Connection, String> {
    let path = dir.join(db::DB_FILE);
    if !path.exists() {
        return Err(format!("no Rapport database in {}", dir.display()));
    }
    db::open(&path).map_err(|e| e.to_string())
}

fn check(dir: &Path) -> Result<(), String> {
    let conn = open_existing(dir)?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .map_err(|e| e.to_string())?;
    let version = db::migrations::current_version(&conn).map_err(|e| e.to_string())?;
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
