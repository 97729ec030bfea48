//! The team: first-run setup (company, first admin, default departments, calendar), the
//! departments and their heads, team-wide settings, and the audit log helper.

use crate::account::{Actor, NewUser, create_user, login};
use crate::calendar;
use crate::permission::{Action, Role};
use crate::validate::required_line;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// What the app needs to know before anyone logs in.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TeamStatus {
    /// False until first-run setup has run: the UI shows the setup screen.
    pub setup_done: bool,
    /// The company name, for the log-in screen.
    pub team_name: Option<String>,
}

/// First-run setup as typed on the setup screen.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct SetupInput {
    /// Company name.
    pub company_name: String,
    /// The first administrator's log-in name.
    pub admin_username: String,
    /// The first administrator's display name.
    pub admin_display_name: String,
    /// The first administrator's password.
    pub admin_password: String,
    /// IANA time zone, default Asia/Shanghai.
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    /// Language of the seeded department names (`zh-CN` or `en`).
    #[serde(default = "default_locale")]
    pub locale: String,
    /// Add a 12:00–13:00 lunch break to the default Mon–Fri 09:00–18:00 hours.
    #[serde(default)]
    pub lunch_break: bool,
}

fn default_time_zone() -> String {
    "Asia/Shanghai".into()
}
fn default_locale() -> String {
    "zh-CN".into()
}

/// A department that feedback is routed to and whose head approves and escalates.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Department {
    /// Id.
    pub id: i64,
    /// Stable code used by routing rules (`cs`, `sales`, `rnd`, `finance`, `marketing`, …).
    pub code: String,
    /// Name shown.
    pub name: String,
    /// The head, who approves key-field changes and receives escalations.
    pub head_user_id: Option<i64>,
    /// Retired departments keep their history but take no new work.
    pub archived: bool,
}

/// Editable department fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DepartmentInput {
    /// Code (letters, digits, `-`, `_`).
    pub code: String,
    /// Name.
    pub name: String,
    /// Head.
    #[serde(default)]
    pub head_user_id: Option<i64>,
    /// Archived.
    #[serde(default)]
    pub archived: bool,
}

/// The team-wide settings page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TeamSettings {
    /// Company name.
    pub name: String,
    /// IANA time zone used for business hours and display.
    pub time_zone: String,
}

/// The five default departments with their Chinese and English names.
const DEFAULT_DEPARTMENTS: [(&str, &str, &str); 5] = [
    ("cs", "客服部", "Customer Service"),
    ("sales", "销售部", "Sales"),
    ("rnd", "研发部", "R&D"),
    ("finance", "财务部", "Finance"),
    ("marketing", "市场部", "Marketing"),
];

/// Has first-run setup happened?
pub fn status(conn: &Connection) -> Result<TeamStatus> {
    let name: Option<String> = conn
        .query_row("SELECT name FROM team WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    Ok(TeamStatus {
        setup_done: name.is_some(),
        team_name: name,
    })
}

/// First-run setup, all or nothing: the team, the first admin, the default departments, the
/// default business hours and the published holidays. Refused once a team exists.
pub fn setup(conn: &mut Connection, now: DateTime<Utc>, input: &SetupInput) -> Result<Actor> {
    let company = required_line("company_name", &input.company_name)?;
    input.time_zone.parse::<chrono_tz::Tz>().map_err(|_| {
        Error::invalid(
            "calendar.time_zone_invalid",
            "time_zone",
            "unknown time zone",
        )
    })?;
    let tx = conn.transaction()?;
    if status(&tx)?.setup_done {
        return Err(Error::conflict(
            "team.already_set_up",
            "the team is already set up",
        ));
    }
    tx.execute(
        "INSERT INTO team (id, name, time_zone, created_at) VALUES (1, ?1, ?2, ?3)",
        params![company, input.time_zone, now.timestamp()],
    )?;
    let english = input.locale == "en";
    for (i, (code, zh, en)) in DEFAULT_DEPARTMENTS.iter().enumerate() {
        tx.execute(
            "INSERT INTO departments (code, name, sort) VALUES (?1, ?2, ?3)",
            params![code, if english { en } else { zh }, i as i64],
        )?;
    }
    create_user(
        &tx,
        now,
        &NewUser {
            username: input.admin_username.clone(),
            display_name: input.admin_display_name.clone(),
            role: Role::Admin,
            title: String::new(),
            department_id: None,
            phone: String::new(),
            email: String::new(),
            password: input.admin_password.clone(),
        },
    )?;
    let hours = if input.lunch_break {
        calendar::WeeklyHours::default_china_with_lunch()
    } else {
        calendar::WeeklyHours::default_china()
    };
    calendar::store::save_weekly_hours(&tx, &hours)?;
    calendar::store::seed_china_2026(&tx)?;
    let actor = login(&tx, now, &input.admin_username, &input.admin_password)?;
    audit(
        &tx,
        now,
        Some(actor.user_id),
        "team.setup",
        "team",
        Some(1),
        "",
    )?;
    tx.commit()?;
    Ok(actor)
}

