//! Saved views of the customer list: each user keeps named sets of filters, sort and columns
//! (the column chooser's choice) in the database, so they follow the person to any computer
//! using the same data. Views are private to their owner.

use super::list::ListQuery;
use crate::account::Actor;
use crate::permission::Action;
use crate::validate::required_line;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// Every column the list can show, by stable id (the UI maps each to a header and a cell).
pub const COLUMNS: [&str; 16] = [
    "number",
    "name",
    "stage",
    "tier",
    "industry",
    "owner",
    "department",
    "last_contact",
    "amount",
    "tags",
    "coop_start",
    "contract_end",
    "next_followup",
    "source",
    "created_at",
    "updated_at",
];

/// The columns shown when the person has not chosen any.
pub const DEFAULT_COLUMNS: [&str; 9] = [
    "number",
    "name",
    "stage",
    "tier",
    "industry",
    "owner",
    "last_contact",
    "amount",
    "tags",
];

/// A stored view.
#[derive(Debug, Clone, Serialize)]
pub struct SavedView {
    /// Id.
    pub id: i64,
    /// Name, unique per user ignoring case.
    pub name: String,
    /// Filters and sort (paging is not part of a view).
    pub query: ListQuery,
    /// Columns shown, in order.
    pub columns: Vec<String>,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Last saved (Unix seconds).
    pub updated_at: i64,
}

/// What the "save view" form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ViewInput {
    /// Name.
    pub name: String,
    /// Filters and sort.
    pub query: ListQuery,
    /// Columns in order (at least one, each from [`COLUMNS`], no repeats).
    pub columns: Vec<String>,
}

fn clean_name(name: &str) -> Result<String> {
    required_line("name", name).map_err(|e| match e {
        Error::Invalid {
            code: "field.required",
            ..
        } => Error::invalid("view.name_required", "name", "give the view a name"),
        other => other,
    })
}

