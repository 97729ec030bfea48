//! Demo data: a believable small company's two years of customer relations, generated
//! deterministically from a seed, for trying the app, for screenshots and for benchmarks.
//!
//! `small` is about 200 customers; `large` is 100k customers, ~300k contacts, ~1M interactions
//! and ~200k feedback items. Rows are written with prepared statements, one transaction per
//! batch of customers (everything of a customer in the same batch), and the search index is
//! built in bulk at the end. Feedback items get their history (created, routed, assigned,
//! responded, status changes, satisfaction) and then their SLA columns are derived by the
//! feedback module itself, so they look exactly like items handled in the app.
//!
//! Generation refuses a database that already has customers: demo data is for empty installs.
//! Demo staff accounts have no usable password (an admin resets one to log in as them).

mod words;

use crate::account::Actor;
use crate::calendar::WorkCalendar;
use crate::customer::{dedupe::name_key, number, search_index};
use crate::feedback::{Channel, sla_policy};
use crate::permission::Action;
use crate::sla::Priority;
use crate::{Error, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::{Connection, params};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use words::*;

/// How much to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// About 200 customers: for trying the app.
    Small,
    /// 100k customers, 300k contacts, 1M interactions, 200k feedback: for benchmarks.
    Large,
}

impl Size {
    /// Parse `small` or `large`.
    pub fn parse(s: &str) -> Result<Size> {
        match s {
            "small" => Ok(Size::Small),
            "large" => Ok(Size::Large),
            _ => Err(Error::invalid(
                "demo.size_invalid",
                "size",
                "the size is small or large",
            )),
        }
    }

    fn plan(self) -> Plan {
        match self {
            Size::Small => Plan {
                customers: 200,
                users: 10,
                interactions: 10.0,
                feedback: 1.6,
            },
            Size::Large => Plan {
                customers: 100_000,
                users: 40,
                interactions: 10.0,
                feedback: 2.0,
            },
        }
    }
}

