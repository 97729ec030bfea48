//! The plans' settings in the `settings` table (JSON values under stable keys), read with
//! defaults, and the task reminder lead time.

use crate::account::Actor;
use crate::permission::Action;
use crate::team::audit;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Settings key: minutes before a task's due time that it is announced as due soon.
pub const TASK_LEAD_KEY: &str = "task.lead_minutes";
/// Default lead time of task reminders.
pub const DEFAULT_TASK_LEAD_MINUTES: i64 = 60;
/// Largest lead time accepted (one week).
const MAX_TASK_LEAD_MINUTES: i64 = 7 * 24 * 60;

/// A stored setting parsed from JSON, `None` when absent; a damaged value is `plan.setting_corrupt`.
pub(crate) fn get<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let raw: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    raw.map(|json| {
        serde_json::from_str(&json).map_err(|e| {
            Error::conflict(
                "plan.setting_corrupt",
                format!("stored setting {key} unreadable: {e}"),
            )
        })
    })
    .transpose()
}

/// Store a setting as JSON and audit who changed it.
pub(crate) fn put<T: Serialize>(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    key: &str,
    value: &T,
) -> Result<()> {
    let json = serde_json::to_string(value)
        .map_err(|e| Error::conflict("plan.setting_corrupt", e.to_string()))?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, json],
    )?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "plan.setting_set",
        "settings",
        None,
        key,
    )
}

/// Minutes before its due time a task is announced as due soon (default 60).
pub fn task_lead_minutes(conn: &Connection) -> Result<i64> {
    Ok(get(conn, TASK_LEAD_KEY)?.unwrap_or(DEFAULT_TASK_LEAD_MINUTES))
}

/// Change the task reminder lead time: 0 to 10 080 minutes (`plan.task_lead_invalid`).
pub fn set_task_lead_minutes(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    minutes: i64,
) -> Result<i64> {
    actor.require(Action::PlanEdit)?;
    if !(0..=MAX_TASK_LEAD_MINUTES).contains(&minutes) {
        return Err(Error::invalid(
            "plan.task_lead_invalid",
            "lead_minutes",
            format!("the lead time must be 0 to {MAX_TASK_LEAD_MINUTES} minutes"),
        ));
    }
    put(conn, now, actor, TASK_LEAD_KEY, &minutes)?;
    Ok(minutes)
}
