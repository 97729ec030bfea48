//! Files attached to interactions (meeting minutes, product documents, chat screenshots):
//! copied into the data folder under content-hash names (`blob.rs`), one file per distinct
//! content; the original name (cleaned, display only: `name.rs`), MIME type, size and who added
//! it are recorded per attachment. A blob goes when nothing refers to it any more.
//!
//! Everything here takes a file path, not a dialog: the app's file picker and drag-and-drop
//! both end in [`add_file`] / [`add_file_named`].

pub mod blob;
pub mod name;

use crate::account::Actor;
use crate::clock::from_unix;
use crate::interaction::get_interaction;
use crate::permission::Action;
use crate::team::audit;
use crate::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The settings key of the size limit (a JSON number of bytes).
pub const MAX_BYTES_KEY: &str = "attachment.max_bytes";
/// The size limit when none is set: 50 MB.
pub const DEFAULT_MAX_BYTES: u64 = 50 * 1024 * 1024;
/// The largest limit an admin may set: 2 GB.
pub const CEILING_MAX_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// An attached file as the interaction's detail view lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    /// Id.
    pub id: i64,
    /// The interaction it belongs to.
    pub interaction_id: i64,
    /// The file's name as the person had it, cleaned; for display only.
    pub original_name: String,
    /// MIME type guessed from the name's extension.
    pub mime_type: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the content (lower-case hex).
    pub hash: String,
    /// Who attached it.
    pub added_by: Option<i64>,
    /// When.
    pub added_at: DateTime<Utc>,
}

/// The size limit for new attachments, in bytes.
pub fn max_bytes(conn: &Connection) -> Result<u64> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [MAX_BYTES_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.and_then(|v| serde_json::from_str::<u64>(&v).ok())
        .filter(|n| (1..=CEILING_MAX_BYTES).contains(n))
        .unwrap_or(DEFAULT_MAX_BYTES))
}

/// Change the size limit (team settings: admins), 1 byte to 2 GB.
pub fn set_max_bytes(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    bytes: u64,
) -> Result<()> {
    actor.require(Action::TeamEdit)?;
    if !(1..=CEILING_MAX_BYTES).contains(&bytes) {
        return Err(Error::invalid(
            "attachment.limit_invalid",
            "max_bytes",
            "the limit must be between 1 byte and 2 GB",
        ));
    }
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![MAX_BYTES_KEY, bytes.to_string()],
    )?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "attachment.limit",
        "settings",
        None,
        &bytes.to_string(),
    )
}

const SELECT: &str =
    "SELECT id, interaction_id, original_name, mime_type, size, blob_hash, added_by, added_at
    FROM interaction_attachments";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        interaction_id: r.get(1)?,
        original_name: r.get(2)?,
        mime_type: r.get(3)?,
        size: r.get::<_, i64>(4)? as u64,
        hash: r.get(5)?,
        added_by: r.get(6)?,
        added_at: from_unix(r.get(7)?),
    })
}

/// A write transaction taken up front: adding and removing blobs hold the write lock while
/// they touch files, so a removal can never delete a file another connection is attaching.
fn immediate(conn: &Connection) -> Result<Transaction<'_>> {
    Ok(Transaction::new_unchecked(
        conn,
        TransactionBehavior::Immediate,
    )?)
}

/// Attach the file at `source_path` to an interaction, displayed under the file's own name.
/// This is what the file picker calls.
pub fn add_file(
    conn: &Connection,
    data_dir: &Path,
    now: DateTime<Utc>,
    actor: &Actor,
    interaction_id: i64,
    source_path: &Path,
) -> Result<Attachment> {
    let raw = source_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    add_file_named(
        conn,
        data_dir,
        now,
        actor,
        interaction_id,
        source_path,
        &raw,
    )
}

/// Attach the file at `source_path`, displayed as `original_name` (drag and drop, where the
/// name comes separately). The name is cleaned ([`name::display_name`]) and never used as a
/// path. Refused with `attachment.too_large` above [`max_bytes`].
pub fn add_file_named(
    conn: &Connection,
    data_dir: &Path,
    now: DateTime<Utc>,
    actor: &Actor,
    interaction_id: i64,
    source_path: &Path,
    original_name: &str,
) -> Result<Attachment> {
    actor.require(Action::InteractionLog)?;
    get_interaction(conn, actor, interaction_id)?;
    let limit = max_bytes(conn)?;
    let shown = name::display_name(original_name);
    let mime = name::guess_mime(&shown);
    let tx = immediate(conn)?;
    let (hash, size) = blob::store(data_dir, source_path, limit)?;
    tx.execute(
        "INSERT OR IGNORE INTO attachment_blobs (hash, size, created_at) VALUES (?1, ?2, ?3)",
        params![hash, size as i64, now.timestamp()],
    )?;
    tx.execute(
        "INSERT INTO interaction_attachments (interaction_id, blob_hash, original_name, mime_type,
             size, added_by, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            interaction_id,
            hash,
            shown,
            mime,
            size as i64,
            actor.user_id,
            now.timestamp()
        ],
    )?;
    let id = tx.last_insert_rowid();
    let out = tx.query_row(&format!("{SELECT} WHERE id = ?1"), [id], read_row)?;
    tx.commit()?;
    Ok(out)
}

