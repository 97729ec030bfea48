//! Keeping the search index in step with customers and contacts: one trigram-indexed document
//! per customer (name, number, tags, the name's pinyin in full and by initials) and per contact
//! (name, pinyin, phones, email), and one gram document per customer and per contact: the 1–2
//! character grams of names and tags (and initials prefixes) for short queries. A customer's
//! document holds nothing of its contacts: searches that find customers by a contact look in
//! the contact documents too (customer/search.rs), so each contact is tokenised once.
//! Store functions call [`unindex`] before changing a customer and [`index`] after.

use crate::Result;
use crate::validate::to_half_width;
use pinyin::ToPinyin;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

/// Lower-case, half-width, letters and digits only: the form names are matched in.
pub fn compact(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(to_half_width) {
        push_compact(&mut out, c);
    }
    out
}

/// Append what [`compact`] keeps of one half-width character. ASCII and the common CJK
/// ideographs, nearly every character of a name, take a short path: Unicode's tables for
/// letters and lower case cost more than the rest of the search index's text work in a large
/// import (the ideographs are all letters, and their own lower case).
fn push_compact(out: &mut String, c: char) {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    } else if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        out.push(c);
    } else {
        out.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
    }
}

/// Pinyin of every Chinese character, joined (`中山集团` → `zhongshanjituan`); other letters
/// and digits kept, lower-cased.
pub fn pinyin_full(s: &str) -> String {
    NameForms::of(s).full
}

/// The first letter of each Chinese character's pinyin (`中山集团` → `zsjt`); other letters and
/// digits kept, lower-cased.
pub fn pinyin_initials(s: &str) -> String {
    NameForms::of(s).initials
}

/// The forms of a name the index holds, each worked out once: building them per document
/// (compact form and pinyin over again for the text and for the grams) was a tenth of a large
/// import.
pub(super) struct NameForms {
    /// [`compact`]'s form, as characters (the grams are slices of it).
    compact: Vec<char>,
    /// [`pinyin_full`]'s form.
    pub(super) full: String,
    /// [`pinyin_initials`]'s form.
    pub(super) initials: String,
}

impl NameForms {
    /// Every form of `name`.
    pub(super) fn of(name: &str) -> Self {
        let compact: Vec<char> = compact(name).chars().collect();
        let mut full = String::with_capacity(compact.len() * 4);
        let mut initials = String::with_capacity(compact.len());
        for &c in &compact {
            match c.to_pinyin() {
                Some(p) => {
                    full.push_str(p.plain());
                    initials.push_str(p.first_letter());
                }
                None => {
                    full.push(c);
                    initials.push(c);
                }
            }
        }
        Self {
            compact,
            full,
            initials,
        }
    }

    /// Call `f` with every gram of the name (unsorted, maybe repeated) and whether it starts
    /// the name: its 1- and 2-character substrings (compact form), and the 1- and 2-letter
    /// prefixes of its initials (people type initials from the start), which count as
    /// starting it.
    fn each_gram(&self, mut f: impl FnMut(&[char], bool)) {
        let chars = &self.compact;
        for i in 0..chars.len() {
            f(&chars[i..=i], i == 0);
            if i + 1 < chars.len() {
                f(&chars[i..i + 2], i == 0);
            }
        }
        let (mut prefix, mut len) = (['\0'; 2], 0);
        for c in self.initials.chars().take(2) {
            prefix[len] = c;
            len += 1;
        }
        for n in 1..=len {
            f(&prefix[..n], true);
        }
    }
}

/// The token a gram is stored as in the gram indexes (`customer_grams`, `contact_grams`):
/// `1` + gram where it starts the name, `0` + gram elsewhere, so that short queries can rank
/// the names they start first with two plain token look-ups.
pub fn gram_token(gram: &str, starts_name: bool) -> String {
    format!("{}{gram}", u8::from(starts_name))
}

/// Append the gram tokens of a name to a gram document, separated by spaces; with `starts`
/// false none counts as starting the name (tags).
fn push_grams(doc: &mut String, name: &NameForms, starts: bool) {
    name.each_gram(|g, first| {
        if !doc.is_empty() {
            doc.push(' ');
        }
        doc.push(if first && starts { '1' } else { '0' });
        doc.extend(g);
    });
}

