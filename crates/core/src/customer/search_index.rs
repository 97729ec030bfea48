//! Keeping the search index in step with customers and contacts: one trigram-indexed document
//! per customer and per contact (names, number, phones, emails, tags, pinyin in full and by
//! initials) and the 1–2 character grams of names (and initials prefixes) for short queries.
//! Store functions call [`unindex`] before changing a customer and [`index`] after.

use crate::Result;
use crate::validate::to_half_width;
use pinyin::ToPinyin;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

/// Lower-case, half-width, letters and digits only: the form names are matched in.
pub fn compact(s: &str) -> String {
    s.chars()
        .map(to_half_width)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Pinyin of every Chinese character, joined (`中山集团` → `zhongshanjituan`); other letters
/// and digits kept, lower-cased.
pub fn pinyin_full(s: &str) -> String {
    let mut out = String::new();
    for c in compact(s).chars() {
        match c.to_pinyin() {
            Some(p) => out.push_str(p.plain()),
            None => out.push(c),
        }
    }
    out
}

/// The first letter of each Chinese character's pinyin (`中山集团` → `zsjt`); other letters and
/// digits kept, lower-cased.
pub fn pinyin_initials(s: &str) -> String {
    let mut out = String::new();
    for c in compact(s).chars() {
        match c.to_pinyin() {
            Some(p) => out.push_str(p.first_letter()),
            None => out.push(c),
        }
    }
    out
}

/// The 1- and 2-character grams of a name, each with whether it starts the name; plus the 1-
/// and 2-letter prefixes of its initials (people type initials from the start).
pub fn name_grams(name: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    each_gram(name, |g, first| out.push((g.iter().collect(), first)));
    out.sort();
    out.dedup();
    out
}

/// Call `f` with every gram of [`name_grams`] (unsorted, maybe repeated) and whether it
/// starts the name.
fn each_gram(name: &str, mut f: impl FnMut(&[char], bool)) {
    let chars: Vec<char> = compact(name).chars().collect();
    for i in 0..chars.len() {
        f(&chars[i..=i], i == 0);
        if i + 1 < chars.len() {
            f(&chars[i..i + 2], i == 0);
        }
    }
    let ini: Vec<char> = pinyin_initials(name).chars().collect();
    for n in 1..=2.min(ini.len()) {
        f(&ini[..n], true);
    }
}

/// One `search_grams` row of a bulk build in 16 bytes (a 100k import makes 4.4 million). The
/// gram (one or two characters, so at most 8 bytes of UTF-8) is kept inline, padded with
/// zeros, which orders like the text does in SQLite (compact names hold no NUL); `kind` and
/// `first` are the two top bits of `rest` above `ref_id`, so the derived order is the table's
/// key order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct GramRow {
    gram: [u8; 8],
    rest: u64,
}

/// Ids at or above this do not fit beside `kind` and `first` in [`GramRow::rest`].
const PACKED_ID_LIMIT: i64 = 1 << 62;

impl GramRow {
    fn text(&self) -> &str {
        let len = self.gram.iter().position(|b| *b == 0).unwrap_or(8);
        std::str::from_utf8(&self.gram[..len]).unwrap_or_default()
    }
    fn kind(&self) -> i64 {
        (self.rest >> 63) as i64
    }
    fn first(&self) -> bool {
        (self.rest >> 62) & 1 == 1
    }
    fn ref_id(&self) -> i64 {
        (self.rest & (PACKED_ID_LIMIT as u64 - 1)) as i64
    }
}

/// Add the grams of `name` for `ref_id` (`kind` 0 customer, 1 contact); with `starts` false
/// none counts as starting the name (tags). Rows whose id cannot be packed (never made by
/// SQLite's own rowids, which count up from 1) are written at once instead.
fn push_grams(
    conn: &Connection,
    out: &mut Vec<GramRow>,
    name: &str,
    kind: u8,
    starts: bool,
    ref_id: i64,
) -> Result<()> {
    let mut odd = Vec::new();
    each_gram(name, |g, first| {
        let first = first && starts;
        if !(0..PACKED_ID_LIMIT).contains(&ref_id) {
            odd.push((g.iter().collect::<String>(), first));
            return;
        }
        let mut gram = [0u8; 8];
        let mut at = 0;
        for c in g {
            at += c.encode_utf8(&mut gram[at..]).len();
        }
        out.push(GramRow {
            gram,
            rest: (u64::from(kind) << 63) | (u64::from(first) << 62) | ref_id as u64,
        });
    });
    for (g, first) in odd {
        conn.prepare_cached(&gram_insert_sql(1))?
            .execute(params![g, kind, first, ref_id])?;
    }
    Ok(())
}