/// Counts and averages per customer.
struct Plan {
    customers: usize,
    users: usize,
    interactions: f64,
    feedback: f64,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoReport {
    /// Demo staff accounts created.
    pub users: usize,
    /// Customers.
    pub customers: usize,
    /// Contacts.
    pub contacts: usize,
    /// Interactions.
    pub interactions: usize,
    /// Tasks.
    pub tasks: usize,
    /// Feedback items.
    pub feedback: usize,
    /// Key-field change requests.
    pub change_requests: usize,
    /// Survey responses (NPS and CSAT).
    pub survey_responses: usize,
}

/// The seed the app uses for the small set, so every demo install looks the same.
pub const APP_SEED: u64 = 20_260_101;

/// Load the small demo set for the signed-in admin (the app's "load demo data" button).
pub fn load_small(conn: &mut Connection, now: DateTime<Utc>, actor: &Actor) -> Result<DemoReport> {
    actor.require(Action::DataManage)?;
    let report = generate(conn, now, Size::Small, APP_SEED, &mut |_, _| {})?;
    crate::team::audit(
        conn,
        now,
        Some(actor.user_id),
        "demo.load",
        "team",
        Some(1),
        &format!("{} customers", report.customers),
    )?;
    Ok(report)
}

/// Generate a demo data set into a set-up team with no customers yet. Deterministic for a given
/// (`size`, `seed`, `now`). `progress(done, total)` counts customers written.
pub fn generate(
    conn: &mut Connection,
    now: DateTime<Utc>,
    size: Size,
    seed: u64,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<DemoReport> {
    if !crate::team::status(conn)?.setup_done {
        return Err(Error::conflict(
            "demo.no_team",
            "set up the team before loading demo data",
        ));
    }
    let existing: i64 = conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(Error::conflict(
            "demo.not_empty",
            "demo data can only be loaded while there are no customers",
        ));
    }
    conn.set_prepared_statement_cache_capacity(64);
    let plan = size.plan();
    let tz: Tz = crate::calendar::store::parse_time_zone(&crate::team::time_zone(conn)?)?;
    let mut g = Gen {
        rng: Rng::new(seed),
        now,
        tz,
        report: DemoReport::default(),
        names: HashSet::new(),
        feedback_seq: HashMap::new(),
        customer_seq: HashMap::new(),
        feedback_k: 0,
        staff: Staff::default(),
        cal: crate::calendar::store::load(conn, &crate::team::time_zone(conn)?)?,
        surveys: table_exists(conn, "survey_responses")?,
        last_feedback: None,
    };
    {
        let tx = conn.transaction()?;
        g.staff = create_staff(&tx, &mut g.rng, now, plan.users)?;
        g.report.users = plan.users;
        tx.commit()?;
    }
    let first_customer: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM customers", [], |r| {
            r.get(0)
        })?;
    let tags = {
        let tx = conn.transaction()?;
        let mut ids = Vec::new();
        for (name, colour) in TAGS {
            tx.execute(
                "INSERT INTO tags (name, colour) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET colour = colour",
                params![name, colour],
            )?;
            ids.push(
                tx.query_row("SELECT id FROM tags WHERE name = ?1", [name], |r| {
                    r.get::<_, i64>(0)
                })?,
            );
        }
        tx.commit()?;
        ids
    };
    const BATCH: usize = 2_000;
    let span = Duration::days(730);
    let mut done = 0;
    while done < plan.customers {
        let end = (done + BATCH).min(plan.customers);
        let tx = conn.transaction()?;
        for i in done..end {
            // Older customers first: created evenly over two years, newest a week ago.
            let created = now - span
                + Duration::seconds(span.num_seconds() * i as i64 / plan.customers as i64)
                - Duration::days(7)
                + Duration::seconds(g.rng.below(3_600 * 8) as i64);
            let c = g.customer(&tx, created, &tags)?;
            g.interactions(&tx, &c, plan.interactions)?;
            g.tasks(&tx, &c)?;
            g.feedback(&tx, &c, plan.feedback, i + 90 >= plan.customers)?;
            g.change_request(&tx, &c)?;
            if g.surveys {
                g.nps(&tx, &c)?;
            }
        }
        tx.commit()?;
        done = end;
        progress(done, plan.customers);
    }
    let tx = conn.transaction()?;
    for (name, seqs) in [("customer", &g.customer_seq), ("feedback", &g.feedback_seq)] {
        let name = if name == "customer" {
            number::SEQUENCE
        } else {
            name
        };
        for (year, last) in seqs {
            tx.execute(
                "INSERT INTO sequences (name, year, last) VALUES (?1, ?2, ?3)
                 ON CONFLICT(name, year) DO UPDATE SET last = max(last, excluded.last)",
                params![name, year, last],
            )?;
        }
    }
    search_index::index_from(&tx, first_customer)?;
    tx.commit()?;
    conn.execute_batch("PRAGMA optimize")?;
    Ok(g.report)
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// A small, fast, deterministic generator (SplitMix64): the same seed gives the same data on
/// every platform, which a library RNG does not promise across versions.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// A count averaging `mean` (uniform on 0..=2·mean, fractional part by chance).
    fn count(&mut self, mean: f64) -> usize {
        let x = self.unit() * 2.0 * mean;
        x as usize + usize::from(self.chance(x.fract()))
    }
    /// A duration between `lo` and `hi` seconds.
    fn secs(&mut self, lo: i64, hi: i64) -> Duration {
        Duration::seconds(lo + self.below((hi - lo).max(1) as usize) as i64)
    }
}

/// The demo team: who owns customers, who handles feedback in each department.
#[derive(Default)]
struct Staff {
    /// Customer owners (sales and customer service), with their department.
    owners: Vec<(i64, i64)>,
    /// Members by department code.
    members: HashMap<String, Vec<i64>>,
    /// Department ids by code.
    departments: HashMap<String, i64>,
    /// Heads by department id.
    heads: HashMap<i64, i64>,
}