/// The team's name and time zone.
pub fn settings(conn: &Connection, actor: &Actor) -> Result<TeamSettings> {
    actor.require(Action::TeamView)?;
    conn.query_row("SELECT name, time_zone FROM team WHERE id = 1", [], |r| {
        Ok(TeamSettings {
            name: r.get(0)?,
            time_zone: r.get(1)?,
        })
    })
    .optional()?
    .ok_or(Error::NotFound("team"))
}

/// The team's time zone name, for loading the calendar (no permission needed: it is not secret).
pub fn time_zone(conn: &Connection) -> Result<String> {
    Ok(conn
        .query_row("SELECT time_zone FROM team WHERE id = 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(default_time_zone))
}

/// Change the team's name and time zone.
pub fn update_settings(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &TeamSettings,
) -> Result<TeamSettings> {
    actor.require(Action::TeamEdit)?;
    let name = required_line("name", &input.name)?;
    input.time_zone.parse::<chrono_tz::Tz>().map_err(|_| {
        Error::invalid(
            "calendar.time_zone_invalid",
            "time_zone",
            "unknown time zone",
        )
    })?;
    conn.execute(
        "UPDATE team SET name = ?1, time_zone = ?2 WHERE id = 1",
        params![name, input.time_zone],
    )?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "team.update",
        "team",
        Some(1),
        "",
    )?;
    settings(conn, actor)
}

/// Every department, in display order.
pub fn departments(conn: &Connection, actor: &Actor) -> Result<Vec<Department>> {
    actor.require(Action::TeamView)?;
    let mut stmt = conn.prepare(
        "SELECT id, code, name, head_user_id, archived FROM departments ORDER BY archived, sort, id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Department {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                head_user_id: r.get(3)?,
                archived: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Create (`id` = None) or edit a department. The head must be an active user.
pub fn save_department(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: Option<i64>,
    input: &DepartmentInput,
) -> Result<Department> {
    actor.require(Action::TeamEdit)?;
    let name = required_line("name", &input.name)?;
    let code = required_line("code", &input.code)?;
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            "department.code_invalid",
            "code",
            "use letters, digits, - or _",
        ));
    }
    if let Some(head) = input.head_user_id {
        let active: Option<bool> = conn
            .query_row("SELECT active FROM users WHERE id = ?1", [head], |r| {
                r.get(0)
            })
            .optional()?;
        if active != Some(true) {
            return Err(Error::invalid(
                "department.head_invalid",
                "head_user_id",
                "choose an active user as head",
            ));
        }
    }
    let taken: Option<i64> = conn
        .query_row("SELECT id FROM departments WHERE code = ?1", [&code], |r| {
            r.get(0)
        })
        .optional()?;
    if taken.is_some() && taken != id {
        return Err(Error::invalid(
            "department.code_taken",
            "code",
            "this code is already used",
        ));
    }
    let id = match id {
        Some(id) => {
            let n = conn.execute(
                "UPDATE departments SET code = ?1, name = ?2, head_user_id = ?3, archived = ?4 WHERE id = ?5",
                params![code, name, input.head_user_id, input.archived, id],
            )?;
            if n == 0 {
                return Err(Error::NotFound("department"));
            }
            id
        }
        None => {
            conn.execute(
                "INSERT INTO departments (code, name, head_user_id, archived, sort)
                 VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(sort), 0) + 1 FROM departments))",
                params![code, name, input.head_user_id, input.archived],
            )?;
            conn.last_insert_rowid()
        }
    };
    audit(
        conn,
        now,
        Some(actor.user_id),
        "department.save",
        "department",
        Some(id),
        &code,
    )?;
    departments(conn, actor)?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or(Error::NotFound("department"))
}

