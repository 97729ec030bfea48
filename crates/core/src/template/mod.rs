//! Call-script templates (话术): a text per purpose and language, seeded with defaults by the
//! migration and editable by supervisors and admins (with a reset to the shipped default, kept
//! in `call_script_defaults`); filled from the customer page with the customer's, the contact's
//! and the caller's details (`fill.rs` is the pure part).

mod fill;

pub use fill::{Filled, PLACEHOLDERS, PlaceholderValues, fill};

use crate::access::visible_customer;
use crate::account::Actor;
use crate::clock::from_unix;
use crate::interaction::CALLBACK_CHANNEL;
use crate::permission::Action;
use crate::validate::{required_line, text};
use crate::{Error, Result, team};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// What a script is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// First contact after signing.
    FirstContact,
    /// Regular call-back.
    RegularCallback,
    /// Calming a complaint.
    ComplaintSoothing,
    /// Telling the outcome of a complaint.
    ComplaintResult,
    /// Satisfaction call-back.
    SatisfactionCallback,
    /// Holiday greeting.
    HolidayGreeting,
}

impl Purpose {
    /// Every purpose, in display order.
    pub const ALL: [Purpose; 6] = [
        Purpose::FirstContact,
        Purpose::RegularCallback,
        Purpose::ComplaintSoothing,
        Purpose::ComplaintResult,
        Purpose::SatisfactionCallback,
        Purpose::HolidayGreeting,
    ];

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::FirstContact => "first_contact",
            Purpose::RegularCallback => "regular_callback",
            Purpose::ComplaintSoothing => "complaint_soothing",
            Purpose::ComplaintResult => "complaint_result",
            Purpose::SatisfactionCallback => "satisfaction_callback",
            Purpose::HolidayGreeting => "holiday_greeting",
        }
    }

    fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A call script.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    /// Id.
    pub id: i64,
    /// What it is for.
    pub purpose: Purpose,
    /// `zh-CN` or `en`.
    pub locale: String,
    /// Title shown in the picker.
    pub title: String,
    /// The text with placeholders.
    pub body: String,
    /// Who edited it last (none while it is the seeded default).
    pub updated_by: Option<i64>,
    /// When.
    pub updated_at: Option<DateTime<Utc>>,
    /// Pass back to [`update_template`] / [`reset_template`].
    pub version: i64,
    /// Whether the title or text differs from the shipped default (Settings offers a reset).
    pub customised: bool,
}

const SELECT: &str =
    "SELECT s.id, s.purpose, s.locale, s.title, s.body, s.updated_by, s.updated_at,
        s.version, (d.body IS NULL OR d.body IS NOT s.body OR d.title IS NOT s.title)
    FROM call_scripts s LEFT JOIN call_script_defaults d
        ON d.purpose = s.purpose AND d.locale = s.locale";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Template>> {
    let purpose: String = r.get(1)?;
    // Rows of a purpose this build does not know (added by a newer Rapport) are skipped.
    let Some(purpose) = Purpose::parse(&purpose) else {
        return Ok(None);
    };
    Ok(Some(Template {
        id: r.get(0)?,
        purpose,
        locale: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
        updated_by: r.get(5)?,
        updated_at: r.get::<_, Option<i64>>(6)?.map(from_unix),
        version: r.get(7)?,
        customised: r.get(8)?,
    }))
}

/// The scripts, in purpose order; only one language when `locale` is given.
pub fn list_templates(
    conn: &Connection,
    actor: &Actor,
    locale: Option<&str>,
) -> Result<Vec<Template>> {
    actor.require(Action::InteractionView)?;
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE ?1 IS NULL OR s.locale = ?1 ORDER BY s.locale, s.id"
    ))?;
    let mut rows: Vec<Template> = stmt
        .query_map([locale], read_row)?
        .filter_map(|r| r.transpose())
        .collect::<rusqlite::Result<_>>()?;
    rows.sort_by_key(|t| {
        (
            t.locale.clone(),
            Purpose::ALL.iter().position(|p| *p == t.purpose),
        )
    });
    Ok(rows)
}

/// One script.
pub fn get_template(conn: &Connection, actor: &Actor, id: i64) -> Result<Template> {
    actor.require(Action::InteractionView)?;
    conn.query_row(&format!("{SELECT} WHERE s.id = ?1"), [id], read_row)
        .optional()?
        .flatten()
        .ok_or(Error::NotFound("template"))
}

