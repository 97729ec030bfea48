//! Interactions in SQLite: logging (with inline to-dos), editing with optimistic concurrency and
//! an append-only history, soft deletion, the customer timeline and the global list. Every
//! operation checks the role (`InteractionView` / `InteractionLog`) and the customer scope
//! (staff: own customers; heads: their department's; others: all).

use super::channel::channel_archived;
use super::rules::check_input;
use super::{Interaction, InteractionInput, Participant, Todo};
use crate::access::{customer_condition, visible_customer};
use crate::account::Actor;
use crate::clock::from_unix;
use crate::page::{Page, Paged};
use crate::permission::Action;
use crate::task::{NewTask, SourceKind, create_from_source};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params, params_from_iter, types::Value};
use serde::{Deserialize, Serialize};

/// Filters of the global interaction list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InteractionFilter {
    /// Only from this instant on.
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Only before this instant.
    #[serde(default)]
    pub to: Option<DateTime<Utc>>,
    /// Only these channels (all when empty).
    #[serde(default)]
    pub channels: Vec<String>,
    /// Only where this user owns the customer or logged the interaction.
    #[serde(default)]
    pub owner_user_id: Option<i64>,
    /// Only this customer.
    #[serde(default)]
    pub customer_id: Option<i64>,
    /// Only those with (true) or without (false) open to-dos.
    #[serde(default)]
    pub has_open_todos: Option<bool>,
    /// Which page.
    #[serde(default)]
    pub page: Page,
}

/// One entry of an interaction's edit history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub user_id: Option<i64>,
    /// `create`, `update` or `delete`.
    pub change: String,
    /// The record before (none for `create`).
    pub old: Option<serde_json::Value>,
    /// The record after (none for `delete`).
    pub new: Option<serde_json::Value>,
}

/// What the history stores of a record: the editable fields and the participants.
#[derive(Debug, Serialize)]
struct Snapshot<'a> {
    customer_id: i64,
    #[serde(flatten)]
    fields: &'a InteractionInput,
}

/// The JSON of a snapshot (plain strings and numbers: serialising cannot fail).
fn snapshot(customer_id: i64, fields: &InteractionInput) -> Result<String> {
    Ok(serde_json::to_string(&Snapshot {
        customer_id,
        fields,
    })
    .unwrap_or_default())
}

// `+t.status` keeps SQLite on the `tasks_source` index: with statistics it would otherwise pick
// `tasks_status_due` and walk every open task for each interaction (931 ms → 10 ms for a
// timeline on the large demo set, docs/benchmarks.md).
const SELECT: &str =
    "SELECT i.id, i.customer_id, c.name, i.occurred_at, i.channel, ch.name_zh, ch.name_en,
        i.subject, i.key_points, i.customer_needs, i.commitments, i.next_step, i.satisfaction,
        i.feedback_id, i.created_by, cu.display_name, i.created_at, i.updated_by, i.updated_at,
        i.version,
        (SELECT count(*) FROM tasks t WHERE t.source_kind = 'interaction' AND t.source_id = i.id
            AND +t.status = 'open'),
        (SELECT count(*) FROM interaction_attachments a WHERE a.interaction_id = i.id)
    FROM interactions i
    JOIN customers c ON c.id = i.customer_id
    JOIN interaction_channels ch ON ch.code = i.channel
    LEFT JOIN users cu ON cu.id = i.created_by";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Interaction> {
    Ok(Interaction {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        occurred_at: from_unix(r.get(3)?),
        channel: r.get(4)?,
        channel_name_zh: r.get(5)?,
        channel_name_en: r.get(6)?,
        subject: r.get(7)?,
        key_points: r.get(8)?,
        customer_needs: r.get(9)?,
        commitments: r.get(10)?,
        next_step: r.get(11)?,
        satisfaction: r.get(12)?,
        feedback_id: r.get(13)?,
        contacts: Vec::new(),
        users: Vec::new(),
        created_by: r.get(14)?,
        created_by_name: r.get(15)?,
        created_at: from_unix(r.get(16)?),
        updated_by: r.get(17)?,
        updated_at: from_unix(r.get(18)?),
        version: r.get(19)?,
        open_todos: r.get(20)?,
        attachments: r.get(21)?,
    })
}

