//! Migration 0018: the CHECK constraints of the tables a large import writes row by row
//! (`customers`, `customer_history`) test a column against its allowed values one by one
//! (`stage = 'potential' OR stage = 'signed' …`) instead of with a value list (`stage IN
//! (…)`). SQLite builds a temporary b-tree for a list of more than two values each time a
//! statement runs, and that was a tenth of the instructions of a 100k-row import (measured
//! with callgrind, docs/benchmarks.md, session 13); the comparisons cost next to nothing.
//!
//! SQLite cannot alter a CHECK constraint, and remaking `customers` would fire its children's
//! `ON DELETE CASCADE`. Its documentation gives a procedure for changes that leave the stored
//! rows as they are (`PRAGMA writable_schema`, then a new schema version): the two checks
//! allow exactly what they allowed, so every stored row still passes them.

use rusqlite::Transaction;

/// The tables whose checks are rewritten.
const TABLES: [&str; 2] = ["customers", "customer_history"];

/// The migration hook: rewrite the value lists in the two tables' CHECK constraints and make
/// every connection read the schema again. A table whose stored SQL holds no list in the
/// expected shape is left as it is (it only stays slower).
pub(super) fn rewrite(tx: &Transaction) -> rusqlite_migration::HookResult {
    let mut changed = false;
    for table in TABLES {
        let sql: String = tx.query_row(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        let new = without_value_lists(&sql);
        if new != sql {
            if !changed {
                tx.pragma_update(None, "writable_schema", true)?;
                changed = true;
            }
            tx.execute(
                "UPDATE sqlite_schema SET sql = ?2 WHERE type = 'table' AND name = ?1",
                [table, new.as_str()],
            )?;
        }
    }
    if changed {
        let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
        tx.pragma_update(None, "schema_version", version + 1)?;
        tx.pragma_update(None, "writable_schema", false)?;
    }
    Ok(())
}

/// `sql` with every `CHECK (column IN ('a', 'b', …))` written as `CHECK (column = 'a' OR
/// column = 'b' OR …)`; anything else, checks of other shapes included, is kept as it is.
pub(super) fn without_value_lists(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 256);
    let mut rest = sql;
    while let Some(at) = rest.find("CHECK (") {
        let body = &rest[at + "CHECK (".len()..];
        out.push_str(&rest[..at]);
        match value_list(body) {
            Some((column, values, len)) => {
                let tests: Vec<String> = values.iter().map(|v| format!("{column} = {v}")).collect();
                out.push_str("CHECK (");
                out.push_str(&tests.join(" OR "));
                out.push(')');
                rest = &body[len..];
            }
            None => {
                out.push_str("CHECK (");
                rest = body;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Read `column IN ('a', …))` at the start of `s`: the column, the quoted values as written,
/// and how many bytes that took (through the check's closing parenthesis). `None` for any
/// other shape.
fn value_list(s: &str) -> Option<(&str, Vec<&str>, usize)> {
    let column_len = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let column = &s[..column_len];
    let after = s[column_len..].trim_start();
    let after = after.strip_prefix("IN")?.trim_start().strip_prefix('(')?;
    let mut values = Vec::new();
    let mut rest = after.trim_start();
    loop {
        let inner = rest.strip_prefix('\'')?;
        // Plain literals only: no quote inside them.
        let end = inner.find('\'')?;
        values.push(&rest[..end + 2]);
        rest = inner[end + 1..].trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else {
            break;
        }
    }
    let rest = rest.strip_prefix(')')?.trim_start().strip_prefix(')')?;
    if column.is_empty() || values.is_empty() {
        return None;
    }
    Some((column, values, s.len() - rest.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lists_become_comparisons_and_everything_else_stays() {
        let sql = "CREATE TABLE t (\n  a TEXT CHECK (a IN ('x','y')),\n  b TEXT NOT NULL CHECK (b IN\n      ('p', 'q',\n       'r')),\n  c INTEGER CHECK (c > 0),\n  d TEXT CHECK (d IN (SELECT 1)),\n  e TEXT CHECK (e IN ('it''s'))\n)";
        assert_eq!(
            without_value_lists(sql),
            "CREATE TABLE t (\n  a TEXT CHECK (a = 'x' OR a = 'y'),\n  b TEXT NOT NULL CHECK (b = 'p' OR b = 'q' OR b = 'r'),\n  c INTEGER CHECK (c > 0),\n  d TEXT CHECK (d IN (SELECT 1)),\n  e TEXT CHECK (e IN ('it''s'))\n)"
        );
        let plain = "CREATE TABLE u (id INTEGER PRIMARY KEY)";
        assert_eq!(without_value_lists(plain), plain);
    }
}
