//! Stored reminders: recording candidates exactly once, what is pending delivery, the
//! notification centre (inbox, read state) and each user's preferences.

use super::policy::Prefs;
use super::{Candidate, Reminder, Stage};
use crate::account::Actor;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;

/// Marker in `delivery_error` for a reminder whose item no longer needs it (done, cancelled,
/// moved on to a later stage) before it could be shown.
const SUPERSEDED: &str = "superseded";

fn ts(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

const COLUMNS: &str = "id, kind, stage, item_kind, item_id, recipient_user_id, title, body, due_at, created_at, delivered_at, read_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Reminder> {
    let stage: String = r.get(2)?;
    Ok(Reminder {
        id: r.get(0)?,
        kind: r.get(1)?,
        stage: Stage::parse(&stage).unwrap_or(Stage::Info),
        item_kind: r.get(3)?,
        item_id: r.get(4)?,
        recipient_user_id: r.get(5)?,
        title: r.get(6)?,
        body: r.get(7)?,
        due_at: ts(r.get(8)?),
        created_at: ts(r.get(9)?),
        delivered_at: r.get::<_, Option<i64>>(10)?.map(ts),
        read_at: r.get::<_, Option<i64>>(11)?.map(ts),
    })
}

/// Store the candidates that are new (by their dedup key) and return them; candidates already
/// recorded — before a restart too — are ignored. One transaction.
pub fn record(
    conn: &Connection,
    now: DateTime<Utc>,
    candidates: &[Candidate],
) -> Result<Vec<Reminder>> {
    let tx = conn.unchecked_transaction()?;
    let mut new_ids = Vec::new();
    {
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO reminders (dedup_key, kind, stage, item_kind, item_id,
                 recipient_user_id, title, body, due_at, business_hours_only, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for c in candidates {
            let n = insert.execute(params![
                c.dedup_key(),
                c.kind,
                c.stage.as_str(),
                c.item_kind,
                c.item_id,
                c.recipient_user_id,
                c.title,
                c.body,
                c.due_at.timestamp(),
                c.stage.is_escalation(),
                now.timestamp()
            ])?;
            if n == 1 {
                new_ids.push(tx.last_insert_rowid());
            }
        }
    }
    let mut out = Vec::with_capacity(new_ids.len());
    {
        let mut get =
            tx.prepare_cached(&format!("SELECT {COLUMNS} FROM reminders WHERE id = ?1"))?;
        for id in new_ids {
            out.push(get.query_row([id], from_row)?);
        }
    }
    tx.commit()?;
    Ok(out)
}

/// For rules that re-evaluate their whole state every tick (tasks, call-backs, care dates):
/// undelivered reminders of `kinds` that are no longer among `current` are marked superseded,
/// so a task completed during quiet hours is not announced afterwards. Rules that report each
/// stage only once (the feedback overdue scan) must not be listed here.
pub fn supersede(conn: &Connection, kinds: &[&str], current: &[Candidate]) -> Result<usize> {
    let current: HashSet<String> = current.iter().map(Candidate::dedup_key).collect();
    let mut pending = conn.prepare_cached(
        "SELECT id, kind, dedup_key FROM reminders WHERE delivered_at IS NULL AND delivery_error = ''",
    )?;
    let stale: Vec<i64> = pending
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .filter_map(|row| row.ok())
        .filter(|(_, kind, key)| kinds.contains(&kind.as_str()) && !current.contains(key))
        .map(|(id, _, _)| id)
        .collect();
    let mut mark = conn.prepare_cached("UPDATE reminders SET delivery_error = ?1 WHERE id = ?2")?;
    for id in &stale {
        mark.execute(params![SUPERSEDED, id])?;
    }
    Ok(stale.len())
}

/// Reminders for `user_id` not yet shown on the desktop (nor superseded, nor failed), most
/// urgent first.
pub fn pending_for(conn: &Connection, user_id: i64) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM reminders
         WHERE recipient_user_id = ?1 AND delivered_at IS NULL AND delivery_error = '' AND read_at IS NULL
         ORDER BY due_at"
    ))?;
    let mut rows: Vec<Reminder> = stmt
        .query_map([user_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    rows.sort_by_key(|r| super::policy::urgency(r.stage));
    Ok(rows)
}

/// The desktop notification went out.
pub fn mark_delivered(conn: &Connection, ids: &[i64], now: DateTime<Utc>) -> Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE reminders SET delivered_at = ?1 WHERE id = ?2")?;
    for id in ids {
        stmt.execute(params![now.timestamp(), id])?;
    }
    Ok(())
}

