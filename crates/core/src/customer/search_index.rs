//! Keeping the search index in step with customers and contacts: one trigram-indexed document
//! per customer and per contact (names, number, phones, emails, tags, pinyin in full and by
//! initials) and the 1–2 character grams of names (and initials prefixes) for short queries.
//! Store functions call [`unindex`] before changing a customer and [`index`] after.

use crate::Result;
use crate::validate::to_half_width;
use pinyin::ToPinyin;
use rusqlite::{Connection, params};

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
    let chars: Vec<char> = compact(name).chars().collect();
    let mut out = Vec::with_capacity(chars.len() * 2 + 2);
    for i in 0..chars.len() {
        out.push((chars[i].to_string(), i == 0));
        if i + 1 < chars.len() {
            out.push((chars[i..i + 2].iter().collect(), i == 0));
        }
    }
    let ini: Vec<char> = pinyin_initials(name).chars().collect();
    for n in 1..=2.min(ini.len()) {
        out.push((ini[..n].iter().collect(), true));
    }
    out.sort();
    out.dedup();
    out
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
/// and generated data: one pass over each table in id order, grams inserted sorted per chunk.
/// Returns how many customers were indexed.
pub fn index_from(conn: &Connection, first_id: i64) -> Result<usize> {
    const CHUNK: i64 = 20_000;
    let max: Option<i64> = conn.query_row(
        "SELECT max(id) FROM customers WHERE id >= ?1",
        [first_id],
        |r| r.get(0),
    )?;
    let Some(max) = max else { return Ok(0) };
    let mut done = 0;
    let mut lo = first_id;
    while lo <= max {
        done += index_chunk(conn, lo, lo + CHUNK)?;
        lo += CHUNK;
    }
    Ok(done)
}

/// Empty the whole search index and build it again from the tables.
pub fn rebuild(conn: &Connection) -> Result<usize> {
    conn.execute("DELETE FROM customer_fts", [])?;
    conn.execute("DELETE FROM contact_fts", [])?;
    conn.execute("DELETE FROM search_grams", [])?;
    index_from(conn, 0)
}

/// Index customers with `lo <= id < hi`.
fn index_chunk(conn: &Connection, lo: i64, hi: i64) -> Result<usize> {
    use std::collections::BTreeMap;
    let mut docs: BTreeMap<i64, String> = BTreeMap::new();
    let mut grams: Vec<(String, i64, bool, i64)> = Vec::new();
    {
        let mut stmt = conn
            .prepare_cached("SELECT id, name, number FROM customers WHERE id >= ?1 AND id < ?2")?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let (id, name, number): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let mut doc = String::new();
            push_person(&mut doc, &name);
            doc.push_str(&number.to_lowercase());
            doc.push('\n');
            grams.extend(name_grams(&name).into_iter().map(|(g, f)| (g, 0, f, id)));
            docs.insert(id, doc);
        }
    }
    {
        let mut stmt = conn.prepare_cached(
            "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
             WHERE ct.customer_id >= ?1 AND ct.customer_id < ?2",
        )?;
        let mut rows = stmt.query([lo, hi])?;
        while let Some(r) = rows.next()? {
            let (id, tag): (i64, String) = (r.get(0)?, r.get(1)?);
            if let Some(doc) = docs.get_mut(&id) {
                doc.push_str(&tag.to_lowercase());
                doc.push('\n');
            }
            grams.extend(name_grams(&tag).into_iter().map(|(g, _)| (g, 0, false, id)));
        }
    }
    {
        let mut stmt = conn.prepare_cached(
            "SELECT id, customer_id, name, mobile, landline, email FROM contacts
             WHERE customer_id >= ?1 AND customer_id < ?2 ORDER BY id",
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
            grams.extend(name_grams(&name).into_iter().map(|(g, f)| (g, 1, f, id)));
        }
    }
    let mut insert =
        conn.prepare_cached("INSERT INTO customer_fts (rowid, doc) VALUES (?1, ?2)")?;
    for (id, doc) in &docs {
        insert.execute(params![id, doc])?;
    }
    grams.sort_unstable();
    grams.dedup();
    let mut gram = conn.prepare_cached(
        "INSERT OR IGNORE INTO search_grams (gram, kind, first, ref_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (g, kind, first, id) in &grams {
        gram.execute(params![g, kind, first, id])?;
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
}
