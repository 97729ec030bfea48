//! `rapport-admin`: look after a Rapport data folder from a terminal, with no display needed.
//! Every subcommand takes `--data-dir DIR`; errors print a clear message and exit non-zero.
//! One module per subcommand; all the work is done by `rapport-core`.

mod bench;
mod check;
mod common;
mod demo;
mod export;
mod import;
mod reminders;
mod safety;
mod search;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
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
    /// Export everything (every table as CSV, every attachment) into one zip in DIR.
    Export(export::Args),
    /// Import data through the app's importer, in one transaction.
    #[command(subcommand)]
    Import(import::What),
    /// Fill an empty data folder with generated demo data.
    Demo(demo::Args),
    /// Search customers and contacts as the app does; prints one match per line.
    Search(search::Args),
    /// Show what the reminder scheduler would announce at an instant (nothing is recorded).
    Reminders(reminders::Args),
    /// Measure the app's queries on this data folder; prints one JSON object per line.
    Bench(bench::Args),
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
        Command::Check => check::run(&dir),
        Command::Backup { file } => safety::backup(&dir, &file),
        Command::Restore { file } => safety::restore(&dir, &file),
        Command::Export(a) => export::run(&dir, a),
        Command::Import(w) => import::run(&dir, w),
        Command::Demo(a) => demo::run(&dir, a),
        Command::Search(a) => search::run(&dir, a),
        Command::Reminders(a) => reminders::run(&dir, a),
        Command::Bench(a) => bench::run(&dir, a),
    }
}