/// The desktop could not show it (no notification service): keep it in the notification
/// centre and do not retry every minute.
pub fn mark_failed(conn: &Connection, ids: &[i64], error: &str) -> Result<()> {
    let error = if error.is_empty() { "failed" } else { error };
    let mut stmt = conn.prepare_cached("UPDATE reminders SET delivery_error = ?1 WHERE id = ?2")?;
    for id in ids {
        stmt.execute(params![error, id])?;
    }
    Ok(())
}

/// The notification centre: the actor's reminders, newest first (unread only if asked).
pub fn inbox(
    conn: &Connection,
    actor: &Actor,
    unread_only: bool,
    limit: u32,
) -> Result<Vec<Reminder>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM reminders
         WHERE recipient_user_id = ?1 AND delivery_error != ?2 AND (?3 = 0 OR read_at IS NULL)
         ORDER BY created_at DESC, id DESC LIMIT ?4"
    ))?;
    let rows = stmt
        .query_map(
            params![actor.user_id, SUPERSEDED, unread_only, limit.min(500)],
            from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// How many unread reminders the actor has (the tray and the bell show it).
pub fn unread_count(conn: &Connection, user_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM reminders WHERE recipient_user_id = ?1 AND read_at IS NULL AND delivery_error != ?2",
        params![user_id, SUPERSEDED],
        |r| r.get(0),
    )?)
}

/// Mark one of the actor's reminders read.
pub fn mark_read(conn: &Connection, now: DateTime<Utc>, actor: &Actor, id: i64) -> Result<()> {
    let n = conn.execute(
        "UPDATE reminders SET read_at = coalesce(read_at, ?1) WHERE id = ?2 AND recipient_user_id = ?3",
        params![now.timestamp(), id, actor.user_id],
    )?;
    if n == 0 {
        return Err(Error::NotFound("reminder"));
    }
    Ok(())
}

/// Mark all of the actor's reminders read; returns how many changed.
pub fn mark_all_read(conn: &Connection, now: DateTime<Utc>, actor: &Actor) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE reminders SET read_at = ?1 WHERE recipient_user_id = ?2 AND read_at IS NULL",
        params![now.timestamp(), actor.user_id],
    )?)
}

/// A user's notification preferences (defaults when never saved).
pub fn prefs(conn: &Connection, user_id: i64) -> Result<Prefs> {
    let row = conn
        .query_row(
            "SELECT quiet_start, quiet_end, muted_kinds, paused_until FROM notification_prefs WHERE user_id = ?1",
            [user_id],
            |r| {
                Ok((
                    r.get::<_, Option<i64>>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            },
        )
        .optional()?;
    Ok(match row {
        None => Prefs::default(),
        Some((qs, qe, muted, paused)) => Prefs {
            quiet_start: qs.and_then(|v| u16::try_from(v).ok()),
            quiet_end: qe.and_then(|v| u16::try_from(v).ok()),
            muted_kinds: serde_json::from_str(&muted).unwrap_or_default(),
            paused_until: (paused > 0).then(|| ts(paused)),
        },
    })
}

/// Save the actor's notification preferences.
pub fn save_prefs(conn: &Connection, actor: &Actor, prefs: &Prefs) -> Result<()> {
    for (field, v) in [
        ("quiet_start", prefs.quiet_start),
        ("quiet_end", prefs.quiet_end),
    ] {
        if v.is_some_and(|m| m >= 24 * 60) {
            return Err(Error::invalid(
                "reminder.quiet_hours_invalid",
                field,
                "quiet hours must be within a day",
            ));
        }
    }
    if prefs.quiet_start.is_some() != prefs.quiet_end.is_some() {
        return Err(Error::invalid(
            "reminder.quiet_hours_invalid",
            "quiet_end",
            "give both the start and the end",
        ));
    }
    conn.execute(
        "INSERT INTO notification_prefs (user_id, quiet_start, quiet_end, muted_kinds, paused_until)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(user_id) DO UPDATE SET quiet_start = ?2, quiet_end = ?3, muted_kinds = ?4, paused_until = ?5",
        params![
            actor.user_id,
            prefs.quiet_start,
            prefs.quiet_end,
            serde_json::to_string(&prefs.muted_kinds).unwrap_or_else(|_| "[]".into()),
            prefs.paused_until.map_or(0, |t| t.timestamp())
        ],
    )?;
    Ok(())
}

/// Pause (or, with `None`, resume) the user's desktop notifications.
pub fn pause(conn: &Connection, user_id: i64, until: Option<DateTime<Utc>>) -> Result<()> {
    conn.execute(
        "INSERT INTO notification_prefs (user_id, paused_until) VALUES (?1, ?2)
         ON CONFLICT(user_id) DO UPDATE SET paused_until = ?2",
        params![user_id, until.map_or(0, |t| t.timestamp())],
    )?;
    Ok(())
}

/// Settings key: the user whose reminders this PC shows on the desktop while no one is logged
/// in (the last one who logged in here).
const DESKTOP_USER_KEY: &str = "desktop.user_id";
/// Settings key: whether closing the window keeps Rapport running in the tray.
const CLOSE_TO_TRAY_KEY: &str = "desktop.close_to_tray";

/// Remember who uses this PC's desktop notifications (called at log-in).
pub fn set_desktop_user(conn: &Connection, user_id: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
        params![DESKTOP_USER_KEY, user_id.to_string()],
    )?;
    Ok(())
}

/// The user whose reminders the desktop shows, if anyone has logged in here and is active.
pub fn desktop_user(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT u.id FROM settings s JOIN users u ON u.id = CAST(s.value AS INTEGER)
             WHERE s.key = ?1 AND u.active = 1",
            [DESKTOP_USER_KEY],
            |r| r.get(0),
        )
        .optional()?)
}