/// Check a column list: known ids, no repeats, not empty.
pub fn validate_columns(columns: &[String]) -> Result<Vec<String>> {
    if columns.is_empty() {
        return Err(Error::invalid(
            "view.columns_empty",
            "columns",
            "show at least one column",
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(columns.len());
    for c in columns {
        if !COLUMNS.contains(&c.as_str()) {
            return Err(Error::invalid(
                "view.column_unknown",
                "columns",
                format!("unknown column {c:?}"),
            ));
        }
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    Ok(out)
}

/// The query a view keeps: paging removed.
fn stored_query(q: &ListQuery) -> ListQuery {
    ListQuery {
        offset: 0,
        limit: 0,
        ..q.clone()
    }
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SavedView> {
    let query: String = r.get(2)?;
    let columns: String = r.get(3)?;
    Ok(SavedView {
        id: r.get(0)?,
        name: r.get(1)?,
        query: serde_json::from_str(&query).unwrap_or_default(),
        columns: serde_json::from_str(&columns)
            .unwrap_or_else(|_| DEFAULT_COLUMNS.iter().map(|c| c.to_string()).collect()),
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

const VIEW_COLUMNS: &str = "id, name, query, columns, created_at, updated_at";

fn load_own(conn: &Connection, actor: &Actor, id: i64) -> Result<SavedView> {
    conn.query_row(
        &format!("SELECT {VIEW_COLUMNS} FROM customer_views WHERE id = ?1 AND user_id = ?2"),
        params![id, actor.user_id],
        from_row,
    )
    .optional()?
    .ok_or(Error::NotFound("view"))
}

fn ensure_name_free(conn: &Connection, actor: &Actor, name: &str, id: Option<i64>) -> Result<()> {
    let taken: Option<i64> = conn
        .query_row(
            "SELECT id FROM customer_views WHERE user_id = ?1 AND name = ?2 COLLATE NOCASE",
            params![actor.user_id, name],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() && taken != id {
        return Err(Error::invalid(
            "view.name_taken",
            "name",
            "you already have a view with this name",
        ));
    }
    Ok(())
}

/// The actor's saved views, by name.
pub fn list_views(conn: &Connection, actor: &Actor) -> Result<Vec<SavedView>> {
    actor.require(Action::CustomerView)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {VIEW_COLUMNS} FROM customer_views WHERE user_id = ?1 ORDER BY name COLLATE NOCASE, id"
    ))?;
    let rows = stmt
        .query_map([actor.user_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Create a view (`id` None) or overwrite one of the actor's views with new filters, sort,
/// columns and name.
pub fn save_view(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: Option<i64>,
    input: &ViewInput,
) -> Result<SavedView> {
    actor.require(Action::CustomerView)?;
    let name = clean_name(&input.name)?;
    let columns = validate_columns(&input.columns)?;
    if let Some(id) = id {
        load_own(conn, actor, id)?;
    }
    ensure_name_free(conn, actor, &name, id)?;
    // Plain data structures: serialising them cannot fail.
    let query = serde_json::to_string(&stored_query(&input.query)).unwrap_or_default();
    let columns = serde_json::to_string(&columns).unwrap_or_default();
    let t = now.timestamp();
    let id = match id {
        Some(id) => {
            conn.execute(
                "UPDATE customer_views SET name = ?1, query = ?2, columns = ?3, updated_at = ?4
                 WHERE id = ?5 AND user_id = ?6",
                params![name, query, columns, t, id, actor.user_id],
            )?;
            id
        }
        None => {
            conn.execute(
                "INSERT INTO customer_views (user_id, name, query, columns, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![actor.user_id, name, query, columns, t],
            )?;
            conn.last_insert_rowid()
        }
    };
    load_own(conn, actor, id)
}

/// Rename one of the actor's views.
pub fn rename_view(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    name: &str,
) -> Result<SavedView> {
    actor.require(Action::CustomerView)?;
    let name = clean_name(name)?;
    load_own(conn, actor, id)?;
    ensure_name_free(conn, actor, &name, Some(id))?;
    conn.execute(
        "UPDATE customer_views SET name = ?1, updated_at = ?2 WHERE id = ?3 AND user_id = ?4",
        params![name, now.timestamp(), id, actor.user_id],
    )?;
    load_own(conn, actor, id)
}

/// Delete one of the actor's views (the UI confirms first).
pub fn delete_view(conn: &Connection, actor: &Actor, id: i64) -> Result<()> {
    actor.require(Action::CustomerView)?;
    let n = conn.execute(
        "DELETE FROM customer_views WHERE id = ?1 AND user_id = ?2",
        params![id, actor.user_id],
    )?;
    if n == 0 {
        return Err(Error::NotFound("view"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::create_customer;
    use crate::customer::list::{SortKey, list_customers};
    use crate::customer::model::Stage;
    use crate::customer::tests::{new_customer, now, team};

    fn cols(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn views_are_saved_per_user_and_apply_as_saved() {
        let mut t = team();
        let a = create_customer(&mut t.conn, now(), &t.s1, &new_customer("中山集团")).unwrap();
        let mut potential = new_customer("青禾软件");
        potential.customer.stage = Stage::Potential;
        create_customer(&mut t.conn, now(), &t.s1, &potential).unwrap();

        let input = ViewInput {
            name: "  签约客户 ".into(),
            query: ListQuery {
                stage: Some(Stage::Signed),
                sort: SortKey::Name,
                desc: true,
                offset: 100,
                limit: 20,
                ..Default::default()
            },
            columns: cols(&["name", "amount", "name", "tags"]),
        };
        let v = save_view(&t.conn, now(), &t.s1, None, &input).unwrap();
        assert_eq!(v.name, "签约客户", "trimmed");
        assert_eq!(
            v.columns,
            cols(&["name", "amount", "tags"]),
            "repeats dropped"
        );
        assert_eq!(
            (v.query.offset, v.query.limit),
            (0, 0),
            "paging is not kept"
        );
        assert_eq!(v.query.sort, SortKey::Name);

        // Applying it lists what it was saved for.
        let page = list_customers(&t.conn, now(), &t.s1, &v.query).unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].id, a.customer.id);

        // Private to the owner: another user sees none and cannot touch it.
        assert!(list_views(&t.conn, &t.s2).unwrap().is_empty());
        assert_eq!(
            rename_view(&t.conn, now(), &t.s2, v.id, "x")
                .unwrap_err()
                .code(),
            "not_found"
        );
        assert_eq!(
            delete_view(&t.conn, &t.s2, v.id).unwrap_err().code(),
            "not_found"
        );
        // The same name is free for another user, taken (ignoring case) for the same one.
        save_view(&t.conn, now(), &t.s2, None, &input).unwrap();
        let mut other = input.clone();
        other.name = "Mine".into();
        let w = save_view(&t.conn, now(), &t.s1, None, &other).unwrap();
        assert_eq!(
            rename_view(&t.conn, now(), &t.s1, w.id, "签约客户")
                .unwrap_err()
                .code(),
            "view.name_taken"
        );
        let mut dup = other.clone();
        dup.name = "MINE".into();
        assert_eq!(
            save_view(&t.conn, now(), &t.s1, None, &dup)
                .unwrap_err()
                .code(),
            "view.name_taken"
        );
        // Overwriting keeps the id; renaming changes only the name.
        let mut changed = other.clone();
        changed.columns = cols(&["number"]);
        let w2 = save_view(&t.conn, now(), &t.s1, Some(w.id), &changed).unwrap();
        assert_eq!((w2.id, w2.columns.clone()), (w.id, cols(&["number"])));
        let w3 = rename_view(&t.conn, now(), &t.s1, w.id, "A 视图").unwrap();
        assert_eq!(
            (w3.name.as_str(), w3.columns.clone()),
            ("A 视图", cols(&["number"]))
        );
        let names: Vec<String> = list_views(&t.conn, &t.s1)
            .unwrap()
            .into_iter()
            .map(|v| v.name)
            .collect();
        assert_eq!(names, ["A 视图", "签约客户"]);

        delete_view(&t.conn, &t.s1, w.id).unwrap();
        assert_eq!(list_views(&t.conn, &t.s1).unwrap().len(), 1);
        assert_eq!(
            delete_view(&t.conn, &t.s1, w.id).unwrap_err().code(),
            "not_found"
        );
    }

    #[test]
    fn bad_names_and_columns_are_refused() {
        let t = team();
        let mut input = ViewInput {
            name: " ".into(),
            columns: cols(&["name"]),
            ..Default::default()
        };
        let err = |i: &ViewInput| save_view(&t.conn, now(), &t.s1, None, i).unwrap_err();
        assert_eq!(err(&input).code(), "view.name_required");
        input.name = "v".into();
        input.columns = vec![];
        assert_eq!(err(&input).code(), "view.columns_empty");
        input.columns = cols(&["name", "password_hash"]);
        assert_eq!(err(&input).code(), "view.column_unknown");
        assert_eq!(
            save_view(
                &t.conn,
                now(),
                &t.s1,
                Some(999),
                &ViewInput {
                    name: "v".into(),
                    columns: cols(&["name"]),
                    ..Default::default()
                }
            )
            .unwrap_err()
            .code(),
            "not_found"
        );
        assert!(DEFAULT_COLUMNS.iter().all(|c| COLUMNS.contains(c)));
    }
}
