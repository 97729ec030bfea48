//! `reminders --at TIME [--user NAME]`: what the scheduler would announce at an instant, from
//! the same rules (`plan::scheduler_candidates`), without recording anything: the rules run on
//! a temporary copy of the database (the overdue scan refreshes SLA columns as it goes, in its
//! own transaction), which is then thrown away.

use crate::common::{msg, open_existing};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use std::path::Path;

/// Arguments of `reminders`.
#[derive(clap::Args)]
pub struct Args {
    /// The instant: RFC 3339 (2026-11-23T09:00:00+08:00) or "YYYY-MM-DD HH:MM" in the team's
    /// time zone.
    #[arg(long)]
    at: String,
    /// Only reminders for this user (log-in name).
    #[arg(long)]
    user: Option<String>,
}

/// Parse `--at`: RFC 3339, or a local date and time in `tz`.
pub fn parse_at(s: &str, tz: chrono_tz::Tz) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            return tz
                .from_local_datetime(&n)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| format!("{s} does not exist in {tz}"));
        }
    }
    Err(format!(
        "cannot read the time {s:?}: use 2026-11-23T09:00:00+08:00 or \"2026-11-23 09:00\""
    ))
}

/// Print one line per reminder: kind, stage, item, recipient, due, title.
pub fn run(dir: &Path, a: Args) -> Result<(), String> {
    let conn = open_existing(dir)?;
    let tz = rapport_core::calendar::store::parse_time_zone(
        &rapport_core::team::time_zone(&conn).map_err(msg)?,
    )
    .map_err(msg)?;
    let at = parse_at(&a.at, tz)?;
    let only: Option<i64> = match &a.user {
        Some(u) => Some(
            conn.query_row("SELECT id FROM users WHERE username = ?1", [u], |r| {
                r.get(0)
            })
            .map_err(|_| format!("no user named {u}"))?,
        ),
        None => None,
    };
    let names: std::collections::HashMap<i64, String> = {
        let mut stmt = conn
            .prepare("SELECT id, username FROM users")
            .map_err(|e| e.to_string())?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| e.to_string())?
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| e.to_string())?
    };
    let scratch = tempfile::tempdir().map_err(|e| e.to_string())?;
    let copy = scratch_copy(&conn, scratch.path())?;
    let mut found = rapport_core::plan::scheduler_candidates(&copy, at).map_err(msg)?;
    found.retain(|c| only.is_none_or(|u| c.recipient_user_id == u));
    found.sort_by(|x, y| {
        (x.due_at, &x.kind, x.item_id, x.recipient_user_id).cmp(&(
            y.due_at,
            &y.kind,
            y.item_id,
            y.recipient_user_id,
        ))
    });
    for c in &found {
        println!(
            "{}\t{}\t{}:{}\t{}\t{}\t{}",
            c.kind,
            c.stage.as_str(),
            c.item_kind,
            c.item_id,
            names.get(&c.recipient_user_id).map_or("?", |s| s.as_str()),
            c.due_at.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
            c.title
        );
    }
    eprintln!(
        "{} reminders at {}",
        found.len(),
        at.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z")
    );
    Ok(())
}

/// A consistent copy of the database in `dir`, opened: for rules that write as they read.
pub fn scratch_copy(
    conn: &rusqlite::Connection,
    dir: &Path,
) -> Result<rusqlite::Connection, String> {
    let file = dir.join(rapport_core::db::DB_FILE);
    rapport_core::backup::backup_to(conn, &file).map_err(msg)?;
    rapport_core::db::open(&file).map_err(msg)
}
