//! Accounts: creating and editing users, changing and resetting passwords. Every change is
//! written to the audit log (never the password itself).

use super::{Actor, password::hash_password, verify_password};
use crate::permission::{Action, Role};
use crate::validate::{optional_line, required_line};
use crate::{Error, Result, team::audit};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// An account as the UI shows it (no hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Log-in name, unique ignoring case.
    pub username: String,
    /// Name shown everywhere.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Job title (客户经理, 客服专员, …), free text.
    pub title: String,
    /// Department.
    pub department_id: Option<i64>,
    /// Phone, used in call scripts ({我的电话}).
    pub phone: String,
    /// Email.
    pub email: String,
    /// Preferred UI language, empty to follow the OS.
    pub locale: String,
    /// Deactivated users keep their history but cannot log in.
    pub active: bool,
    /// When they last logged in (Unix seconds).
    pub last_login_at: Option<i64>,
}

/// What the admin types to create an account.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct NewUser {
    /// Log-in name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Job title.
    #[serde(default)]
    pub title: String,
    /// Department.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// First password.
    pub password: String,
}

/// What the admin may change on an account.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct UserUpdate {
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Job title.
    #[serde(default)]
    pub title: String,
    /// Department.
    #[serde(default)]
    pub department_id: Option<i64>,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: String,
    /// Active or deactivated.
    pub active: bool,
}

fn valid_username(name: &str) -> Result<String> {
    let name = required_line("username", name)?;
    let ok = name.chars().count() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !ok {
        return Err(Error::invalid(
            "user.username_invalid",
            "username",
            "use letters, digits, '.', '_', '-' or '@' (at most 64)",
        ));
    }
    Ok(name.to_lowercase())
}

const USER_COLUMNS: &str = "id, username, display_name, role, title, department_id, phone, email, locale, active, last_login_at";

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(3)?;
    Ok(User {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: Role::parse(&role).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
        })?,
        title: r.get(4)?,
        department_id: r.get(5)?,
        phone: r.get(6)?,
        email: r.get(7)?,
        locale: r.get(8)?,
        active: r.get(9)?,
        last_login_at: r.get(10)?,
    })
}

/// Insert an account without a permission check: used by first-run setup (no one is logged in
/// yet) and by [`create_user`] after its check.
pub fn create_user(conn: &Connection, now: DateTime<Utc>, input: &NewUser) -> Result<User> {
    let username = valid_username(&input.username)?;
    let display_name = required_line("display_name", &input.display_name)?;
    let hash = hash_password(&input.password)?;
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM users WHERE username = ?1",
            [&username],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(Error::invalid(
            "user.username_taken",
            "username",
            "this user name is taken",
        ));
    }
    conn.execute(
        "INSERT INTO users (username, display_name, role, title, department_id, phone, email,
                            password_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            username,
            display_name,
            input.role.as_str(),
            optional_line("title", &input.title)?,
            input.department_id,
            optional_line("phone", &input.phone)?,
            optional_line("email", &input.email)?,
            hash,
            now.timestamp()
        ],
    )?;
    get_user(conn, conn.last_insert_rowid())
}

/// One account by id.
pub fn get_user(conn: &Connection, id: i64) -> Result<User> {
    conn.query_row(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"),
        [id],
        user_from_row,
    )
    .optional()?
    .ok_or(Error::NotFound("user"))
}

/// Every account, active first, by display name.
pub fn list_users(conn: &Connection, actor: &Actor) -> Result<Vec<User>> {
    actor.require(Action::TeamView)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {USER_COLUMNS} FROM users ORDER BY active DESC, display_name COLLATE NOCASE"
    ))?;
    let users = stmt
        .query_map([], user_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(users)
}

/// An admin creates an account.
pub fn create_user_as(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &NewUser,
) -> Result<User> {
    actor.require(Action::UserManage)?;
    let user = create_user(conn, now, input)?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "user.create",
        "user",
        Some(user.id),
        &user.username,
    )?;
    Ok(user)
}

/// An admin edits an account. The last active admin cannot be demoted or deactivated, so the
/// team never locks itself out.
pub fn update_user(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    input: &UserUpdate,
) -> Result<User> {
    actor.require(Action::UserManage)?;
    let before = get_user(conn, id)?;
    let display_name = required_line("display_name", &input.display_name)?;
    let loses_admin =
        before.role == Role::Admin && before.active && (input.role != Role::Admin || !input.active);
    if loses_admin {
        let admins: i64 = conn.query_row(
            "SELECT count(*) FROM users WHERE role = 'admin' AND active = 1",
            [],
            |r| r.get(0),
        )?;
        if admins <= 1 {
            return Err(Error::conflict(
                "user.last_admin",
                "the team needs at least one active admin",
            ));
        }
    }
    conn.execute(
        "UPDATE users SET display_name = ?1, role = ?2, title = ?3, department_id = ?4, phone = ?5,
                          email = ?6, active = ?7, updated_at = ?8 WHERE id = ?9",
        params![
            display_name,
            input.role.as_str(),
            optional_line("title", &input.title)?,
            input.department_id,
            optional_line("phone", &input.phone)?,
            optional_line("email", &input.email)?,
            input.active,
            now.timestamp(),
            id
        ],
    )?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "user.update",
        "user",
        Some(id),
        &format!("role={}", input.role.as_str()),
    )?;
    get_user(conn, id)
}

