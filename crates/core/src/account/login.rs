//! Logging in, with throttling: after a few failures for a user name (known or not, so the
//! answer reveals nothing), further attempts wait, longer each time, up to 15 minutes.

use super::{Actor, password::verify_password};
use crate::{Error, Result, permission::Role};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

/// Failures allowed before attempts are delayed.
pub const MAX_FREE_FAILURES: i64 = 5;
const FIRST_LOCK_SECS: i64 = 30;
const MAX_LOCK_SECS: i64 = 15 * 60;

/// Check the credentials and return the actor. Wrong name and wrong password give the same
/// [`Error::BadCredentials`]; too many recent failures give [`Error::Throttled`] without checking
/// the password at all.
pub fn login(
    conn: &Connection,
    now: DateTime<Utc>,
    username: &str,
    password: &str,
) -> Result<Actor> {
    let key = username.trim().to_lowercase();
    let now_s = now.timestamp();
    let (failures, locked_until): (i64, i64) = conn
        .query_row(
            "SELECT failures, locked_until FROM login_throttle WHERE username = ?1",
            [&key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, 0));
    if locked_until > now_s {
        return Err(Error::Throttled(locked_until - now_s));
    }

    let row = conn
        .query_row(
            "SELECT id, username, display_name, role, department_id, locale, password_hash,
                    must_change_password, active
             FROM users WHERE username = ?1",
            [&key],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, bool>(7)?,
                    r.get::<_, bool>(8)?,
                ))
            },
        )
        .optional()?;

    let ok = match &row {
        Some(u) => verify_password(password, &u.6) && u.8,
        None => {
            // Spend the same effort as a real check so timing does not tell names apart.
            let _ = verify_password(password, DUMMY_HASH);
            false
        }
    };

    if !ok {
        let failures = failures + 1;
        let lock = if failures >= MAX_FREE_FAILURES {
            let exp = (failures - MAX_FREE_FAILURES).min(10) as u32;
            (FIRST_LOCK_SECS << exp).min(MAX_LOCK_SECS)
        } else {
            0
        };
        conn.execute(
            "INSERT INTO login_throttle (username, failures, locked_until) VALUES (?1, ?2, ?3)
             ON CONFLICT(username) DO UPDATE SET failures = ?2, locked_until = ?3",
            params![key, failures, if lock > 0 { now_s + lock } else { 0 }],
        )?;
        return Err(Error::BadCredentials);
    }

    let (id, username, display_name, role, department_id, locale, _, must_change, _) =
        row.ok_or(Error::BadCredentials)?;
    conn.execute("DELETE FROM login_throttle WHERE username = ?1", [&key])?;
    conn.execute(
        "UPDATE users SET last_login_at = ?1 WHERE id = ?2",
        params![now_s, id],
    )?;
    Ok(Actor {
        user_id: id,
        username,
        display_name,
        role: Role::parse(&role)?,
        department_id,
        locale,
        must_change_password: must_change,
    })
}

/// A valid Argon2id hash of a random string nobody knows, checked when the name is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2kqD4vj8mXQ1yJ2c6bRk0o3v0O2uYb4kq5oZ8YdKq2w";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{NewUser, create_user};
    use chrono::TimeZone;

    fn setup() -> (Connection, DateTime<Utc>) {
        let conn = crate::db::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        create_user(
            &conn,
            now,
            &NewUser {
                username: "Zhang".into(),
                display_name: "张三".into(),
                role: Role::Staff,
                title: String::new(),
                department_id: None,
                phone: String::new(),
                email: String::new(),
                password: "s3cret-pass".into(),
            },
        )
        .unwrap();
        (conn, now)
    }

    #[test]
    fn right_password_logs_in_case_insensitively() {
        let (conn, now) = setup();
        let a = login(&conn, now, " zhang ", "s3cret-pass").unwrap();
        assert_eq!(a.display_name, "张三");
        assert_eq!(a.role, Role::Staff);
    }

    #[test]
    fn wrong_password_and_unknown_user_look_the_same() {
        let (conn, now) = setup();
        assert!(matches!(
            login(&conn, now, "zhang", "nope-nope"),
            Err(Error::BadCredentials)
        ));
        assert!(matches!(
            login(&conn, now, "nobody", "nope-nope"),
            Err(Error::BadCredentials)
        ));
    }

    #[test]
    fn repeated_failures_are_throttled_then_released() {
        let (conn, now) = setup();
        for _ in 0..MAX_FREE_FAILURES {
            assert!(matches!(
                login(&conn, now, "zhang", "wrong-pass"),
                Err(Error::BadCredentials)
            ));
        }
        // Locked now: even the right password is not checked.
        match login(&conn, now, "zhang", "s3cret-pass") {
            Err(Error::Throttled(s)) => assert_eq!(s, FIRST_LOCK_SECS),
            other => panic!("expected throttling, got {other:?}"),
        }
        let later = now + chrono::Duration::seconds(FIRST_LOCK_SECS + 1);
        // Another failure doubles the wait.
        assert!(matches!(
            login(&conn, later, "zhang", "wrong-pass"),
            Err(Error::BadCredentials)
        ));
        match login(&conn, later, "zhang", "s3cret-pass") {
            Err(Error::Throttled(s)) => assert_eq!(s, FIRST_LOCK_SECS * 2),
            other => panic!("expected throttling, got {other:?}"),
        }
        let much_later = later + chrono::Duration::seconds(FIRST_LOCK_SECS * 2 + 1);
        assert!(login(&conn, much_later, "zhang", "s3cret-pass").is_ok());
        // Success clears the counter.
        assert!(matches!(
            login(&conn, much_later, "zhang", "wrong-pass"),
            Err(Error::BadCredentials)
        ));
        assert!(login(&conn, much_later, "zhang", "s3cret-pass").is_ok());
    }

    #[test]
    fn deactivated_users_cannot_log_in() {
        let (conn, now) = setup();
        conn.execute("UPDATE users SET active = 0", []).unwrap();
        assert!(matches!(
            login(&conn, now, "zhang", "s3cret-pass"),
            Err(Error::BadCredentials)
        ));
    }
}