/// Append a person's or company's name to a trigram document: as written (lower case), its
/// pinyin in full and its initials, a line each.
fn push_person(doc: &mut String, written: &str, name: &NameForms) {
    doc.push_str(&written.to_lowercase());
    doc.push('\n');
    doc.push_str(&name.full);
    doc.push('\n');
    doc.push_str(&name.initials);
    doc.push('\n');
}

/// A customer's two documents, without its tags ([`push_tag`] adds each): the trigram
/// document (name, number) and the gram document (the name's grams).
fn customer_docs(name: &str, number: &str) -> (String, String) {
    let forms = NameForms::of(name);
    let mut doc = String::new();
    push_person(&mut doc, name, &forms);
    doc.push_str(&number.to_lowercase());
    doc.push('\n');
    let mut grams = String::new();
    push_grams(&mut grams, &forms, true);
    (doc, grams)
}

/// Add one of its tags to a customer's two documents.
fn push_tag(doc: &mut String, grams: &mut String, tag: &str) {
    doc.push_str(&tag.to_lowercase());
    doc.push('\n');
    push_grams(grams, &NameForms::of(tag), false);
}

/// A contact's trigram document (name, phones, email) and gram document (the name's grams).
fn contact_docs(name: &str, mobile: &str, landline: &str, email: &str) -> (String, String) {
    let forms = NameForms::of(name);
    let mut doc = String::new();
    push_person(&mut doc, name, &forms);
    push_phones(&mut doc, mobile, landline, email);
    let mut grams = String::new();
    push_grams(&mut grams, &forms, true);
    (doc, grams)
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
    let (mut doc, mut grams) = customer_docs(&s.name, &s.number);
    for t in &s.tags {
        push_tag(&mut doc, &mut grams, t);
    }
    let mut contact_insert =
        conn.prepare_cached("INSERT INTO contact_fts (rowid, doc) VALUES (?1, ?2)")?;
    let mut contact_grams =
        conn.prepare_cached("INSERT INTO contact_grams (rowid, grams) VALUES (?1, ?2)")?;
    for (id, name, mobile, landline, email) in &s.contacts {
        let (cdoc, cgrams) = contact_docs(name, mobile, landline, email);
        contact_insert.execute(params![id, cdoc])?;
        contact_grams.execute(params![id, cgrams])?;
    }
    conn.prepare_cached("INSERT INTO customer_fts (rowid, doc) VALUES (?1, ?2)")?
        .execute(params![customer_id, doc])?;
    conn.prepare_cached("INSERT INTO customer_grams (rowid, grams) VALUES (?1, ?2)")?
        .execute(params![customer_id, grams])?;
    Ok(())
}

/// Remove a customer and its contacts (as currently stored) from the search index.
pub fn unindex(conn: &Connection, customer_id: i64) -> Result<()> {
    let Some(s) = snapshot(conn, customer_id)? else {
        return Ok(());
    };
    let mut contact_delete = conn.prepare_cached("DELETE FROM contact_fts WHERE rowid = ?1")?;
    let mut contact_grams = conn.prepare_cached("DELETE FROM contact_grams WHERE rowid = ?1")?;
    for (id, ..) in &s.contacts {
        contact_delete.execute([id])?;
        contact_grams.execute([id])?;
    }
    conn.prepare_cached("DELETE FROM customer_fts WHERE rowid = ?1")?
        .execute([customer_id])?;
    conn.prepare_cached("DELETE FROM customer_grams WHERE rowid = ?1")?
        .execute([customer_id])?;
    Ok(())
}