/// A user changes their own password, proving they know the old one.
pub fn change_password(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    old: &str,
    new: &str,
) -> Result<()> {
    let stored: String = conn.query_row(
        "SELECT password_hash FROM users WHERE id = ?1",
        [actor.user_id],
        |r| r.get(0),
    )?;
    if !verify_password(old, &stored) {
        return Err(Error::invalid(
            "password.old_wrong",
            "old_password",
            "the current password is wrong",
        ));
    }
    if old == new {
        return Err(Error::invalid(
            "password.unchanged",
            "new_password",
            "choose a different password",
        ));
    }
    let hash = hash_password(new)?;
    conn.execute(
        "UPDATE users SET password_hash = ?1, must_change_password = 0, updated_at = ?2 WHERE id = ?3",
        params![hash, now.timestamp(), actor.user_id],
    )?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "user.change_password",
        "user",
        Some(actor.user_id),
        "",
    )
}

/// An admin sets a temporary password; the user must choose a new one at next log-in.
pub fn reset_password(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    temporary: &str,
) -> Result<()> {
    actor.require(Action::PasswordReset)?;
    get_user(conn, id)?;
    let hash = hash_password(temporary)?;
    conn.execute(
        "UPDATE users SET password_hash = ?1, must_change_password = 1, updated_at = ?2 WHERE id = ?3",
        params![hash, now.timestamp(), id],
    )?;
    conn.execute(
        "DELETE FROM login_throttle WHERE username = (SELECT username FROM users WHERE id = ?1)",
        [id],
    )?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "user.reset_password",
        "user",
        Some(id),
        "",
    )
}

/// Remember the language a user picked (empty to follow the OS).
pub fn set_locale(conn: &Connection, actor: &Actor, locale: &str) -> Result<()> {
    if !matches!(locale, "" | "zh-CN" | "en") {
        return Err(Error::invalid(
            "user.locale_invalid",
            "locale",
            "unsupported language",
        ));
    }
    conn.execute(
        "UPDATE users SET locale = ?1 WHERE id = ?2",
        params![locale, actor.user_id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::login;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
    }

    fn new_user(name: &str, role: Role) -> NewUser {
        NewUser {
            username: name.into(),
            display_name: name.to_uppercase(),
            role,
            title: String::new(),
            department_id: None,
            phone: String::new(),
            email: String::new(),
            password: "password-1".into(),
        }
    }

    fn admin(conn: &Connection) -> Actor {
        create_user(conn, now(), &new_user("root", Role::Admin)).unwrap();
        login(conn, now(), "root", "password-1").unwrap()
    }

    #[test]
    fn usernames_are_unique_ignoring_case_and_checked() {
        let conn = crate::db::open_in_memory().unwrap();
        let a = admin(&conn);
        create_user_as(&conn, now(), &a, &new_user("Li", Role::Staff)).unwrap();
        let dup = create_user_as(&conn, now(), &a, &new_user("LI", Role::Staff)).unwrap_err();
        assert_eq!(dup.code(), "user.username_taken");
        let bad = create_user_as(&conn, now(), &a, &new_user("a b", Role::Staff)).unwrap_err();
        assert_eq!(bad.code(), "user.username_invalid");
    }

    #[test]
    fn only_admins_manage_users() {
        let conn = crate::db::open_in_memory().unwrap();
        let a = admin(&conn);
        create_user_as(&conn, now(), &a, &new_user("head", Role::Head)).unwrap();
        let head = login(&conn, now(), "head", "password-1").unwrap();
        let err = create_user_as(&conn, now(), &head, &new_user("x1", Role::Staff)).unwrap_err();
        assert!(matches!(err, Error::Forbidden(_)));
        assert!(reset_password(&conn, now(), &head, a.user_id, "whatever-1").is_err());
    }

    #[test]
    fn last_admin_cannot_be_removed() {
        let conn = crate::db::open_in_memory().unwrap();
        let a = admin(&conn);
        let upd = UserUpdate {
            display_name: "Root".into(),
            role: Role::Staff,
            title: String::new(),
            department_id: None,
            phone: String::new(),
            email: String::new(),
            active: true,
        };
        assert_eq!(
            update_user(&conn, now(), &a, a.user_id, &upd)
                .unwrap_err()
                .code(),
            "user.last_admin"
        );
        create_user_as(&conn, now(), &a, &new_user("second", Role::Admin)).unwrap();
        assert_eq!(
            update_user(&conn, now(), &a, a.user_id, &upd).unwrap().role,
            Role::Staff
        );
    }

    #[test]
    fn password_change_and_reset() {
        let conn = crate::db::open_in_memory().unwrap();
        let a = admin(&conn);
        let u = create_user_as(&conn, now(), &a, &new_user("wang", Role::Staff)).unwrap();
        let w = login(&conn, now(), "wang", "password-1").unwrap();
        assert_eq!(
            change_password(&conn, now(), &w, "wrong-old", "password-2")
                .unwrap_err()
                .code(),
            "password.old_wrong"
        );
        change_password(&conn, now(), &w, "password-1", "password-2").unwrap();
        assert!(login(&conn, now(), "wang", "password-1").is_err());
        assert!(login(&conn, now(), "wang", "password-2").is_ok());
        reset_password(&conn, now(), &a, u.id, "temporary-9").unwrap();
        let w = login(&conn, now(), "wang", "temporary-9").unwrap();
        assert!(w.must_change_password);
        let entries: i64 = conn
            .query_row(
                "SELECT count(*) FROM audit_log WHERE action LIKE 'user.%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(entries, 3, "create, change and reset are audited");
        let leaked: i64 = conn
            .query_row("SELECT count(*) FROM audit_log WHERE detail LIKE '%temporary%' OR detail LIKE '%password-%'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(leaked, 0, "no secret in the audit log");
    }
}
