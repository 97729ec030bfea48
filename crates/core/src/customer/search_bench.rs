//! A benchmark of the search design on ~100k customers / 300k contacts. Ignored by default:
//! `cargo test -p rapport-core --release search_bench -- --ignored --nocapture`.

use super::tests::{contact, now, team};
use super::*;
use crate::customer::history::HistoryKind;
use std::time::Instant;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const CITIES: [&str; 12] = [
    "北京", "上海", "广州", "深圳", "杭州", "南京", "中山", "成都", "武汉", "苏州", "天津", "西安",
];
const WORDS: [&str; 16] = [
    "华为", "创新", "科技", "贸易", "电子", "精密", "机械", "食品", "物流", "医药", "材料", "网络",
    "信息", "环保", "能源", "建设",
];
const SURNAMES: [&str; 12] = [
    "张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "涛",
];

#[test]
#[ignore]
fn search_bench_100k() {
    let mut t = team();
    let n: usize = std::env::var("BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Lcg(42);
    let started = Instant::now();
    {
        let tx = t.conn.transaction().unwrap();
        for i in 0..n {
            let name = format!(
                "{}{}{}{}有限公司",
                CITIES[rng.next(12)],
                WORDS[rng.next(16)],
                WORDS[rng.next(16)],
                i
            );
            let contacts = (0..3)
                .map(|k| {
                    contact(
                        &format!(
                            "{}{}{}",
                            SURNAMES[rng.next(12)],
                            GIVEN[rng.next(12)],
                            GIVEN[rng.next(12)]
                        ),
                        &format!("13{}{:08}", 3 + rng.next(7), rng.next(100_000_000)),
                        &format!("c{i}k{k}@example{}.com", i % 977),
                        k == 0,
                    )
                })
                .collect();
            let input = NewCustomer {
                customer: CustomerInput {
                    name,
                    ..Default::default()
                },
                contacts,
                tags: vec![["VIP", "重点", "技术导向型"][i % 3].into()],
            };
            store::insert_customer(
                &tx,
                now(),
                &t.admin,
                &mut store::InsertLookups::per_row(2026),
                &input,
                HistoryKind::Imported,
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    println!("inserted {n} customers in {:?}", started.elapsed());
    let c4711k = search::trigram_query("c4711k");
    for sql in [
        format!("SELECT count(*) FROM (SELECT rowid FROM customer_fts WHERE customer_fts MATCH '{c4711k}')"),
        format!("SELECT count(*) FROM (SELECT rowid FROM contact_fts WHERE contact_fts MATCH '{c4711k}')"),
        format!("SELECT count(*) FROM (SELECT rowid FROM customer_fts WHERE customer_fts MATCH '{c4711k}' LIMIT 200)"),
        "SELECT count(*) FROM (SELECT rowid FROM contact_grams WHERE contact_grams MATCH '\"1张\"' ORDER BY rowid DESC LIMIT 200)".to_string(),
    ] {
        let s = Instant::now();
        let c: i64 = t.conn.query_row(&sql, [], |r| r.get(0)).unwrap();
        println!("{:?} {c} {sql}", s.elapsed());
    }
    t.conn
        .execute(
            "INSERT INTO customer_fts(customer_fts) VALUES('optimize')",
            [],
        )
        .unwrap();
    t.conn
        .execute(
            "INSERT INTO contact_fts(contact_fts) VALUES('optimize')",
            [],
        )
        .unwrap();
    for sql in [
        format!(
            "SELECT count(*) FROM (SELECT rowid FROM customer_fts WHERE customer_fts MATCH '{c4711k}')"
        ),
        format!(
            "SELECT count(*) FROM (SELECT rowid FROM contact_fts WHERE contact_fts MATCH '{c4711k}')"
        ),
    ] {
        let s = Instant::now();
        let c: i64 = t.conn.query_row(&sql, [], |r| r.get(0)).unwrap();
        println!("optimized {:?} {c} {sql}", s.elapsed());
    }
    let queries = [
        "张",
        "华为",
        "zs",
        "zsjt",
        "1388",
        "有限公司",
        "中山华为",
        "zhongshan",
        "example3.com",
        "c4711k",
        "北京创新科技4711",
        "技术导向",
        "王芳",
        "wf",
        "13912",
    ];
    for q in queries {
        let mut times = Vec::new();
        let mut hits = (0, 0);
        for _ in 0..50 {
            let s = Instant::now();
            let r = search(&t.conn, &t.admin, q, 20).unwrap();
            times.push(s.elapsed());
            hits = (r.customers.len(), r.contacts.len());
        }
        times.sort();
        let p95 = times[times.len() * 95 / 100];
        let s = Instant::now();
        let like: i64 = t
            .conn
            .query_row(
                "SELECT count(*) FROM (SELECT c.id FROM customers c WHERE c.name LIKE ?1
                 UNION SELECT k.customer_id FROM contacts k
                 WHERE k.name LIKE ?1 OR k.mobile LIKE ?1 OR k.email LIKE ?1)",
                [format!("%{q}%")],
                |r| r.get(0),
            )
            .unwrap();
        let like_t = s.elapsed();
        println!(
            "{q:>16}: p95 {:>8.3} ms  hits {hits:?}  LIKE scan {:>8.3} ms ({like} rows)  ratio {:.0}x",
            p95.as_secs_f64() * 1e3,
            like_t.as_secs_f64() * 1e3,
            like_t.as_secs_f64() / p95.as_secs_f64()
        );
    }
    let mut scoped = t.s1.clone();
    scoped.role = crate::permission::Role::Staff;
    let s = Instant::now();
    search(&t.conn, &scoped, "华为", 20).unwrap();
    println!("staff scope (no customers): {:?}", s.elapsed());
}