/// Grams written per `INSERT` statement in bulk builds: one statement per row spent most of
/// its time on the statement rather than on the b-tree.
const GRAMS_PER_INSERT: usize = 100;

fn gram_insert_sql(rows: usize) -> String {
    format!(
        "INSERT OR IGNORE INTO search_grams (gram, kind, first, ref_id) VALUES {}",
        vec!["(?, ?, ?, ?)"; rows].join(", ")
    )
}

/// Insert sorted, distinct grams, [`GRAMS_PER_INSERT`] rows per statement.
fn insert_grams(conn: &Connection, grams: &[GramRow]) -> Result<()> {
    let mut many = conn.prepare_cached(&gram_insert_sql(GRAMS_PER_INSERT))?;
    let mut batches = grams.chunks_exact(GRAMS_PER_INSERT);
    for batch in &mut batches {
        for (i, g) in batch.iter().enumerate() {
            many.raw_bind_parameter(4 * i + 1, g.text())?;
            many.raw_bind_parameter(4 * i + 2, g.kind())?;
            many.raw_bind_parameter(4 * i + 3, g.first())?;
            many.raw_bind_parameter(4 * i + 4, g.ref_id())?;
        }
        many.raw_execute()?;
    }
    let mut one = conn.prepare_cached(&gram_insert_sql(1))?;
    for g in batches.remainder() {
        one.execute(params![g.text(), g.kind(), g.first(), g.ref_id()])?;
    }
    Ok(())
}

fn push_person(doc: &mut String, name: &str) {
    for part in [
        name.to_lowercase(),
        pinyin_full(name),
        pinyin_initials(name),
    ] {
        doc.push_str(&part);
        doc.push('\n');
    }
}

fn push_phones(doc: &mut String, mobile: &str, landline: &str, email: &str) {
    for part in [
        mobile,
        landline,
        &landline.replace('-', ""),
        &email.to_lowercase(),
    ] {
        if !part.is_empty() {
            doc.push_str(part);
            doc.push('\n');
        }
    }
}

struct Snapshot {
    name: String,
    number: String,
    tags: Vec<String>,
    contacts: Vec<(i64, String, String, String, String)>,
}

