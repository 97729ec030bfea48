//! Tags (free, coloured, many per customer) and the editable list of industries.

use super::model::Tag;
use crate::account::Actor;
use crate::permission::Action;
use crate::validate::required_line;
use crate::{Error, Result};
use rusqlite::{Connection, OptionalExtension, params};

/// Colour given to tags created on the fly.
pub const DEFAULT_COLOUR: &str = "#888888";

fn valid_colour(c: &str) -> Result<String> {
    let c = c.trim();
    let ok = c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(c.to_lowercase())
    } else {
        Err(Error::invalid(
            "tag.colour_invalid",
            "colour",
            "use a colour such as #1e90ff",
        ))
    }
}

/// Every tag, by name.
pub fn list_tags(conn: &Connection, actor: &Actor) -> Result<Vec<Tag>> {
    actor.require(Action::CustomerView)?;
    let mut stmt =
        conn.prepare("SELECT id, name, colour FROM tags ORDER BY name COLLATE NOCASE")?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Tag {
                id: r.get(0)?,
                name: r.get(1)?,
                colour: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Create (`id` None) or rename / recolour a tag. Names are unique ignoring case.
pub fn save_tag(
    conn: &Connection,
    actor: &Actor,
    id: Option<i64>,
    name: &str,
    colour: &str,
) -> Result<Tag> {
    actor.require(Action::CustomerEdit)?;
    let name = required_line("name", name)?;
    let colour = valid_colour(colour)?;
    let taken: Option<i64> = conn
        .query_row("SELECT id FROM tags WHERE name = ?1", [&name], |r| r.get(0))
        .optional()?;
    if taken.is_some() && taken != id {
        return Err(Error::invalid(
            "tag.name_taken",
            "name",
            "a tag with this name exists",
        ));
    }
    let id = match id {
        Some(id) => {
            if conn.execute(
                "UPDATE tags SET name = ?1, colour = ?2 WHERE id = ?3",
                params![name, colour, id],
            )? == 0
            {
                return Err(Error::NotFound("tag"));
            }
            id
        }
        None => {
            conn.execute(
                "INSERT INTO tags (name, colour) VALUES (?1, ?2)",
                params![name, colour],
            )?;
            conn.last_insert_rowid()
        }
    };
    Ok(Tag { id, name, colour })
}

/// The ids of these tag names, creating missing tags with the default colour.
pub(crate) fn ensure_tags(conn: &Connection, names: &[String]) -> Result<Vec<i64>> {
    let mut find = conn.prepare_cached("SELECT id FROM tags WHERE name = ?1")?;
    let mut insert = conn.prepare_cached("INSERT INTO tags (name, colour) VALUES (?1, ?2)")?;
    let mut ids = Vec::with_capacity(names.len());
    for n in names {
        let id = match find.query_row([n], |r| r.get(0)).optional()? {
            Some(id) => id,
            None => {
                insert.execute(params![n, DEFAULT_COLOUR])?;
                conn.last_insert_rowid()
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Replace a customer's tags by these names.
pub(crate) fn set_customer_tags(
    conn: &Connection,
    customer_id: i64,
    names: &[String],
) -> Result<()> {
    conn.prepare_cached("DELETE FROM customer_tags WHERE customer_id = ?1")?
        .execute([customer_id])?;
    let ids = ensure_tags(conn, names)?;
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id) VALUES (?1, ?2)",
    )?;
    for id in ids {
        insert.execute(params![customer_id, id])?;
    }
    Ok(())
}

/// A customer's tags, by name.
pub fn customer_tags(conn: &Connection, customer_id: i64) -> Result<Vec<Tag>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.id, t.name, t.colour FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.customer_id = ?1 ORDER BY t.name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([customer_id], |r| {
            Ok(Tag {
                id: r.get(0)?,
                name: r.get(1)?,
                colour: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The industries offered in the form, in display order.
pub fn list_industries(conn: &Connection, actor: &Actor) -> Result<Vec<String>> {
    actor.require(Action::CustomerView)?;
    let mut stmt = conn.prepare("SELECT name FROM industries ORDER BY sort, id")?;
    let rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Replace the industry list (admins). Customers keep their industry text even when it leaves
/// the list.
pub fn save_industries(
    conn: &mut Connection,
    actor: &Actor,
    names: &[String],
) -> Result<Vec<String>> {
    actor.require(Action::TeamEdit)?;
    let clean = super::fields::clean_tags(names)?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM industries", [])?;
    for (i, n) in clean.iter().enumerate() {
        tx.execute(
            "INSERT INTO industries (name, sort) VALUES (?1, ?2)",
            params![n, i as i64],
        )?;
    }
    tx.commit()?;
    list_industries(conn, actor)
}