/// Edit a script's title and text. `expected_version` guards against overwriting someone
/// else's edit made meanwhile.
pub fn update_template(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    title: &str,
    body: &str,
) -> Result<Template> {
    actor.require(Action::TemplateEdit)?;
    write(
        conn,
        now,
        actor,
        id,
        expected_version,
        (title, body),
        "template.update",
    )
}

/// Store a new title and text if the script is still at `expected_version`, and audit it as
/// `audit_action` — both or neither.
fn write(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    (title, body): (&str, &str),
    audit_action: &str,
) -> Result<Template> {
    let title = required_line("title", title)?;
    let body = text("body", body)?;
    if body.trim().is_empty() {
        return Err(Error::invalid("field.required", "body", "body is required"));
    }
    let current = get_template(conn, actor, id)?;
    if current.version != expected_version {
        return Err(Error::conflict(
            "template.version_conflict",
            "someone else changed this template meanwhile; reload and try again",
        ));
    }
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE call_scripts SET title = ?1, body = ?2, updated_by = ?3, updated_at = ?4,
             version = version + 1 WHERE id = ?5 AND version = ?6",
        params![
            title,
            body,
            actor.user_id,
            now.timestamp(),
            id,
            expected_version
        ],
    )?;
    team::audit(
        &tx,
        now,
        Some(actor.user_id),
        audit_action,
        "call_script",
        Some(id),
        current.purpose.as_str(),
    )?;
    let saved = get_template(&tx, actor, id)?;
    tx.commit()?;
    Ok(saved)
}

/// Put a script back to its shipped default title and text (loaded at `expected_version`, like
/// an edit). Refused for a script without a default (added by a newer Rapport).
pub fn reset_template(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    expected_version: i64,
) -> Result<Template> {
    actor.require(Action::TemplateEdit)?;
    let current = get_template(conn, actor, id)?;
    let (title, body): (String, String) = conn
        .query_row(
            "SELECT title, body FROM call_script_defaults WHERE purpose = ?1 AND locale = ?2",
            params![current.purpose.as_str(), current.locale],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(Error::NotFound("template default"))?;
    write(
        conn,
        now,
        actor,
        id,
        expected_version,
        (&title, &body),
        "template.reset",
    )
}

/// Gather the placeholder values for a customer: its name, the given contact (or its primary
/// contact), the actor's name and phone, and the date (team time zone) of its newest call-back.
pub fn values_for(
    conn: &Connection,
    actor: &Actor,
    customer_id: i64,
    contact_id: Option<i64>,
) -> Result<PlaceholderValues> {
    actor.require(Action::InteractionView)?;
    let customer = visible_customer(conn, actor, customer_id)?;
    let contact: Option<(String, String)> = match contact_id {
        Some(id) => Some(
            conn.query_row(
                "SELECT name, position FROM contacts WHERE id = ?1 AND customer_id = ?2",
                params![id, customer_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or_else(|| {
                Error::invalid(
                    "template.contact_invalid",
                    "contact_id",
                    "choose a contact of this customer",
                )
            })?,
        ),
        None => conn
            .query_row(
                "SELECT name, position FROM contacts WHERE customer_id = ?1 AND is_primary = 1",
                [customer_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?,
    };
    let (my_name, my_phone): (String, String) = conn
        .query_row(
            "SELECT display_name, phone FROM users WHERE id = ?1",
            [actor.user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or_else(|| (actor.display_name.clone(), String::new()));
    let last: Option<i64> = conn.query_row(
        "SELECT max(occurred_at) FROM interactions
         WHERE customer_id = ?1 AND channel = ?2 AND deleted_at IS NULL",
        params![customer_id, CALLBACK_CHANNEL],
        |r| r.get(0),
    )?;
    let tz = crate::calendar::store::parse_time_zone(&team::time_zone(conn)?)?;
    let some = |s: String| Some(s).filter(|s| !s.trim().is_empty());
    Ok(PlaceholderValues {
        customer_name: some(customer.name),
        contact_name: contact.as_ref().and_then(|c| some(c.0.clone())),
        position: contact.and_then(|c| some(c.1)),
        my_name: some(my_name),
        my_phone: some(my_phone),
        last_callback_date: last.map(|s| {
            from_unix(s)
                .with_timezone(&tz)
                .date_naive()
                .format("%Y-%m-%d")
                .to_string()
        }),
    })
}

#[cfg(test)]
mod tests;