fn create_staff(conn: &Connection, rng: &mut Rng, now: DateTime<Utc>, n: usize) -> Result<Staff> {
    let mut staff = Staff::default();
    for (code, name, sort) in [
        ("cs", "客服部", 0),
        ("sales", "销售部", 1),
        ("rnd", "研发部", 2),
        ("finance", "财务部", 3),
    ] {
        conn.execute(
            "INSERT INTO departments (code, name, sort) VALUES (?1, ?2, ?3) ON CONFLICT(code) DO NOTHING",
            params![code, name, sort],
        )?;
        let id: i64 =
            conn.query_row("SELECT id FROM departments WHERE code = ?1", [code], |r| {
                r.get(0)
            })?;
        staff.departments.insert(code.to_string(), id);
    }
    // Supervisor first, then one head per department, then staff (sales and service heavy).
    let layout = [
        "sales", "cs", "sales", "cs", "rnd", "sales", "cs", "finance",
    ];
    let mut insert = conn.prepare_cached(
        "INSERT INTO users (username, display_name, role, title, department_id, phone, email,
            password_hash, must_change_password, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', '!demo-account-without-password', 1, ?7, ?7)",
    )?;
    let mut free = conn.prepare_cached("SELECT count(*) FROM users WHERE username = ?1")?;
    let mut k = 0;
    for i in 0..n {
        let (role, code, title) = match i {
            0 => ("supervisor", None, "客户服务总监"),
            1..=4 => (
                "head",
                Some(["sales", "cs", "rnd", "finance"][i - 1]),
                "部门负责人",
            ),
            _ => ("staff", Some(layout[(i - 5) % layout.len()]), "专员"),
        };
        let username = loop {
            k += 1;
            let u = format!("demo{k:02}");
            if free.query_row([&u], |r| r.get::<_, i64>(0))? == 0 {
                break u;
            }
        };
        let name = person(rng);
        let dept = code.map(|c| staff.departments[c]);
        insert.execute(params![
            username,
            name,
            role,
            title,
            dept,
            mobile(rng),
            now.timestamp()
        ])?;
        let id = conn.last_insert_rowid();
        if let (Some(code), Some(d)) = (code, dept) {
            staff.members.entry(code.to_string()).or_default().push(id);
            if role == "head" {
                conn.execute(
                    "UPDATE departments SET head_user_id = coalesce(head_user_id, ?1) WHERE id = ?2",
                    params![id, d],
                )?;
            }
            if code == "sales" || (code == "cs" && role == "staff") {
                staff.owners.push((id, d));
            }
        }
    }
    for (code, &d) in &staff.departments {
        let head: Option<i64> = conn.query_row(
            "SELECT head_user_id FROM departments WHERE id = ?1",
            [d],
            |r| r.get(0),
        )?;
        if let Some(h) = head {
            staff.heads.insert(d, h);
        }
        staff.members.entry(code.clone()).or_default();
    }
    Ok(staff)
}

fn person(rng: &mut Rng) -> String {
    let mut s = rng.pick(&SURNAMES).to_string();
    s.push_str(rng.pick::<&str>(&GIVEN));
    if rng.chance(0.7) {
        s.push_str(rng.pick::<&str>(&GIVEN));
    }
    s
}

fn mobile(rng: &mut Rng) -> String {
    format!(
        "{}{:08}",
        rng.pick(&MOBILE_PREFIXES),
        rng.below(100_000_000)
    )
}

/// What later steps need to know about a generated customer.
struct Customer {
    id: i64,
    created: DateTime<Utc>,
    owner: i64,
    department: i64,
    contacts: Vec<i64>,
    stage: &'static str,
    annual_amount: i64,
}

struct Gen {
    rng: Rng,
    now: DateTime<Utc>,
    tz: Tz,
    report: DemoReport,
    names: HashSet<String>,
    feedback_seq: HashMap<i32, i64>,
    customer_seq: HashMap<i32, i64>,
    feedback_k: usize,
    staff: Staff,
    cal: WorkCalendar,
    surveys: bool,
    /// The newest feedback item so far: what a duplicate of a customer's first item repeats.
    last_feedback: Option<i64>,
}

/// The sub-categories, priorities and statuses every demo set covers.
const LEAF_CATEGORIES: [(i64, &str); 6] = [
    (11, "service_quality"),
    (12, "product_function"),
    (21, "feature_improvement"),
    (22, "service_experience"),
    (31, "product_usage"),
    (32, "cooperation_policy"),
];
const PRIORITIES: [Priority; 3] = [Priority::Urgent, Priority::Important, Priority::Normal];
const STATUSES: [&str; 5] = [
    "new",
    "in_progress",
    "awaiting_customer",
    "closed",
    "duplicate",
];