/// Load an attachment whose interaction the actor may see.
fn load_visible(conn: &Connection, actor: &Actor, id: i64) -> Result<Attachment> {
    let a = conn
        .query_row(&format!("{SELECT} WHERE id = ?1"), [id], read_row)
        .optional()?
        .ok_or(Error::NotFound("attachment"))?;
    get_interaction(conn, actor, a.interaction_id).map_err(|e| match e {
        Error::NotFound(_) => Error::NotFound("attachment"),
        other => other,
    })?;
    Ok(a)
}

/// The files attached to an interaction, in the order they were added.
pub fn list(conn: &Connection, actor: &Actor, interaction_id: i64) -> Result<Vec<Attachment>> {
    get_interaction(conn, actor, interaction_id)?;
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE interaction_id = ?1 ORDER BY id"))?;
    let rows = stmt
        .query_map([interaction_id], read_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Where an attachment's content is, for the app to open with the system's default
/// application. The file has no extension; see [`open_copy`] when the OS needs one.
pub fn blob_path(conn: &Connection, data_dir: &Path, actor: &Actor, id: i64) -> Result<PathBuf> {
    let a = load_visible(conn, actor, id)?;
    let path = blob::path_of(data_dir, &a.hash)?;
    if !path.is_file() {
        return Err(Error::NotFound("attachment file"));
    }
    Ok(path)
}

/// A copy of the attachment under `<data_dir>/attachments/open/<hash>.<ext>`, for opening with
/// the default application (which picks it by extension). The extension comes from our own
/// table of known types, never from the user's text; unknown types get none.
pub fn open_copy(conn: &Connection, data_dir: &Path, actor: &Actor, id: i64) -> Result<PathBuf> {
    let a = load_visible(conn, actor, id)?;
    let src = blob_path(conn, data_dir, actor, id)?;
    let ext = name::known_extension(&a.original_name);
    let dir = blob::root(data_dir).join("open");
    std::fs::create_dir_all(&dir)?;
    let dest = match ext {
        Some(e) => dir.join(format!("{}.{e}", a.hash)),
        None => dir.join(&a.hash),
    };
    if !std::fs::metadata(&dest).is_ok_and(|m| m.len() == a.size) {
        std::fs::copy(&src, &dest)?;
    }
    Ok(dest)
}

/// Detach a file. Its blob (row and file) stays in the content-addressed store: backups taken
/// before the detach still refer to it, so restoring one finds its files. Unreferenced blobs go
/// only through [`collect_garbage`], which runs after a customer is erased.
pub fn remove(conn: &Connection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Action::InteractionLog)?;
    load_visible(conn, actor, id)?;
    conn.execute("DELETE FROM interaction_attachments WHERE id = ?1", [id])?;
    Ok(())
}

/// Tidy the store (after customers were erased, or a crash): delete blobs nothing refers to,
/// files without a row, and temporary files older than a day. Returns how many files went.
pub fn collect_garbage(
    conn: &Connection,
    data_dir: &Path,
    now: DateTime<Utc>,
    actor: &Actor,
) -> Result<usize> {
    actor.require(Action::DataManage)?;
    let tx = immediate(conn)?;
    tx.execute(
        "DELETE FROM attachment_blobs WHERE hash NOT IN (SELECT blob_hash FROM interaction_attachments)",
        [],
    )?;
    let (files, temps) = blob::scan(data_dir)?;
    let mut removed = 0;
    for hash in files {
        let known: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM attachment_blobs WHERE hash = ?1",
                [&hash],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_none() {
            blob::remove(data_dir, &hash)?;
            removed += 1;
        }
    }
    let cutoff = now - Duration::days(1);
    for temp in temps {
        let old = std::fs::metadata(&temp)
            .and_then(|m| m.modified())
            .map(|t| DateTime::<Utc>::from(t) < cutoff)
            .unwrap_or(false);
        if old && std::fs::remove_file(&temp).is_ok() {
            removed += 1;
        }
    }
    let _ = std::fs::remove_dir_all(blob::root(data_dir).join("open"));
    tx.commit()?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "attachment.gc",
        "attachment",
        None,
        &removed.to_string(),
    )?;
    Ok(removed)
}

#[cfg(test)]
mod tests;