/// Does closing the window keep Rapport in the tray? (Default yes: reminders keep firing.)
pub fn close_to_tray(conn: &Connection) -> Result<bool> {
    let v: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            [CLOSE_TO_TRAY_KEY],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v.as_deref() != Some("false"))
}

/// Choose whether closing the window keeps Rapport in the tray.
pub fn set_close_to_tray(conn: &Connection, actor: &Actor, on: bool) -> Result<()> {
    actor.require(crate::permission::Action::TeamEdit)?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
        params![CLOSE_TO_TRAY_KEY, on.to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{NewUser, create_user, login};
    use crate::permission::Role;
    use chrono::TimeZone;

    fn setup() -> (Connection, Actor, DateTime<Utc>) {
        let conn = crate::db::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
        create_user(
            &conn,
            now,
            &NewUser {
                username: "li".into(),
                display_name: "李".into(),
                role: Role::Staff,
                title: String::new(),
                department_id: None,
                phone: String::new(),
                email: String::new(),
                password: "password-1".into(),
            },
        )
        .unwrap();
        let actor = login(&conn, now, "li", "password-1").unwrap();
        (conn, actor, now)
    }

    fn candidate(actor: &Actor, item: i64, stage: Stage, now: DateTime<Utc>) -> Candidate {
        Candidate {
            kind: "task".into(),
            stage,
            item_kind: "task".into(),
            item_id: item,
            recipient_user_id: actor.user_id,
            title: "<b>回访 华为</b>".into(),
            body: "明天".into(),
            due_at: now,
        }
    }

    #[test]
    fn each_stage_is_recorded_once_even_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::db::DB_FILE);
        let (actor, now) = {
            let (mem, actor, now) = setup();
            let file = crate::db::open(&path).unwrap();
            crate::backup::backup_to(&mem, &path.with_extension("seed")).unwrap();
            drop(file);
            std::fs::rename(path.with_extension("seed"), &path).unwrap();
            (actor, now)
        };
        let c = vec![candidate(&actor, 1, Stage::Due, now)];
        {
            let conn = crate::db::open(&path).unwrap();
            assert_eq!(record(&conn, now, &c).unwrap().len(), 1);
            assert_eq!(record(&conn, now, &c).unwrap().len(), 0, "same tick again");
        }
        // A restart: a fresh connection on the same file decides nothing new.
        let conn = crate::db::open(&path).unwrap();
        assert_eq!(
            record(&conn, now + chrono::Duration::minutes(1), &c)
                .unwrap()
                .len(),
            0
        );
        // The next stage is new.
        let later = vec![candidate(&actor, 1, Stage::Overdue, now)];
        let new = record(&conn, now, &later).unwrap();
        assert_eq!(new.len(), 1);
        assert_eq!(new[0].title, "<b>回访 华为</b>", "stored verbatim");
    }

    #[test]
    fn delivery_state_and_inbox() {
        let (conn, actor, now) = setup();
        let c = vec![
            candidate(&actor, 1, Stage::Due, now),
            candidate(&actor, 2, Stage::Overdue, now),
        ];
        record(&conn, now, &c).unwrap();
        let pending = pending_for(&conn, actor.user_id).unwrap();
        assert_eq!(pending.len(), 2);
        assert_eq!(pending[0].stage, Stage::Overdue, "most urgent first");
        mark_delivered(&conn, &[pending[0].id], now).unwrap();
        mark_failed(&conn, &[pending[1].id], "no notification service").unwrap();
        assert!(pending_for(&conn, actor.user_id).unwrap().is_empty());
        assert_eq!(
            inbox(&conn, &actor, true, 50).unwrap().len(),
            2,
            "failed ones stay in the centre"
        );
        assert_eq!(unread_count(&conn, actor.user_id).unwrap(), 2);
        mark_read(&conn, now, &actor, pending[0].id).unwrap();
        assert_eq!(unread_count(&conn, actor.user_id).unwrap(), 1);
        assert_eq!(mark_all_read(&conn, now, &actor).unwrap(), 1);
        assert_eq!(unread_count(&conn, actor.user_id).unwrap(), 0);
        let mut other = actor.clone();
        other.user_id += 100;
        assert!(
            mark_read(&conn, now, &other, pending[0].id).is_err(),
            "not someone else's"
        );
    }

    #[test]
    fn undelivered_reminders_of_finished_items_are_superseded() {
        let (conn, actor, now) = setup();
        let c = candidate(&actor, 1, Stage::Due, now);
        record(&conn, now, std::slice::from_ref(&c)).unwrap();
        // A once-only rule's kind is untouched.
        assert_eq!(supersede(&conn, &["care"], &[]).unwrap(), 0);
        assert_eq!(pending_for(&conn, actor.user_id).unwrap().len(), 1);
        // Next tick: the task was completed, so the rule no longer proposes it.
        assert_eq!(supersede(&conn, &["task"], &[]).unwrap(), 1);
        assert!(pending_for(&conn, actor.user_id).unwrap().is_empty());
        assert!(inbox(&conn, &actor, false, 50).unwrap().is_empty());
    }

    #[test]
    fn desktop_user_and_tray_setting() {
        let (conn, actor, _) = setup();
        assert_eq!(desktop_user(&conn).unwrap(), None);
        set_desktop_user(&conn, actor.user_id).unwrap();
        assert_eq!(desktop_user(&conn).unwrap(), Some(actor.user_id));
        conn.execute("UPDATE users SET active = 0", []).unwrap();
        assert_eq!(
            desktop_user(&conn).unwrap(),
            None,
            "a deactivated user gets nothing"
        );
        assert!(close_to_tray(&conn).unwrap());
        assert!(
            set_close_to_tray(&conn, &actor, false).is_err(),
            "staff may not change it"
        );
        let mut admin = actor.clone();
        admin.role = crate::permission::Role::Admin;
        set_close_to_tray(&conn, &admin, false).unwrap();
        assert!(!close_to_tray(&conn).unwrap());
    }

    #[test]
    fn prefs_round_trip_and_validate() {
        let (conn, actor, now) = setup();
        assert_eq!(prefs(&conn, actor.user_id).unwrap(), Prefs::default());
        let p = Prefs {
            quiet_start: Some(22 * 60),
            quiet_end: Some(8 * 60),
            muted_kinds: vec!["care".into()],
            paused_until: None,
        };
        save_prefs(&conn, &actor, &p).unwrap();
        assert_eq!(prefs(&conn, actor.user_id).unwrap(), p);
        pause(&conn, actor.user_id, Some(now + chrono::Duration::hours(1))).unwrap();
        assert_eq!(
            prefs(&conn, actor.user_id).unwrap().paused_until,
            Some(now + chrono::Duration::hours(1))
        );
        let bad = Prefs {
            quiet_start: Some(1500),
            quiet_end: Some(10),
            ..Prefs::default()
        };
        assert_eq!(
            save_prefs(&conn, &actor, &bad).unwrap_err().code(),
            "reminder.quiet_hours_invalid"
        );
    }
}