/// Append to the audit log. Never pass personal data or secrets in `detail`.
pub fn audit(
    conn: &Connection,
    now: DateTime<Utc>,
    user_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    detail: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![now.timestamp(), user_id, action, entity, entity_id, detail],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap()
    }

    pub(crate) fn input() -> SetupInput {
        SetupInput {
            company_name: "  华东贸易有限公司 ".into(),
            admin_username: "admin".into(),
            admin_display_name: "管理员".into(),
            admin_password: "admin-pass-1".into(),
            time_zone: "Asia/Shanghai".into(),
            locale: "zh-CN".into(),
            lunch_break: true,
        }
    }

    #[test]
    fn setup_creates_everything_once() {
        let mut conn = crate::db::open_in_memory().unwrap();
        assert!(!status(&conn).unwrap().setup_done);
        let admin = setup(&mut conn, now(), &input()).unwrap();
        assert_eq!(admin.role, Role::Admin);
        let st = status(&conn).unwrap();
        assert_eq!(st.team_name.as_deref(), Some("华东贸易有限公司"));
        let deps = departments(&conn, &admin).unwrap();
        let names: Vec<_> = deps.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["客服部", "销售部", "研发部", "财务部", "市场部"]);
        let holidays: i64 = conn
            .query_row("SELECT count(*) FROM calendar_days", [], |r| r.get(0))
            .unwrap();
        assert!(holidays > 20, "2026 holidays seeded");
        let again = setup(&mut conn, now(), &input()).unwrap_err();
        assert_eq!(again.code(), "team.already_set_up");
    }

    #[test]
    fn failed_setup_leaves_nothing_behind() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let mut bad = input();
        bad.admin_password = "short".into();
        assert_eq!(
            setup(&mut conn, now(), &bad).unwrap_err().code(),
            "password.too_short"
        );
        assert!(!status(&conn).unwrap().setup_done);
        let deps: i64 = conn
            .query_row("SELECT count(*) FROM departments", [], |r| r.get(0))
            .unwrap();
        assert_eq!(deps, 0, "the transaction rolled back");
        bad = input();
        bad.time_zone = "Mars/Olympus".into();
        assert_eq!(
            setup(&mut conn, now(), &bad).unwrap_err().code(),
            "calendar.time_zone_invalid"
        );
    }

    #[test]
    fn departments_are_edited_by_admins_with_valid_heads() {
        let mut conn = crate::db::open_in_memory().unwrap();
        let admin = setup(&mut conn, now(), &input()).unwrap();
        let d = save_department(
            &conn,
            now(),
            &admin,
            None,
            &DepartmentInput {
                code: "ops".into(),
                name: "运营部".into(),
                head_user_id: Some(admin.user_id),
                archived: false,
            },
        )
        .unwrap();
        assert_eq!(d.head_user_id, Some(admin.user_id));
        let dup = save_department(
            &conn,
            now(),
            &admin,
            None,
            &DepartmentInput {
                code: "ops".into(),
                name: "x".into(),
                head_user_id: None,
                archived: false,
            },
        );
        assert_eq!(dup.unwrap_err().code(), "department.code_taken");
        let bad_head = save_department(
            &conn,
            now(),
            &admin,
            Some(d.id),
            &DepartmentInput {
                code: "ops".into(),
                name: "运营部".into(),
                head_user_id: Some(999),
                archived: false,
            },
        );
        assert_eq!(bad_head.unwrap_err().code(), "department.head_invalid");
        let mut viewer = admin.clone();
        viewer.role = Role::Viewer;
        assert!(matches!(
            update_settings(
                &conn,
                now(),
                &viewer,
                &TeamSettings {
                    name: "x".into(),
                    time_zone: "Asia/Shanghai".into()
                }
            ),
            Err(Error::Forbidden(_))
        ));
    }

    #[test]
    fn audit_log_is_append_only() {
        let mut conn = crate::db::open_in_memory().unwrap();
        setup(&mut conn, now(), &input()).unwrap();
        assert!(
            conn.execute("UPDATE audit_log SET action = 'x'", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    }
}
