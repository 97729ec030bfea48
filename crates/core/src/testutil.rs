//! Test fixtures: a migrated in-memory database with a small team (two departments, one person
//! per role) and three customers, written with plain SQL so tests do not pay for password
//! hashing and do not depend on the customers module's API.

use crate::account::Actor;
use crate::permission::Role;
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, params};

/// The fixture: actors and customer ids.
pub(crate) struct Fixture {
    pub conn: Connection,
    pub dept1: i64,
    pub dept2: i64,
    pub admin: Actor,
    pub supervisor: Actor,
    /// Head of department 1.
    pub head1: Actor,
    /// Staff in department 1, owns `cust1`.
    pub staff1: Actor,
    /// Another staff in department 1, owns `cust1b`.
    pub staff1b: Actor,
    /// Staff in department 2, owns `cust2`.
    pub staff2: Actor,
    pub viewer: Actor,
    /// 科技有限公司, owned by staff1, department 1.
    pub cust1: i64,
    /// Owned by staff1b, department 1.
    pub cust1b: i64,
    /// Owned by staff2, department 2.
    pub cust2: i64,
}

/// A team's set-up form as the tests fill it: admin `admin` / `admin-pass-1`, Shanghai time,
/// Chinese, no lunch break.
pub(crate) fn team_setup(company_name: &str) -> crate::team::SetupInput {
    crate::team::SetupInput {
        company_name: company_name.into(),
        admin_username: "admin".into(),
        admin_display_name: "管理员".into(),
        admin_password: "admin-pass-1".into(),
        time_zone: "Asia/Shanghai".into(),
        locale: "zh-CN".into(),
        lunch_break: false,
    }
}

/// A fixed instant for tests.
pub(crate) fn t(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn add_user(
    conn: &Connection,
    name: &str,
    display: &str,
    role: Role,
    dept: Option<i64>,
    phone: &str,
) -> Actor {
    conn.execute(
        "INSERT INTO users (username, display_name, role, department_id, phone, password_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'x', 0, 0)",
        params![name, display, role.as_str(), dept, phone],
    )
    .unwrap();
    Actor {
        user_id: conn.last_insert_rowid(),
        username: name.into(),
        display_name: display.into(),
        role,
        department_id: dept,
        locale: String::new(),
        must_change_password: false,
    }
}

/// Insert a customer with only the columns this branch relies on.
pub(crate) fn add_customer(conn: &Connection, name: &str, owner: i64, dept: i64) -> i64 {
    let n: i64 = conn
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    conn.execute(
        "INSERT INTO customers (number, name, owner_user_id, department_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, 0, 0)",
        params![format!("KH-T-{:05}", n + 1), name, owner, dept],
    )
    .unwrap();
    conn.last_insert_rowid()
}

/// Insert a contact.
pub(crate) fn add_contact(
    conn: &Connection,
    customer: i64,
    name: &str,
    position: &str,
    primary: bool,
) -> i64 {
    conn.execute(
        "INSERT INTO contacts (customer_id, name, position, is_primary) VALUES (?1, ?2, ?3, ?4)",
        params![customer, name, position, primary],
    )
    .unwrap();
    conn.last_insert_rowid()
}

impl Fixture {
    /// Build the fixture.
    pub fn new() -> Self {
        let conn = crate::db::open_in_memory().unwrap();
        conn.execute(
            "INSERT INTO team (id, name, time_zone, created_at) VALUES (1, '测试公司', 'Asia/Shanghai', 0)",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO departments (code, name) VALUES ('sales', '销售部'), ('cs', '客服部')",
            [],
        )
        .unwrap();
        let (dept1, dept2) = (1, 2);
        let admin = add_user(&conn, "admin", "管理员", Role::Admin, None, "");
        let supervisor = add_user(&conn, "sup", "主管", Role::Supervisor, Some(dept2), "");
        let head1 = add_user(&conn, "head1", "部门负责人", Role::Head, Some(dept1), "");
        let staff1 = add_user(
            &conn,
            "staff1",
            "张经理",
            Role::Staff,
            Some(dept1),
            "13800000001",
        );
        let staff1b = add_user(&conn, "staff1b", "李专员", Role::Staff, Some(dept1), "");
        let staff2 = add_user(&conn, "staff2", "王专员", Role::Staff, Some(dept2), "");
        let viewer = add_user(&conn, "viewer", "总经理", Role::Viewer, None, "");
        conn.execute(
            "UPDATE departments SET head_user_id = ?1 WHERE id = ?2",
            params![head1.user_id, dept1],
        )
        .unwrap();
        let cust1 = add_customer(&conn, "科技有限公司", staff1.user_id, dept1);
        let cust1b = add_customer(&conn, "贸易有限公司", staff1b.user_id, dept1);
        let cust2 = add_customer(&conn, "制造有限公司", staff2.user_id, dept2);
        Fixture {
            conn,
            dept1,
            dept2,
            admin,
            supervisor,
            head1,
            staff1,
            staff1b,
            staff2,
            viewer,
            cust1,
            cust1b,
            cust2,
        }
    }
}