fn snapshot(conn: &Connection, customer_id: i64) -> Result<Option<Snapshot>> {
    let row: Option<(String, String)> = conn
        .prepare_cached("SELECT name, number FROM customers WHERE id = ?1")?
        .query_row([customer_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .ok();
    let Some((name, number)) = row else {
        return Ok(None);
    };
    let tags = conn
        .prepare_cached(
            "SELECT t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.customer_id = ?1",
        )?
        .query_map([customer_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let contacts = conn
        .prepare_cached(
            "SELECT id, name, mobile, landline, email FROM contacts WHERE customer_id = ?1",
        )?
        .query_map([customer_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Snapshot {
        name,
        number,
        tags,
        contacts,
    }))
}

/// Add a customer and its contacts to the search index.
pub fn index(conn: &Connection, customer_id: i64) -> Result<()> {
    let Some(s) = snapshot(conn, customer_id)? else {
        return Ok(());
    };
    let mut gram = conn.prepare_cached(
        "INSERT OR IGNORE INTO search_grams (gram, kind, first, ref_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut doc = String::new();
    push_person(&mut doc, &s.name);
    doc.push_str(&s.number.to_lowercase());
    doc.push('\n');
    for (g, first) in name_grams(&s.name) {
        gram.execute(params![g, 0, first, customer_id])?;
    }
    for t in &s.tags {
        doc.push_str(&t.to_lowercase());
        doc.push('\n');
        for (g, _) in name_grams(t) {
            gram.execute(params![g, 0, false, customer_id])?;
        }
    }
    let mut contact_insert =
        conn.prepare_cached("INSERT INTO contact_fts (rowid, doc) VALUES (?1, ?2)")?;
    for (id, name, mobile, landline, email) in &s.contacts {
        let mut cdoc = String::new();
        push_person(&mut cdoc, name);
        push_phones(&mut cdoc, mobile, landline, email);
        doc.push_str(&cdoc);
        contact_insert.execute(params![id, cdoc])?;
        for (g, first) in name_grams(name) {
            gram.execute(params![g, 1, first, id])?;
        }
    }
    conn.prepare_cached("INSERT INTO customer_fts (rowid, doc) VALUES (?1, ?2)")?
        .execute(params![customer_id, doc])?;
    Ok(())
}

/// Remove a customer and its contacts (as currently stored) from the search index.
pub fn unindex(conn: &Connection, customer_id: i64) -> Result<()> {
    let Some(s) = snapshot(conn, customer_id)? else {
        return Ok(());
    };
    let mut gram = conn.prepare_cached(
        "DELETE FROM search_grams WHERE gram = ?1 AND kind = ?2 AND first IN (0, 1) AND ref_id = ?3",
    )?;
    let mut grams: Vec<String> = name_grams(&s.name).into_iter().map(|g| g.0).collect();
    for t in &s.tags {
        grams.extend(name_grams(t).into_iter().map(|g| g.0));
    }
    grams.sort();
    grams.dedup();
    for g in grams {
        gram.execute(params![g, 0, customer_id])?;
    }
    let mut contact_delete = conn.prepare_cached("DELETE FROM contact_fts WHERE rowid = ?1")?;
    for (id, name, ..) in &s.contacts {
        contact_delete.execute([id])?;
        for (g, _) in name_grams(name) {
            gram.execute(params![g, 1, id])?;
        }
    }
    conn.prepare_cached("DELETE FROM customer_fts WHERE rowid = ?1")?
        .execute([customer_id])?;
    Ok(())
}

/// Index, in bulk, every customer whose id is at least `first_id` (with its contacts and
/// tags), assuming none of them is indexed yet. Much faster than [`index`] per row for imports
/// and generated data: one pass over each table in id order, documents written per chunk of
/// customers, and the grams of all chunks sorted together and written in key order, many rows
/// per statement (sorting per chunk made every chunk insert all over the b-tree again).
/// Returns how many customers were indexed.
pub fn index_from(conn: &Connection, first_id: i64) -> Result<usize> {
    const CHUNK: i64 = 20_000;
    let (min, max, count): (Option<i64>, Option<i64>, i64) = conn.query_row(
        "SELECT min(id), max(id), count(*) FROM customers WHERE id >= ?1",
        [first_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let (Some(min), Some(max)) = (min, max) else {
        return Ok(0);
    };
    let fts = BigFtsBuffers::take(conn)?;
    let mut grams = Vec::new();
    let mut done = 0;
    let mut next = Some(min);
    while let Some(lo) = next {
        let hi = lo.saturating_add(CHUNK - 1);
        done += index_chunk(conn, lo, hi, &mut grams)?;
        // After the first chunk the grams per customer are known: reserve for the rest at
        // once rather than let the vector keep doubling (each time briefly holding both).
        if lo == min && done > 0 {
            let rest = usize::try_from(count).unwrap_or(0).saturating_sub(done);
            grams.reserve(grams.len() * rest / done * 11 / 10);
        }
        // Ids need not be dense: go on at the next id that exists.
        next = if hi >= max {
            None
        } else {
            conn.prepare_cached("SELECT min(id) FROM customers WHERE id > ?1")?
                .query_row([hi], |r| r.get(0))?
        };
    }
    grams.sort_unstable();
    grams.dedup();
    insert_grams(conn, &grams)?;
    fts.give_back(conn)?;
    Ok(done)
}

/// FTS5 keeps new entries in memory and writes a segment whenever they pass its `hashsize`
/// option (1 MB by default), merging segments as they pile up: a 100k import wrote dozens. A
/// bulk build raises it to 64 MB per table and sets it back afterwards, in the same
/// transaction (where it was never set, to FTS5's default, which behaves the same).
struct BigFtsBuffers {
    previous: Vec<(&'static str, Value)>,
}

impl BigFtsBuffers {
    const TABLES: [&'static str; 2] = ["customer_fts", "contact_fts"];
    const BULK_HASHSIZE: i64 = 64 * 1024 * 1024;
    /// FTS5's built-in `hashsize`.
    const DEFAULT_HASHSIZE: i64 = 1024 * 1024;

    fn take(conn: &Connection) -> Result<Self> {
        let mut previous = Vec::new();
        for t in Self::TABLES {
            let v: Option<Value> = conn
                .prepare_cached(&format!("SELECT v FROM {t}_config WHERE k = 'hashsize'"))?
                .query_row([], |r| r.get(0))
                .optional()?;
            previous.push((t, v.unwrap_or(Value::Integer(Self::DEFAULT_HASHSIZE))));
            Self::set(conn, t, &Value::Integer(Self::BULK_HASHSIZE))?;
        }
        Ok(Self { previous })
    }

    fn set(conn: &Connection, table: &str, value: &Value) -> Result<()> {
        conn.prepare_cached(&format!(
            "INSERT INTO {table} ({table}, rank) VALUES ('hashsize', ?1)"
        ))?
        .execute([value])?;
        Ok(())
    }

    fn give_back(self, conn: &Connection) -> Result<()> {
        for (t, v) in &self.previous {
            Self::set(conn, t, v)?;
        }
        Ok(())
    }
}

/// Empty the whole search index and build it again from the tables.
pub fn rebuild(conn: &Connection) -> Result<usize> {
    conn.execute("DELETE FROM customer_fts", [])?;
    conn.execute("DELETE FROM contact_fts", [])?;
    conn.execute("DELETE FROM search_grams", [])?;
    index_from(conn, 0)
}

/// Index the documents of customers with `lo <= id <= hi`; add their grams to `grams`.
fn index_chunk(conn: &Connection, lo: i64, hi: i64, grams: &mut Vec<GramRow>) -> Result<usize> {
    use std::collections::BTreeMap;
    let mut docs: BTreeMap<i64, String> = BTreeMap::new();
    {
        let mut stmt = conn
            .prepare_cached("SELECT id, name, number FROM customers WHERE id BETWEEN ?1 AND ?2")?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let (id, name, number): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let mut doc = String::new();
            push_person(&mut doc, &name);
            doc.push_str(&number.to_lowercase());
            doc.push('\n');
            push_grams(conn, grams, &name, 0, true, id)?;
            docs.insert(id, doc);
        }
    }
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.customer_id BETWEEN ?1 AND ?2",
        )?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let (id, tag): (i64, String) = (r.get(0)?, r.get(1)?);
            if let Some(doc) = docs.get_mut(&id) {
                doc.push_str(&tag.to_lowercase());
                doc.push('\n');
            }
            push_grams(conn, grams, &tag, 0, false, id)?;
        }
    }
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, customer_id, name, mobile, landline, email FROM contacts
             WHERE customer_id BETWEEN ?1 AND ?2 ORDER BY id",
        )?;
        let mut insert =
            conn.prepare_cached("INSERT INTO contact_fts (rowid, doc) VALUES (?1, ?2)")?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let (id, customer_id, name): (i64, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let (mobile, landline, email): (String, String, String) =
                (r.get(3)?, r.get(4)?, r.get(5)?);
            let mut cdoc = String::new();
            push_person(&mut cdoc, &name);
            push_phones(&mut cdoc, &mobile, &landline, &email);
            insert.execute(params![id, cdoc])?;
            if let Some(doc) = docs.get_mut(&customer_id) {
                doc.push_str(&cdoc);
            }
            push_grams(conn, grams, &name, 1, true, id)?;
        }
    }
    let mut insert =
        conn.prepare_cached("INSERT INTO customer_fts (rowid, doc) VALUES (?1, ?2)")?;
    for (id, doc) in &docs {
        insert.execute(params![id, doc])?;
    }
    Ok(docs.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_forms() {
        assert_eq!(pinyin_full("中山集团"), "zhongshanjituan");
        assert_eq!(pinyin_initials("中山集团"), "zsjt");
        assert_eq!(pinyin_initials("ABC 科技"), "abckj");
        let g = name_grams("华为技术");
        assert!(g.contains(&("华为".into(), true)));
        assert!(g.contains(&("为技".into(), false)));
        assert!(g.contains(&("术".into(), false)));
        assert!(g.contains(&("hw".into(), true)));
    }

    #[test]
    fn bulk_indexing_matches_per_row_indexing() {
        let conn = crate::db::open_in_memory().unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, number, name, created_at, updated_at) VALUES
                 (1, 'KH-2026-00001', '中山华为技术', 0, 0), (2, 'KH-2026-00002', '北京精密', 0, 0);
             INSERT INTO contacts (customer_id, name, mobile, email, is_primary) VALUES
                 (1, '张伟', '13812345678', 'ZW@x.com', 1), (2, '王芳', '13900001111', '', 1);
             INSERT INTO tags (id, name) VALUES (1, 'VIP');
             INSERT INTO customer_tags VALUES (2, 1);",
        )
        .unwrap();
        let dump = |conn: &Connection| -> Vec<String> {
            let mut out = Vec::new();
            for sql in [
                "SELECT rowid || ':' || doc FROM customer_fts ORDER BY rowid",
                "SELECT rowid || ':' || doc FROM contact_fts ORDER BY rowid",
                "SELECT gram || kind || first || ref_id FROM search_grams ORDER BY 1",
            ] {
                let mut stmt = conn.prepare(sql).unwrap();
                out.extend(
                    stmt.query_map([], |r| r.get::<_, String>(0))
                        .unwrap()
                        .map(|r| r.unwrap()),
                );
            }
            out
        };
        index(&conn, 1).unwrap();
        index(&conn, 2).unwrap();
        let per_row = dump(&conn);
        assert!(
            per_row
                .iter()
                .any(|l| l.contains("zsjt") || l.contains("zshwjs"))
        );
        assert_eq!(rebuild(&conn).unwrap(), 2);
        assert_eq!(dump(&conn), per_row);
        conn.execute_batch(
            "DELETE FROM customer_fts; DELETE FROM contact_fts; DELETE FROM search_grams;",
        )
        .unwrap();
        index(&conn, 1).unwrap();
        assert_eq!(index_from(&conn, 2).unwrap(), 1);
        assert_eq!(dump(&conn), per_row);
    }

    #[test]
    fn bulk_builds_keep_huge_ids_and_the_fts_settings() {
        let conn = crate::db::open_in_memory().unwrap();
        let big = (1_i64 << 62) + 7;
        conn.execute_batch(&format!(
            "INSERT INTO customers (id, number, name, created_at, updated_at) VALUES
                 (3, 'KH-2026-00003', '华为技术', 0, 0), ({big}, 'KH-2026-00004', '华为精密', 0, 0);
             INSERT INTO contacts (id, customer_id, name, mobile, email, is_primary) VALUES
                 ({big}, {big}, '张伟', '13812345678', '', 1);"
        ))
        .unwrap();
        let grams = |conn: &Connection| -> Vec<(String, i64, bool, i64)> {
            let mut stmt = conn
                .prepare("SELECT gram, kind, first, ref_id FROM search_grams ORDER BY 1, 2, 3, 4")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        index(&conn, 3).unwrap();
        index(&conn, big).unwrap();
        let per_row = grams(&conn);
        assert!(per_row.contains(&("华".into(), 0, true, big)));
        assert!(per_row.contains(&("张伟".into(), 1, true, big)));
        // One table with a setting of its own, one without.
        conn.execute(
            "INSERT INTO contact_fts (contact_fts, rank) VALUES ('hashsize', 2000000)",
            [],
        )
        .unwrap();
        assert_eq!(rebuild(&conn).unwrap(), 2);
        assert_eq!(grams(&conn), per_row);
        let hashsize = |table: &str| -> i64 {
            conn.query_row(
                &format!("SELECT v FROM {table}_config WHERE k = 'hashsize'"),
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(hashsize("contact_fts"), 2_000_000);
        assert_eq!(hashsize("customer_fts"), 1024 * 1024, "FTS5's default");
    }
}
