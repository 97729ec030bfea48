//! One field change (`field`, contact, old → new as JSON) and how it is applied to the stored
//! record: shared by direct edits and approved change requests, so both paths write alike.

use super::fields::{SCALAR_FIELDS, contact_as_input, contact_value};
use super::model::Contact;
use super::store::{contacts_of, customer_as_input, load};
use super::tags::{customer_tags, set_customer_tags};
use crate::{Error, Result};
use rusqlite::{Connection, params, types::Value as SqlValue};
use serde_json::{Value, json};

/// A change of one field of a customer or of one of its contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Field name (see `fields.rs`, plus `tags` and `primary_contact`).
    pub field: String,
    /// The contact concerned, for contact fields.
    pub contact_id: Option<i64>,
    /// Value before.
    pub old: Value,
    /// Value after.
    pub new: Value,
}

impl Change {
    /// A change.
    pub fn new(field: &str, contact_id: Option<i64>, old: Value, new: Value) -> Self {
        Change {
            field: field.to_string(),
            contact_id,
            old,
            new,
        }
    }
}

/// Tag names as the comparable value of the `tags` field: sorted ignoring case.
pub fn tags_value(names: &[String]) -> Value {
    let mut v: Vec<String> = names.to_vec();
    v.sort_by_key(|n| n.to_lowercase());
    json!(v)
}

/// Does this change touch a key field (so that staff need approval)?
pub fn is_key_change(
    c: &Change,
    keys: &[String],
    old_primary: Option<i64>,
    existing: &[Contact],
) -> bool {
    let has = |k: &str| keys.iter().any(|x| x == k);
    match c.field.as_str() {
        "contact_phone" | "contact_email" => has(&c.field),
        "contact_name" => has("primary_contact") && c.contact_id == old_primary,
        "contact_removed" => {
            let Some(e) = existing.iter().find(|e| Some(e.id) == c.contact_id) else {
                return false;
            };
            (has("contact_phone") && (!e.mobile.is_empty() || !e.landline.is_empty()))
                || (has("contact_email") && !e.email.is_empty())
                || (has("primary_contact") && e.is_primary)
        }
        "primary_contact" => has("primary_contact") && old_primary.is_some(),
        "contact_position" | "contact_birthday" | "contact_notes" | "contact_added" => false,
        f => has(f),
    }
}

fn json_to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => n
            .as_i64()
            .map(SqlValue::Integer)
            .unwrap_or_else(|| SqlValue::Text(n.to_string())),
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

fn contact(
    conn: &Connection,
    customer_id: i64,
    contact_id: Option<i64>,
) -> Result<Option<Contact>> {
    Ok(contacts_of(conn, customer_id)?
        .into_iter()
        .find(|c| Some(c.id) == contact_id))
}

/// The value a field has now (`null` for a contact that no longer exists).
pub fn current_value(
    conn: &Connection,
    customer_id: i64,
    field: &str,
    contact_id: Option<i64>,
) -> Result<Value> {
    if SCALAR_FIELDS.contains(&field) {
        let c = load(conn, customer_id)?;
        return Ok(super::fields::scalar_value(&customer_as_input(&c), field));
    }
    Ok(match field {
        "tags" => tags_value(
            &customer_tags(conn, customer_id)?
                .into_iter()
                .map(|t| t.name)
                .collect::<Vec<_>>(),
        ),
        "primary_contact" => json!(
            contacts_of(conn, customer_id)?
                .iter()
                .find(|c| c.is_primary)
                .map(|c| c.id)
        ),
        f => match contact(conn, customer_id, contact_id)? {
            Some(c) => contact_value(&contact_as_input(&c), f),
            None => Value::Null,
        },
    })
}

/// Write a change to the record (no history, no version bump: the caller does those).
pub fn apply_change(conn: &Connection, customer_id: i64, ch: &Change) -> Result<()> {
    let f = ch.field.as_str();
    if let Some(col) = SCALAR_FIELDS.iter().find(|c| **c == f) {
        // `col` comes from the constant whitelist, never from the caller.
        let sql = format!("UPDATE customers SET {col} = ?1 WHERE id = ?2");
        conn.execute(&sql, params![json_to_sql(&ch.new), customer_id])?;
        if f == "name" {
            let name = ch.new.as_str().unwrap_or_default();
            conn.execute(
                "UPDATE customers SET name_key = ?1 WHERE id = ?2",
                params![super::dedupe::name_key(name), customer_id],
            )?;
        }
        return Ok(());
    }
    let cid = ch.contact_id;
    let contact_col = |col: &str| -> Result<()> {
        let n = conn.execute(
            &format!("UPDATE contacts SET {col} = ?1 WHERE id = ?2 AND customer_id = ?3"),
            params![json_to_sql(&ch.new), cid, customer_id],
        )?;
        if n == 0 {
            return Err(Error::NotFound("contact"));
        }
        Ok(())
    };
    match f {
        "tags" => {
            let names: Vec<String> = serde_json::from_value(ch.new.clone()).unwrap_or_default();
            set_customer_tags(conn, customer_id, &names)?;
        }
        "primary_contact" => {
            let id = ch.new.as_i64();
            if contact(conn, customer_id, id)?.is_none() {
                return Err(Error::conflict(
                    "change_request.stale",
                    "the contact to make primary no longer exists",
                ));
            }
            conn.execute(
                "UPDATE contacts SET is_primary = 0 WHERE customer_id = ?1 AND is_primary = 1",
                [customer_id],
            )?;
            conn.execute(
                "UPDATE contacts SET is_primary = 1 WHERE id = ?1 AND customer_id = ?2",
                params![id, customer_id],
            )?;
        }
        "contact_name" => contact_col("name")?,
        "contact_position" => contact_col("position")?,
        "contact_email" => contact_col("email")?,
        "contact_birthday" => contact_col("birthday")?,
        "contact_notes" => contact_col("notes")?,
        "contact_phone" => {
            let m = ch
                .new
                .get("mobile")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let l = ch
                .new
                .get("landline")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let n = conn.execute(
                "UPDATE contacts SET mobile = ?1, landline = ?2 WHERE id = ?3 AND customer_id = ?4",
                params![m, l, cid, customer_id],
            )?;
            if n == 0 {
                return Err(Error::NotFound("contact"));
            }
        }
        "contact_removed" => {
            let was_primary = contact(conn, customer_id, cid)?.is_some_and(|c| c.is_primary);
            let others: i64 = conn.query_row(
                "SELECT count(*) FROM contacts WHERE customer_id = ?1 AND id IS NOT ?2",
                params![customer_id, cid],
                |r| r.get(0),
            )?;
            if was_primary && others > 0 {
                return Err(Error::conflict(
                    "contact.primary_required",
                    "choose another primary contact before removing this one",
                ));
            }
            conn.execute(
                "DELETE FROM contacts WHERE id = ?1 AND customer_id = ?2",
                params![cid, customer_id],
            )?;
        }
        _ => {
            return Err(Error::invalid(
                "change_request.field_unknown",
                "field",
                format!("unknown field {f:?}"),
            ));
        }
    }
    Ok(())
}
