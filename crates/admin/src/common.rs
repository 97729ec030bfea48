//! What every subcommand needs: opening an existing data folder, acting as a user, turning
//! core errors into one-line messages.

use rapport_core::account::Actor;
use rapport_core::permission::Role;
use rapport_core::{Error, db};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;

/// Open the database of a data folder that must already exist (never create one by mistake).
pub fn open_existing(dir: &Path) -> Result<Connection, String> {
    let path = dir.join(db::DB_FILE);
    if !path.exists() {
        return Err(format!("no Rapport database in {}", dir.display()));
    }
    db::open(&path).map_err(msg)
}

/// A core error as a message: its stable code and its text.
pub fn msg(e: Error) -> String {
    format!("{} ({})", e, e.code())
}

/// id, username, display name, role, department, locale, must change password.
type UserRow = (i64, String, String, String, Option<i64>, String, bool);

/// The user a command acts as: `username` if given (must be active), else the first active
/// admin. The CLI has the data folder's file in hand, so it needs no password.
pub fn actor(conn: &Connection, username: Option<&str>) -> Result<Actor, String> {
    let sql = "SELECT id, username, display_name, role, department_id, locale, must_change_password
               FROM users WHERE active = 1 AND ";
    let row = |r: &rusqlite::Row| -> rusqlite::Result<UserRow> {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    };
    let found = match username {
        Some(u) => conn
            .query_row(&format!("{sql} username = ?1"), [u], row)
            .optional(),
        None => conn
            .query_row(
                &format!("{sql} role = 'admin' ORDER BY id LIMIT 1"),
                [],
                row,
            )
            .optional(),
    }
    .map_err(|e| e.to_string())?;
    let (user_id, username, display_name, role, department_id, locale, must_change_password) =
        found.ok_or_else(|| match username {
            Some(u) => format!("no active user named {u}"),
            None => "no active admin: set the team up in the app first".to_string(),
        })?;
    Ok(Actor {
        user_id,
        username,
        display_name,
        role: Role::parse(&role).map_err(msg)?,
        department_id,
        locale,
        must_change_password,
    })
}