fn with_participants(conn: &Connection, mut i: Interaction) -> Result<Interaction> {
    let mut stmt = conn.prepare_cached(
        "SELECT ct.id, ct.name FROM interaction_contacts ic JOIN contacts ct ON ct.id = ic.contact_id
         WHERE ic.interaction_id = ?1 ORDER BY ct.is_primary DESC, ct.id",
    )?;
    i.contacts = stmt
        .query_map([i.id], |r| {
            Ok(Participant {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.display_name FROM interaction_users iu JOIN users u ON u.id = iu.user_id
         WHERE iu.interaction_id = ?1 ORDER BY u.id",
    )?;
    i.users = stmt
        .query_map([i.id], |r| {
            Ok(Participant {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(i)
}

/// Load a live (not deleted) interaction whose customer the actor may see.
fn load_visible(conn: &Connection, actor: &Actor, id: i64) -> Result<Interaction> {
    let i = conn
        .query_row(
            &format!(
                "{SELECT} WHERE i.id = ?1 AND i.deleted_at IS NULL AND {}",
                customer_condition(actor, "c")
            ),
            [id],
            read_row,
        )
        .optional()?
        .ok_or(Error::NotFound("interaction"))?;
    with_participants(conn, i)
}

/// The input as stored now, for the history's "old" side.
fn stored_input(i: &Interaction) -> InteractionInput {
    InteractionInput {
        occurred_at: i.occurred_at,
        channel: i.channel.clone(),
        subject: i.subject.clone(),
        key_points: i.key_points.clone(),
        customer_needs: i.customer_needs.clone(),
        commitments: i.commitments.clone(),
        next_step: i.next_step.clone(),
        satisfaction: i.satisfaction,
        feedback_id: i.feedback_id,
        contact_ids: i.contacts.iter().map(|p| p.id).collect(),
        user_ids: i.users.iter().map(|p| p.id).collect(),
    }
}

/// Check the parts of the input that need the database: a live channel (an archived one only
/// when it is already on the record), contacts of this customer, existing users.
fn check_references(
    conn: &Connection,
    customer_id: i64,
    input: &InteractionInput,
    current_channel: Option<&str>,
) -> Result<()> {
    match channel_archived(conn, &input.channel)? {
        None => {
            return Err(Error::invalid(
                "interaction.channel_invalid",
                "channel",
                "choose a channel from the list",
            ));
        }
        Some(true) if current_channel != Some(input.channel.as_str()) => {
            return Err(Error::invalid(
                "interaction.channel_archived",
                "channel",
                "this channel is no longer in use",
            ));
        }
        Some(_) => {}
    }
    for &contact in &input.contact_ids {
        let owner: Option<i64> = conn
            .query_row(
                "SELECT customer_id FROM contacts WHERE id = ?1",
                [contact],
                |r| r.get(0),
            )
            .optional()?;
        if owner != Some(customer_id) {
            return Err(Error::invalid(
                "interaction.contact_invalid",
                "contact_ids",
                "participants on the customer's side must be this customer's contacts",
            ));
        }
    }
    for &user in &input.user_ids {
        let exists: Option<i64> = conn
            .query_row("SELECT id FROM users WHERE id = ?1", [user], |r| r.get(0))
            .optional()?;
        if exists.is_none() {
            return Err(Error::invalid(
                "interaction.user_invalid",
                "user_ids",
                "participants on our side must be users of the team",
            ));
        }
    }
    Ok(())
}

fn write_participants(conn: &Connection, id: i64, input: &InteractionInput) -> Result<()> {
    conn.execute(
        "DELETE FROM interaction_contacts WHERE interaction_id = ?1",
        [id],
    )?;
    conn.execute(
        "DELETE FROM interaction_users WHERE interaction_id = ?1",
        [id],
    )?;
    for c in &input.contact_ids {
        conn.execute(
            "INSERT INTO interaction_contacts (interaction_id, contact_id) VALUES (?1, ?2)",
            params![id, c],
        )?;
    }
    for u in &input.user_ids {
        conn.execute(
            "INSERT INTO interaction_users (interaction_id, user_id) VALUES (?1, ?2)",
            params![id, u],
        )?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn record_history(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    customer_id: i64,
    change: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> Result<()> {
    conn.execute(
        "INSERT INTO interaction_history (interaction_id, customer_id, at, user_id, change, old_json, new_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, customer_id, now.timestamp(), actor.user_id, change, old, new],
    )?;
    Ok(())
}

/// Set the customer's `last_contact_at` to its newest live interaction (NULL when none).
fn recompute_last_contact(conn: &Connection, customer_id: i64) -> Result<()> {
    conn.execute(
        "UPDATE customers SET last_contact_at =
            (SELECT max(occurred_at) FROM interactions WHERE customer_id = ?1 AND deleted_at IS NULL)
         WHERE id = ?1",
        [customer_id],
    )?;
    Ok(())
}

/// Log a contact with a customer, with its participants and to-dos (each becomes a task linked
/// to the interaction, for the same customer), all or nothing. Updates the customer's last
/// contact time.
pub fn log_interaction(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    customer_id: i64,
    input: &InteractionInput,
    todos: &[Todo],
) -> Result<Interaction> {
    let tx = conn.transaction()?;
    let id = insert_interaction(&tx, now, actor, customer_id, input, todos)?;
    let out = load_visible(&tx, actor, id)?;
    tx.commit()?;
    Ok(out)
}

/// [`log_interaction`] inside the caller's transaction (the feedback module logs a customer-facing
/// response as an interaction linked to its item in the same transaction); returns the new id.
pub(crate) fn insert_interaction(
    tx: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    customer_id: i64,
    input: &InteractionInput,
    todos: &[Todo],
) -> Result<i64> {
    actor.require(Action::InteractionLog)?;
    let input = check_input(input, now)?;
    let customer = visible_customer(tx, actor, customer_id)?;
    if customer.archived {
        return Err(Error::conflict(
            "interaction.customer_archived",
            "the customer is archived; restore it before logging contacts",
        ));
    }
    check_references(tx, customer_id, &input, None)?;
    tx.execute(
        "INSERT INTO interactions (customer_id, occurred_at, channel, subject, key_points,
             customer_needs, commitments, next_step, satisfaction, feedback_id,
             created_by, created_at, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?11, ?12)",
        params![
            customer_id,
            input.occurred_at.timestamp(),
            input.channel,
            input.subject,
            input.key_points,
            input.customer_needs,
            input.commitments,
            input.next_step,
            input.satisfaction,
            input.feedback_id,
            actor.user_id,
            now.timestamp()
        ],
    )?;
    let id = tx.last_insert_rowid();
    write_participants(tx, id, &input)?;
    for todo in todos {
        create_from_source(
            tx,
            now,
            actor,
            &NewTask {
                title: todo.title.clone(),
                notes: todo.notes.clone(),
                owner_user_id: todo.owner_user_id,
                due_at: todo.due_at,
                customer_id: Some(customer_id),
            },
            SourceKind::Interaction,
            Some(id),
        )?;
    }
    record_history(
        tx,
        now,
        actor,
        id,
        customer_id,
        "create",
        None,
        Some(&snapshot(customer_id, &input)?),
    )?;
    recompute_last_contact(tx, customer_id)?;
    Ok(id)
}

/// Edit an interaction. `expected_version` is the version the form was loaded with: if someone
/// changed it meanwhile the edit is refused rather than silently overwriting theirs. The old and
/// new record go to the history; the customer's last contact time is recomputed. (The customer
/// cannot be changed; to-dos are managed as tasks.)
pub fn update_interaction(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    expected_version: i64,
    input: &InteractionInput,
) -> Result<Interaction> {
    actor.require(Action::InteractionLog)?;
    let input = check_input(input, now)?;
    let tx = conn.transaction()?;
    let current = load_visible(&tx, actor, id)?;
    if current.version != expected_version {
        return Err(version_conflict());
    }
    check_references(&tx, current.customer_id, &input, Some(&current.channel))?;
    let old = stored_input(&current);
    if old == input {
        return Ok(current);
    }
    tx.execute(
        "UPDATE interactions SET occurred_at = ?1, channel = ?2, subject = ?3, key_points = ?4,
             customer_needs = ?5, commitments = ?6, next_step = ?7, satisfaction = ?8,
             feedback_id = ?9, updated_by = ?10, updated_at = ?11, version = version + 1
         WHERE id = ?12 AND version = ?13",
        params![
            input.occurred_at.timestamp(),
            input.channel,
            input.subject,
            input.key_points,
            input.customer_needs,
            input.commitments,
            input.next_step,
            input.satisfaction,
            input.feedback_id,
            actor.user_id,
            now.timestamp(),
            id,
            expected_version
        ],
    )?;
    write_participants(&tx, id, &input)?;
    record_history(
        &tx,
        now,
        actor,
        id,
        current.customer_id,
        "update",
        Some(&snapshot(current.customer_id, &old)?),
        Some(&snapshot(current.customer_id, &input)?),
    )?;
    recompute_last_contact(&tx, current.customer_id)?;
    let out = load_visible(&tx, actor, id)?;
    tx.commit()?;
    Ok(out)
}

fn version_conflict() -> Error {
    Error::conflict(
        "interaction.version_conflict",
        "someone else changed this interaction meanwhile; reload and try again",
    )
}

/// Remove an interaction from the timeline (kept, with its history, for the record). Its tasks
/// and attachments stay; the customer's last contact time is recomputed.
pub fn delete_interaction(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    expected_version: i64,
) -> Result<()> {
    actor.require(Action::InteractionLog)?;
    let tx = conn.transaction()?;
    let current = load_visible(&tx, actor, id)?;
    if current.version != expected_version {
        return Err(version_conflict());
    }
    tx.execute(
        "UPDATE interactions SET deleted_at = ?1, deleted_by = ?2, updated_at = ?1,
             updated_by = ?2, version = version + 1 WHERE id = ?3",
        params![now.timestamp(), actor.user_id, id],
    )?;
    record_history(
        &tx,
        now,
        actor,
        id,
        current.customer_id,
        "delete",
        Some(&snapshot(current.customer_id, &stored_input(&current))?),
        None,
    )?;
    recompute_last_contact(&tx, current.customer_id)?;
    tx.commit()?;
    Ok(())
}

/// One interaction with its participants.
pub fn get_interaction(conn: &Connection, actor: &Actor, id: i64) -> Result<Interaction> {
    actor.require(Action::InteractionView)?;
    load_visible(conn, actor, id)
}

/// The edit history of an interaction the actor may see, oldest first.
pub fn history(conn: &Connection, actor: &Actor, id: i64) -> Result<Vec<HistoryEntry>> {
    actor.require(Action::InteractionView)?;
    let customer_id: i64 = conn
        .query_row(
            "SELECT customer_id FROM interactions WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound("interaction"))?;
    visible_customer(conn, actor, customer_id).map_err(|_| Error::NotFound("interaction"))?;
    let mut stmt = conn.prepare(
        "SELECT at, user_id, change, old_json, new_json FROM interaction_history
         WHERE interaction_id = ?1 ORDER BY id",
    )?;
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let rows = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(at, user_id, change, old, new)| HistoryEntry {
            at: from_unix(at),
            user_id,
            change,
            old: parse(old),
            new: parse(new),
        })
        .collect())
}

/// A customer's timeline: its interactions, newest first, optionally only some channels.
pub fn timeline(
    conn: &Connection,
    actor: &Actor,
    customer_id: i64,
    channels: &[String],
    page: Page,
) -> Result<Paged<Interaction>> {
    actor.require(Action::InteractionView)?;
    visible_customer(conn, actor, customer_id)?;
    list_interactions(
        conn,
        actor,
        &InteractionFilter {
            channels: channels.to_vec(),
            customer_id: Some(customer_id),
            page,
            ..Default::default()
        },
    )
}

/// The `WHERE` condition of the global list for `filter` within the actor's scope (aliases: `i`
/// the interaction, `c` its customer) and its arguments; the list and its table-2 export share
/// it, so an export holds exactly what the list shows.
pub(crate) fn list_condition(actor: &Actor, filter: &InteractionFilter) -> (String, Vec<Value>) {
    let mut cond = vec![
        "i.deleted_at IS NULL".to_string(),
        customer_condition(actor, "c"),
    ];
    let mut args: Vec<Value> = Vec::new();
    let arg = |v: Value, args: &mut Vec<Value>| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(from) = filter.from {
        cond.push(format!(
            "i.occurred_at >= {}",
            arg(from.timestamp().into(), &mut args)
        ));
    }
    if let Some(to) = filter.to {
        cond.push(format!(
            "i.occurred_at < {}",
            arg(to.timestamp().into(), &mut args)
        ));
    }
    if !filter.channels.is_empty() {
        let list: Vec<String> = filter
            .channels
            .iter()
            .map(|c| arg(c.clone().into(), &mut args))
            .collect();
        cond.push(format!("i.channel IN ({})", list.join(", ")));
    }
    if let Some(owner) = filter.owner_user_id {
        let p = arg(owner.into(), &mut args);
        cond.push(format!("(c.owner_user_id = {p} OR i.created_by = {p})"));
    }
    if let Some(c) = filter.customer_id {
        cond.push(format!("i.customer_id = {}", arg(c.into(), &mut args)));
    }
    if let Some(has) = filter.has_open_todos {
        cond.push(format!(
            "{} EXISTS (SELECT 1 FROM tasks t WHERE t.source_kind = 'interaction'
                AND t.source_id = i.id AND +t.status = 'open')",
            if has { "" } else { "NOT" }
        ));
    }
    (cond.join(" AND "), args)
}

/// The global interaction list within the actor's scope, newest first, filtered.
pub fn list_interactions(
    conn: &Connection,
    actor: &Actor,
    filter: &InteractionFilter,
) -> Result<Paged<Interaction>> {
    actor.require(Action::InteractionView)?;
    let (where_, args) = list_condition(actor, filter);
    let total: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM interactions i JOIN customers c ON c.id = i.customer_id WHERE {where_}"
        ),
        params_from_iter(args.iter()),
        |r| r.get(0),
    )?;
    let sql = format!(
        "{SELECT} WHERE {where_} ORDER BY i.occurred_at DESC, i.id DESC LIMIT {} OFFSET {}",
        filter.page.effective_limit(),
        filter.page.offset
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(params_from_iter(args.iter()), read_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let items = rows
        .into_iter()
        .map(|i| with_participants(conn, i))
        .collect::<Result<_>>()?;
    Ok(Paged {
        items,
        total: total as u64,
    })
}