/// Index, in bulk, every customer whose id is at least `first_id` (with its contacts and
/// tags), assuming none of them is indexed yet. Much faster than [`index`] per row for imports
/// and generated data: one pass over each table in id order, documents written per chunk of
/// customers in rowid order, with large FTS5 buffers ([`BigFtsBuffers`]). Returns how many
/// customers were indexed.
pub fn index_from(conn: &Connection, first_id: i64) -> Result<usize> {
    const CHUNK: i64 = 20_000;
    let (min, max): (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT min(id), max(id) FROM customers WHERE id >= ?1",
        [first_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(min), Some(max)) = (min, max) else {
        return Ok(0);
    };
    let fts = BigFtsBuffers::take(conn)?;
    let mut done = 0;
    let mut next = Some(min);
    while let Some(lo) = next {
        let hi = lo.saturating_add(CHUNK - 1);
        done += index_chunk(conn, lo, hi)?;
        // Ids need not be dense: go on at the next id that exists.
        next = if hi >= max {
            None
        } else {
            conn.prepare_cached("SELECT min(id) FROM customers WHERE id > ?1")?
                .query_row([hi], |r| r.get(0))?
        };
    }
    fts.give_back(conn)?;
    Ok(done)
}

/// FTS5 keeps new entries in memory and writes a segment whenever they pass its `hashsize`
/// option (1 MB by default), merging segments as they pile up: a 100k import wrote dozens. A
/// bulk build raises it to 64 MB per table (trigram and gram indexes alike) and sets it back afterwards, in the same
/// transaction (where it was never set, to FTS5's default, which behaves the same).
struct BigFtsBuffers {
    previous: Vec<(&'static str, Value)>,
}

impl BigFtsBuffers {
    const TABLES: [&'static str; 4] = [
        "customer_fts",
        "contact_fts",
        "customer_grams",
        "contact_grams",
    ];
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
    // Contentless tables are emptied at once by the command (a DELETE would leave a tombstone
    // per row).
    conn.execute(
        "INSERT INTO customer_grams (customer_grams) VALUES ('delete-all')",
        [],
    )?;
    conn.execute(
        "INSERT INTO contact_grams (contact_grams) VALUES ('delete-all')",
        [],
    )?;
    index_from(conn, 0)
}

/// Index the customers with `lo <= id <= hi` and their contacts; returns how many.
fn index_chunk(conn: &Connection, lo: i64, hi: i64) -> Result<usize> {
    use std::collections::BTreeMap;
    // Per customer: its trigram document and its gram document.
    let mut docs: BTreeMap<i64, (String, String)> = BTreeMap::new();
    {
        let mut stmt = conn
            .prepare_cached("SELECT id, name, number FROM customers WHERE id BETWEEN ?1 AND ?2")?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let (id, name, number): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            docs.insert(id, customer_docs(&name, &number));
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
            if let Some((doc, grams)) = docs.get_mut(&id) {
                push_tag(doc, grams, &tag);
            }
        }
    }
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, name, mobile, landline, email FROM contacts
             WHERE customer_id BETWEEN ?1 AND ?2 ORDER BY id",
        )?;
        let mut insert =
            conn.prepare_cached("INSERT INTO contact_fts (rowid, doc) VALUES (?1, ?2)")?;
        let mut insert_grams =
            conn.prepare_cached("INSERT INTO contact_grams (rowid, grams) VALUES (?1, ?2)")?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let (id, name): (i64, String) = (r.get(0)?, r.get(1)?);
            let (mobile, landline, email): (String, String, String) =
                (r.get(2)?, r.get(3)?, r.get(4)?);
            let (cdoc, cgrams) = contact_docs(&name, &mobile, &landline, &email);
            insert.execute(params![id, cdoc])?;
            insert_grams.execute(params![id, cgrams])?;
        }
    }
    let mut insert =
        conn.prepare_cached("INSERT INTO customer_fts (rowid, doc) VALUES (?1, ?2)")?;
    let mut insert_grams =
        conn.prepare_cached("INSERT INTO customer_grams (rowid, grams) VALUES (?1, ?2)")?;
    for (id, (doc, grams)) in &docs {
        insert.execute(params![id, doc])?;
        insert_grams.execute(params![id, grams])?;
    }
    Ok(docs.len())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The short paths of [`push_compact`] keep exactly what the general rule (lower case,
    /// then letters and digits) keeps, for every character there is.
    #[test]
    fn compact_keeps_what_the_general_rule_keeps_for_every_character() {
        for c in (0..=0x10FFFF_u32).filter_map(char::from_u32) {
            let mut fast = String::new();
            push_compact(&mut fast, c);
            let general: String = c.to_lowercase().filter(|l| l.is_alphanumeric()).collect();
            assert_eq!(fast, general, "U+{:04X}", c as u32);
        }
        assert_eq!(
            compact("Ｈｕａ Wei 华为-技术（深圳）"),
            "huawei华为技术深圳"
        );
    }

    /// Every (token, rowid) pair of a gram index, sorted: its whole content (the tables keep
    /// no copy of the documents), read through an `fts5vocab` table.
    pub(crate) fn gram_postings(conn: &Connection, table: &str) -> Vec<(String, i64)> {
        conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab
                 USING fts5vocab(main, {table}, instance);"
        ))
        .unwrap();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT term, doc FROM temp.{table}_vocab ORDER BY term, doc"
            ))
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn pinyin_forms_and_gram_tokens() {
        assert_eq!(pinyin_full("中山集团"), "zhongshanjituan");
        assert_eq!(pinyin_initials("中山集团"), "zsjt");
        assert_eq!(pinyin_initials("ABC 科技"), "abckj");
        let mut doc = String::new();
        push_grams(&mut doc, &NameForms::of("华为技术"), true);
        let tokens: Vec<&str> = doc.split(' ').collect();
        for t in ["1华", "1华为", "0为技", "0术", "1h", "1hw"] {
            assert!(tokens.contains(&t), "{t} in {doc}");
        }
        assert_eq!(gram_token("华为", true), "1华为");
        assert_eq!(gram_token("术", false), "0术");
        // A tag's grams never start a name.
        let mut doc = String::new();
        push_grams(&mut doc, &NameForms::of("VIP"), false);
        assert_eq!(doc, "0v 0vi 0i 0ip 0p 0v 0vi");
    }

    proptest::proptest! {
        /// The forms worked out in one pass are what their definitions give: pinyin (or the
        /// character itself) of each compact character, in full and by first letter; the
        /// grams every 1–2 character substring of the compact form plus the 1–2 letter
        /// prefixes of the initials, and a person's lines the name, the pinyin, the initials.
        #[test]
        fn name_forms_follow_their_definitions(name in "[中山集团华为技术有限公司Ａa-zA-Z0-9 ·行长乐_-]{0,12}") {
            let compact_form = compact(&name);
            let chars: Vec<char> = compact_form.chars().collect();
            let pinyin = |c: char, first: bool| match c.to_pinyin() {
                Some(p) if first => p.first_letter().to_string(),
                Some(p) => p.plain().to_string(),
                None => c.to_string(),
            };
            let full: String = chars.iter().map(|&c| pinyin(c, false)).collect();
            let initials: String = chars.iter().map(|&c| pinyin(c, true)).collect();
            let forms = NameForms::of(&name);
            proptest::prop_assert_eq!(forms.compact.iter().collect::<String>(), compact_form);
            proptest::prop_assert_eq!(&forms.full, &full);
            proptest::prop_assert_eq!(&forms.initials, &initials);

            let mut expected: Vec<String> = Vec::new();
            for len in 1..=2 {
                for (i, w) in chars.windows(len).enumerate() {
                    expected.push(gram_token(&w.iter().collect::<String>(), i == 0));
                }
            }
            let ini: Vec<char> = initials.chars().collect();
            for n in 1..=ini.len().min(2) {
                expected.push(gram_token(&ini[..n].iter().collect::<String>(), true));
            }
            let mut doc = String::new();
            push_grams(&mut doc, &forms, true);
            let mut got: Vec<String> = doc.split(' ').filter(|t| !t.is_empty()).map(String::from).collect();
            got.sort();
            expected.sort();
            proptest::prop_assert_eq!(got, expected);

            let mut person = String::new();
            push_person(&mut person, &name, &forms);
            proptest::prop_assert_eq!(person, format!("{}\n{full}\n{initials}\n", name.to_lowercase()));
        }
    }

    /// Everything in the four search tables, for comparing two ways of building them.
    fn dump(conn: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        for sql in [
            "SELECT rowid || ':' || doc FROM customer_fts ORDER BY rowid",
            "SELECT rowid || ':' || doc FROM contact_fts ORDER BY rowid",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            out.extend(
                stmt.query_map([], |r| r.get::<_, String>(0))
                    .unwrap()
                    .map(|r| r.unwrap()),
            );
        }
        for table in ["customer_grams", "contact_grams"] {
            out.extend(
                gram_postings(conn, table)
                    .into_iter()
                    .map(|(t, id)| format!("{table} {t} {id}")),
            );
        }
        out
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
        index(&conn, 1).unwrap();
        index(&conn, 2).unwrap();
        let per_row = dump(&conn);
        assert!(per_row.iter().any(|l| l.contains("zshwjs")));
        // Only the contact's own document holds its phone, not its customer's.
        assert_eq!(
            per_row.iter().filter(|l| l.contains("13812345678")).count(),
            1
        );
        for posting in [
            "customer_grams 1中山 1",
            "customer_grams 0华为 1",
            "customer_grams 1zs 1",
            "customer_grams 0vi 2",
            "contact_grams 1张伟 1",
            "contact_grams 0芳 2",
        ] {
            assert!(per_row.iter().any(|l| l == posting), "{posting}");
        }
        assert_eq!(rebuild(&conn).unwrap(), 2);
        assert_eq!(dump(&conn), per_row);
        rebuild(&conn).unwrap();
        unindex(&conn, 2).unwrap();
        assert!(
            dump(&conn)
                .iter()
                .all(|l| !l.ends_with(" 2") && !l.starts_with("2:"))
        );
        assert_eq!(index_from(&conn, 2).unwrap(), 1);
        assert_eq!(dump(&conn), per_row);
    }

    /// Customers spread over several chunks, with gaps between their ids, are indexed as one
    /// at a time would index them.
    #[test]
    fn bulk_indexing_over_many_chunks_matches_per_row_indexing() {
        let conn = crate::db::open_in_memory().unwrap();
        let ids = [1_i64, 25_000, 50_000, 50_001, 90_000, 130_000];
        for (i, id) in ids.iter().enumerate() {
            conn.execute(
                "INSERT INTO customers (id, number, name, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 0, 0)",
                rusqlite::params![id, format!("KH-2026-{i:05}"), format!("中山{i}号精密")],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO contacts (id, customer_id, name, mobile, email, is_primary)
                 VALUES (?1, ?1, ?2, ?3, '', 1)",
                rusqlite::params![id, format!("张{i}"), format!("1381234567{i}")],
            )
            .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO tags (id, name) VALUES (1, 'VIP');
             INSERT INTO customer_tags VALUES (50001, 1);",
        )
        .unwrap();
        for id in ids {
            index(&conn, id).unwrap();
        }
        let per_row = dump(&conn);
        assert!(per_row.contains(&"customer_grams 0vi 50001".to_string()));
        assert_eq!(rebuild(&conn).unwrap(), ids.len());
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
        index(&conn, 3).unwrap();
        index(&conn, big).unwrap();
        let per_row = dump(&conn);
        assert!(per_row.contains(&format!("customer_grams 1华 {big}")));
        assert!(per_row.contains(&format!("contact_grams 1张伟 {big}")));
        // One table with a setting of its own, the others without.
        conn.execute(
            "INSERT INTO contact_fts (contact_fts, rank) VALUES ('hashsize', 2000000)",
            [],
        )
        .unwrap();
        assert_eq!(rebuild(&conn).unwrap(), 2);
        assert_eq!(dump(&conn), per_row);
        let hashsize = |table: &str| -> i64 {
            conn.query_row(
                &format!("SELECT v FROM {table}_config WHERE k = 'hashsize'"),
                [],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(hashsize("contact_fts"), 2_000_000);
        for table in ["customer_fts", "customer_grams", "contact_grams"] {
            assert_eq!(hashsize(table), 1024 * 1024, "{table}: FTS5's default");
        }
    }
}