impl Gen {
    fn customer(
        &mut self,
        tx: &Connection,
        created: DateTime<Utc>,
        tags: &[i64],
    ) -> Result<Customer> {
        let rng = &mut self.rng;
        let (industry, trades) = rng.pick(&INDUSTRIES);
        let (name, trade) = loop {
            let trade = format!("{}{}", rng.pick(&TRADE), rng.pick(&TRADE));
            let name = format!(
                "{}{}{}{}",
                rng.pick(&CITIES),
                trade,
                rng.pick(trades),
                rng.pick(&FORMS)
            );
            if self.names.insert(name.clone()) {
                break (name, trade);
            }
        };
        let stage = match rng.below(100) {
            0..25 => "potential",
            25..80 => "signed",
            80..90 => "strategic",
            _ => "churned",
        };
        let tier = match rng.below(100) {
            0..15 => "A",
            15..50 => "B",
            _ => "C",
        };
        let annual_amount = match tier {
            "A" => 500_000 + rng.below(1_500_000),
            "B" => 100_000 + rng.below(400_000),
            _ => 10_000 + rng.below(90_000),
        } as i64
            * 100;
        let annual_amount = if stage == "potential" {
            0
        } else {
            annual_amount
        };
        let start = self_date(&self.tz, created);
        let (coop_start, contract_end) = if stage == "potential" {
            (None, None)
        } else {
            let years = 1 + rng.below(2) as i32;
            (
                Some(start),
                start.with_year(start.year() + years).or(Some(start)),
            )
        };
        let products = if stage == "potential" {
            String::new()
        } else {
            let a = rng.pick(&PRODUCTS);
            let b = rng.pick(&PRODUCTS);
            if a == b {
                a.to_string()
            } else {
                format!("{a}、{b}")
            }
        };
        let source = rng.pick(&SOURCES).to_string();
        let (owner, department) = *rng.pick(&self.staff.owners);
        let (followup, plan) = if stage != "churned" && rng.chance(0.3) {
            let d = self_date(&self.tz, self.now) + Duration::days(rng.below(28) as i64 - 7);
            (Some(d), "电话确认下季度采购计划")
        } else {
            (None, "")
        };
        let archived = stage == "churned" && rng.chance(0.5);
        let year = self_date(&self.tz, created).year();
        let seq = self.customer_seq.entry(year).or_insert(0);
        *seq += 1;
        let number = number::format_number(year, *seq);
        tx.prepare_cached(
            "INSERT INTO customers (number, name, name_key, industry, stage, tier, coop_start, contract_end,
                annual_amount, products, source, next_followup_on, next_followup_plan, owner_user_id,
                department_id, archived, created_by, created_at, updated_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?14, ?17, ?14, ?17)",
        )?
        .execute(params![
            number,
            name,
            name_key(&name),
            industry,
            stage,
            tier,
            coop_start,
            contract_end,
            annual_amount,
            products,
            source,
            followup,
            plan,
            owner,
            department,
            archived,
            created.timestamp()
        ])?;
        let id = tx.last_insert_rowid();
        tx.prepare_cached(
            "INSERT INTO customer_history (customer_id, at, user_id, kind, new_value)
             VALUES (?1, ?2, ?3, 'created', ?4)",
        )?
        .execute(params![
            id,
            created.timestamp(),
            owner,
            serde_json::json!({"number": number, "name": name, "industry": industry, "stage": stage, "tier": tier})
                .to_string()
        ])?;
        let domain = format!("{}{}.com.cn", search_index::pinyin_full(&trade), id % 97);
        let n_contacts = 2 + rng.below(3);
        let mut contacts = Vec::with_capacity(n_contacts);
        let mut insert = tx.prepare_cached(
            "INSERT INTO contacts (customer_id, name, position, mobile, landline, email, birthday, is_primary)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for k in 0..n_contacts {
            let name = person(rng);
            let email = if rng.chance(0.7) {
                format!("{}@{domain}", search_index::pinyin_full(&name))
            } else {
                String::new()
            };
            let landline = if rng.chance(0.3) {
                format!(
                    "0{}-{}",
                    10 + rng.below(890),
                    60_000_000 + rng.below(30_000_000)
                )
            } else {
                String::new()
            };
            let birthday = rng.chance(0.3).then(|| {
                NaiveDate::from_ymd_opt(
                    1965 + rng.below(35) as i32,
                    1 + rng.below(12) as u32,
                    1 + rng.below(28) as u32,
                )
            });
            insert.execute(params![
                id,
                name,
                rng.pick(&POSITIONS),
                mobile(rng),
                landline,
                email,
                birthday.flatten(),
                k == 0
            ])?;
            contacts.push(tx.last_insert_rowid());
        }
        for (i, &tag) in tags.iter().enumerate() {
            if rng.chance(if i == 0 { 0.1 } else { 0.15 }) {
                tx.prepare_cached(
                    "INSERT INTO customer_tags (customer_id, tag_id) VALUES (?1, ?2)",
                )?
                .execute(params![id, tag])?;
            }
        }
        self.report.customers += 1;
        self.report.contacts += contacts.len();
        Ok(Customer {
            id,
            created,
            owner,
            department,
            contacts,
            stage,
            annual_amount,
        })
    }

    fn interactions(&mut self, tx: &Connection, c: &Customer, mean: f64) -> Result<()> {
        let n = self.rng.count(mean);
        let life = (self.now - c.created).num_seconds().max(3_600);
        let mut times: Vec<i64> = (0..n)
            .map(|_| c.created.timestamp() + self.rng.below(life as usize) as i64)
            .collect();
        times.sort_unstable();
        let mut insert = tx.prepare_cached(
            "INSERT INTO interactions (customer_id, occurred_at, channel, subject, key_points, next_step,
                satisfaction, created_by, created_at, updated_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?2, ?8, ?2)",
        )?;
        let mut with_contact = tx.prepare_cached(
            "INSERT INTO interaction_contacts (interaction_id, contact_id) VALUES (?1, ?2)",
        )?;
        let mut with_user = tx.prepare_cached(
            "INSERT INTO interaction_users (interaction_id, user_id) VALUES (?1, ?2)",
        )?;
        let mut history = tx.prepare_cached(
            "INSERT INTO interaction_history (interaction_id, customer_id, at, user_id, change, new_json)
             VALUES (?1, ?2, ?3, ?4, 'create', ?5)",
        )?;
        for &at in &times {
            let (channel, subject, points) = *self.rng.pick(&INTERACTIONS);
            let satisfaction = self.rng.chance(0.3).then(|| 3 + self.rng.below(3) as i64);
            let next_step = if self.rng.chance(0.4) {
                "一周后电话跟进"
            } else {
                ""
            };
            insert.execute(params![
                c.id,
                at,
                channel,
                subject,
                points,
                next_step,
                satisfaction,
                c.owner
            ])?;
            let id = tx.last_insert_rowid();
            let contact = *self.rng.pick(&c.contacts);
            with_contact.execute(params![id, contact])?;
            with_user.execute(params![id, c.owner])?;
            history.execute(params![
                id,
                c.id,
                at,
                c.owner,
                serde_json::json!({"occurred_at": at, "channel": channel, "subject": subject,
                    "key_points": points, "contact_ids": [contact], "user_ids": [c.owner]})
                .to_string()
            ])?;
        }
        if let Some(&last) = times.last() {
            tx.prepare_cached("UPDATE customers SET last_contact_at = ?1 WHERE id = ?2")?
                .execute(params![last, c.id])?;
        }
        self.report.interactions += n;
        Ok(())
    }

    fn tasks(&mut self, tx: &Connection, c: &Customer) -> Result<()> {
        let mut insert = tx.prepare_cached(
            "INSERT INTO tasks (title, owner_user_id, due_at, customer_id, status, completed_at, completed_by,
                created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?2, ?8, ?8)",
        )?;
        if self.rng.chance(0.35) {
            let due = self.now + self.rng.secs(-5 * 86_400, 14 * 86_400);
            let created = (due - Duration::days(3)).max(c.created).min(self.now);
            insert.execute(params![
                self.rng.pick(&TASKS),
                c.owner,
                due.timestamp(),
                c.id,
                "open",
                None::<i64>,
                None::<i64>,
                created.timestamp()
            ])?;
            self.report.tasks += 1;
        }
        if self.rng.chance(0.5) {
            let life = (self.now - c.created).num_seconds().max(3_600);
            let due = c.created + self.rng.secs(0, life);
            let completed = (due - self.rng.secs(0, 86_400)).max(c.created);
            insert.execute(params![
                self.rng.pick(&TASKS),
                c.owner,
                due.timestamp(),
                c.id,
                "done",
                completed.timestamp(),
                c.owner,
                c.created.timestamp()
            ])?;
            self.report.tasks += 1;
        }
        Ok(())
    }

    /// The (category, priority, status) of the next item: when `force`d (one recent item of
    /// each of the newest 90 customers) walk through every combination, otherwise draw with
    /// realistic weights (old items are closed).
    fn feedback_kind(
        &mut self,
        age_days: i64,
        force: bool,
    ) -> ((i64, &'static str), Priority, &'static str) {
        if force && self.feedback_k < 90 {
            let k = self.feedback_k;
            self.feedback_k += 1;
            return (
                LEAF_CATEGORIES[k % 6],
                PRIORITIES[(k / 6) % 3],
                STATUSES[k / 18],
            );
        }
        let rng = &mut self.rng;
        let cat = LEAF_CATEGORIES[match rng.below(100) {
            0..25 => 0,
            25..45 => 1,
            45..60 => 2,
            60..70 => 3,
            70..90 => 4,
            _ => 5,
        }];
        let priority = match rng.below(100) {
            0..15 => Priority::Urgent,
            15..50 => Priority::Important,
            _ => Priority::Normal,
        };
        let r = rng.below(100);
        let status = if age_days > 30 {
            match r {
                0..92 => "closed",
                92..96 => "duplicate",
                96..98 => "awaiting_customer",
                _ => "in_progress",
            }
        } else {
            match r {
                0..20 => "new",
                20..50 => "in_progress",
                50..65 => "awaiting_customer",
                65..98 => "closed",
                _ => "duplicate",
            }
        };
        (cat, priority, status)
    }

    fn feedback(&mut self, tx: &Connection, c: &Customer, mean: f64, force: bool) -> Result<()> {
        let n = self.rng.count(mean).max(usize::from(force));
        let policy = sla_policy(tx)?;
        let mut previous: Option<i64> = None;
        let mut times: Vec<DateTime<Utc>> = (0..n)
            .map(|_| {
                let life = (self.now - c.created).num_seconds().max(7_200);
                c.created + self.rng.secs(0, life - 3_600)
            })
            .collect();
        times.sort();
        if force && let Some(last) = times.last_mut() {
            *last = (self.now - self.rng.secs(3_600, 20 * 86_400)).max(c.created);
        }
        for (j, created) in times.into_iter().enumerate() {
            let age_days = (self.now - created).num_days();
            let ((category, code), priority, status) =
                self.feedback_kind(age_days, force && j + 1 == n);
            let earlier = previous.or(self.last_feedback);
            // The very first item cannot repeat anything.
            let status = if earlier.is_none() && status == "duplicate" {
                "closed"
            } else {
                status
            };
            let id = self.feedback_item(
                tx, c, created, category, code, priority, status, earlier, &policy,
            )?;
            previous = Some(id);
            self.last_feedback = Some(id);
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn feedback_item(
        &mut self,
        tx: &Connection,
        c: &Customer,
        created: DateTime<Utc>,
        category: i64,
        code: &str,
        priority: Priority,
        status: &str,
        previous: Option<i64>,
        policy: &crate::sla::SlaPolicy,
    ) -> Result<i64> {
        let now = self.now;
        let rng = &mut self.rng;
        let texts = FEEDBACK
            .iter()
            .find(|f| f.0 == code)
            .map(|f| f.1)
            .unwrap_or(FEEDBACK[0].1);
        let description = *rng.pick(&texts);
        let channel = rng.pick(&Channel::ALL).as_str();
        let lead_code = match code {
            "product_function" | "feature_improvement" => "rnd",
            "cooperation_policy" => "sales",
            _ => "cs",
        };
        let lead = self.staff.departments[lead_code];
        let assignee = self.staff.members[lead_code]
            .get(rng.below(self.staff.members[lead_code].len().max(1)))
            .copied();
        let creator = self.staff.members["cs"].first().copied().unwrap_or(c.owner);
        let year = self_date(&self.tz, created).year();
        let seq = self.feedback_seq.entry(year).or_insert(0);
        *seq += 1;
        let number = format!("FK-{year}-{seq:05}");
        let complaint = category < 20;
        let targets = serde_json::to_string(&policy.for_priority(priority))
            .map_err(|e| Error::conflict("sla.policy_corrupt", e.to_string()))?;
        // Realistic timings: fast for urgent items, now and then late.
        let (resp_hi, close_lo, close_hi) = match priority {
            Priority::Urgent => (2 * 3_600, 2 * 3_600, 2 * 86_400),
            Priority::Important => (8 * 3_600, 4 * 3_600, 5 * 86_400),
            Priority::Normal => (2 * 86_400, 86_400, 10 * 86_400),
        };
        let slow = if rng.chance(0.12) { 3 } else { 1 };
        let latest = now - Duration::minutes(2);
        let responded =
            (created + rng.secs(300, resp_hi) * slow).min(latest - Duration::minutes(1));
        let responded = responded.max(created + Duration::seconds(1));
        let closed = (responded + rng.secs(close_lo, close_hi) * slow)
            .min(latest)
            .max(responded + Duration::seconds(1));
        let expected = (status == "in_progress" || status == "awaiting_customer")
            .then(|| self_date(&self.tz, created) + Duration::days(3 + rng.below(14) as i64));
        let is_closed = status == "closed";
        let (root, solution) = if is_closed && complaint {
            *rng.pick(&RESOLUTIONS)
        } else {
            ("", "")
        };
        let compensation =
            (is_closed && complaint && rng.chance(0.1)).then_some("service_extension");
        let satisfaction = (is_closed && rng.chance(0.6)).then(|| {
            let at = (closed + rng.secs(3_600, 6 * 86_400)).min(latest);
            let score = match rng.below(10) {
                0 => 2,
                1..3 => 3,
                3..6 => 4,
                _ => 5,
            };
            (score, at)
        });
        let duplicate_of = if status == "duplicate" {
            previous
        } else {
            None
        };
        let end = match status {
            "new" => created,
            "in_progress" => responded,
            "awaiting_customer" => responded + (closed - responded) / 2,
            _ => closed,
        };
        let updated = satisfaction.map(|s| s.1).unwrap_or(end);
        tx.prepare_cached(
            "INSERT INTO feedback_items (number, customer_id, contact_id, channel, category_id, priority,
                status, description, occurred_at, impact, customer_expectation, investigation_result,
                responsible_department_id, root_cause, solution, compensation_kind, compensation_amount,
                assignee_user_id, expected_resolution_date, duplicate_of_id, sla_targets,
                response_due_at, resolution_due_at, closed_at, callback_due_at, satisfaction_score,
                satisfied, satisfaction_at, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
                ?20, ?21, ?22, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?22, ?29)",
        )?
        .execute(params![
            number,
            c.id,
            c.contacts[0],
            channel,
            category,
            priority.as_str(),
            status,
            description,
            complaint.then(|| (created - Duration::hours(6)).timestamp()),
            if complaint { "影响对方日常业务处理" } else { "" },
            if complaint { "尽快解决并给出书面说明" } else { "" },
            if is_closed && complaint { "已核实情况属实" } else { "" },
            (is_closed && complaint).then_some(lead),
            root,
            solution,
            compensation,
            if compensation.is_some() { 50_000 } else { 0 },
            assignee,
            expected,
            duplicate_of,
            targets,
            created.timestamp(),
            (is_closed || status == "duplicate").then(|| closed.timestamp()),
            is_closed.then(|| (closed + Duration::days(crate::feedback::workflow::CALLBACK_DAYS)).timestamp()),
            satisfaction.map(|s| s.0),
            satisfaction.map(|s| s.0 >= 4),
            satisfaction.map(|s| s.1.timestamp()),
            creator,
            updated.timestamp()
        ])?;
        let id = tx.last_insert_rowid();
        tx.prepare_cached(
            "INSERT INTO feedback_item_departments (item_id, department_id, role) VALUES (?1, ?2, 'lead')",
        )?
        .execute(params![id, lead])?;
        if code == "cooperation_policy" {
            tx.prepare_cached(
                "INSERT INTO feedback_item_departments (item_id, department_id, role) VALUES (?1, ?2, 'collaborator')",
            )?
            .execute(params![id, self.staff.departments["finance"]])?;
        }
        let mut ev = tx.prepare_cached(
            "INSERT INTO feedback_events (item_id, at, user_id, kind, from_status, to_status, comment, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let t = |d: DateTime<Utc>| d.timestamp();
        ev.execute(params![
            id,
            t(created),
            creator,
            "created",
            None::<&str>,
            None::<&str>,
            "",
            serde_json::json!({"number": number}).to_string()
        ])?;
        if let Some(u) = assignee {
            ev.execute(params![
                id,
                t(created),
                None::<i64>,
                "assigned",
                None::<&str>,
                None::<&str>,
                "",
                serde_json::json!({"user_id": u, "mode": "round_robin"}).to_string()
            ])?;
        }
        let collaborators: Vec<i64> = if code == "cooperation_policy" {
            vec![self.staff.departments["finance"]]
        } else {
            Vec::new()
        };
        ev.execute(params![
            id,
            t(created),
            None::<i64>,
            "departments",
            None::<&str>,
            None::<&str>,
            "",
            serde_json::json!({"lead": lead, "collaborators": collaborators, "by": "rule"})
                .to_string()
        ])?;
        if status != "new" {
            ev.execute(params![
                id,
                t(responded),
                assignee,
                "responded",
                None::<&str>,
                None::<&str>,
                "已电话联系客户，确认问题细节。",
                "{}"
            ])?;
            ev.execute(params![
                id,
                t(responded),
                assignee,
                "status",
                "new",
                "in_progress",
                "",
                "{}"
            ])?;
        }
        match status {
            "awaiting_customer" => {
                ev.execute(params![
                    id,
                    t(end),
                    assignee,
                    "status",
                    "in_progress",
                    "awaiting_customer",
                    "等待客户提供截图。",
                    "{}"
                ])?;
            }
            "closed" => {
                ev.execute(params![
                    id,
                    t(closed),
                    assignee,
                    "status",
                    "in_progress",
                    "closed",
                    if solution.is_empty() {
                        "已答复客户。"
                    } else {
                        solution
                    },
                    "{}"
                ])?;
            }
            "duplicate" => {
                ev.execute(params![
                    id,
                    t(closed),
                    assignee,
                    "status",
                    "in_progress",
                    "duplicate",
                    "与之前的反馈重复。",
                    serde_json::json!({"duplicate_of": duplicate_of}).to_string()
                ])?;
            }
            _ => {}
        }
        if let Some((score, at)) = satisfaction {
            ev.execute(params![
                id,
                t(at),
                c.owner,
                "satisfaction",
                None::<&str>,
                None::<&str>,
                "",
                serde_json::json!({"score": score}).to_string()
            ])?;
        }
        crate::feedback::refresh_sla(tx, &self.cal, id, now)?;
        // As if the scheduler had been running all along: what is late now was already told.
        tx.prepare_cached("UPDATE feedback_items SET notified_stage = sla_stage WHERE id = ?1")?
            .execute([id])?;
        if let Some((score, at)) = satisfaction
            && self.surveys
        {
            tx.prepare_cached(
                "INSERT INTO survey_responses (customer_id, kind, score, feedback_id, comment, responded_at,
                    recorded_by, recorded_at)
                 VALUES (?1, 'csat', ?2, ?3, '', ?4, ?5, ?4)",
            )?
            .execute(params![c.id, score, id, at.timestamp(), c.owner])?;
            self.report.survey_responses += 1;
        }
        self.report.feedback += 1;
        Ok(id)
    }

    fn change_request(&mut self, tx: &Connection, c: &Customer) -> Result<()> {
        if c.stage == "potential" || !self.rng.chance(0.06) {
            return Ok(());
        }
        let requested = (self.now - self.rng.secs(3_600, 60 * 86_400)).max(c.created);
        let age = self.now - requested;
        let status = if age < Duration::days(3) {
            "pending"
        } else if self.rng.chance(0.8) {
            "approved"
        } else {
            "rejected"
        };
        let new_amount = c.annual_amount + 100_000 * (1 + self.rng.below(20) as i64);
        let decider = self.staff.heads.get(&c.department).copied();
        let decided = (status != "pending").then(|| requested + self.rng.secs(3_600, 2 * 86_400));
        tx.prepare_cached(
            "INSERT INTO change_requests (customer_id, field, old_value, new_value, reason, requested_by,
                requested_at, status, decided_by, decided_at, decision_comment)
             VALUES (?1, 'annual_amount', ?2, ?3, '续约后合同金额调整', ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            c.id,
            c.annual_amount.to_string(),
            new_amount.to_string(),
            c.owner,
            requested.timestamp(),
            status,
            decided.and(decider),
            decided.map(|d| d.timestamp()),
            if status == "rejected" { "请附上新合同扫描件" } else { "" }
        ])?;
        let cr = tx.last_insert_rowid();
        tx.prepare_cached(
            "INSERT INTO customer_history (customer_id, at, user_id, kind, field, old_value, new_value, change_request_id)
             VALUES (?1, ?2, ?3, 'requested', 'annual_amount', ?4, ?5, ?6)",
        )?
        .execute(params![c.id, requested.timestamp(), c.owner, c.annual_amount.to_string(), new_amount.to_string(), cr])?;
        if let Some(d) = decided {
            let kind = if status == "approved" {
                "approved"
            } else {
                "rejected"
            };
            tx.prepare_cached(
                "INSERT INTO customer_history (customer_id, at, user_id, kind, field, old_value, new_value, change_request_id)
                 VALUES (?1, ?2, ?3, ?4, 'annual_amount', ?5, ?6, ?7)",
            )?
            .execute(params![c.id, d.timestamp(), decider, kind, c.annual_amount.to_string(), new_amount.to_string(), cr])?;
            if status == "approved" {
                tx.prepare_cached("UPDATE customers SET annual_amount = ?1 WHERE id = ?2")?
                    .execute(params![new_amount, c.id])?;
            }
        }
        self.report.change_requests += 1;
        Ok(())
    }

    fn nps(&mut self, tx: &Connection, c: &Customer) -> Result<()> {
        if c.stage == "potential" || !self.rng.chance(0.5) {
            return Ok(());
        }
        let life = (self.now - c.created).num_seconds().max(3_600);
        let at = c.created + self.rng.secs(0, life);
        let score = match self.rng.below(20) {
            0..3 => self.rng.below(7) as i64,
            3..8 => 7 + self.rng.below(2) as i64,
            _ => 9 + self.rng.below(2) as i64,
        };
        tx.prepare_cached(
            "INSERT INTO survey_responses (customer_id, kind, score, comment, responded_at, recorded_by, recorded_at)
             VALUES (?1, 'nps', ?2, ?3, ?4, ?5, ?4)",
        )?
        .execute(params![c.id, score, self.rng.pick(&SURVEY_COMMENTS), at.timestamp(), c.owner])?;
        self.report.survey_responses += 1;
        Ok(())
    }
}

fn self_date(tz: &Tz, t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(tz).date_naive()
}

#[cfg(test)]
mod tests;
