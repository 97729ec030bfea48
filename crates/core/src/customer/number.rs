//! Human-readable customer numbers `KH-YYYY-NNNNN` from the `sequences` table. Call inside the
//! transaction that inserts the customer, so a rolled-back insert also rolls back the counter,
//! and a committed number is never handed out again (erasure does not lower the counter).

use crate::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// The `sequences` row name for customer numbers.
pub const SEQUENCE: &str = "customer";

/// Take the next customer number of `year`.
pub fn next_customer_number(conn: &Connection, year: i32) -> Result<String> {
    let n: i64 = conn.query_row(
        "INSERT INTO sequences (name, year, last) VALUES (?1, ?2, 1)
         ON CONFLICT (name, year) DO UPDATE SET last = last + 1
         RETURNING last",
        params![SEQUENCE, year],
        |r| r.get(0),
    )?;
    Ok(format_number(year, n))
}

/// Customer numbers for many inserts in one transaction (imports): the counter is read once,
/// numbers are handed out in memory, and [`NumberBlock::finish`] stores the last one in a
/// single statement. A per-row `UPDATE … RETURNING` cost a 100k-row import almost 2 s. Being
/// in the importing transaction, a rollback returns every number and a commit means none is
/// handed out again; `finish` must run before that commit.
#[derive(Debug)]
pub struct NumberBlock {
    year: i32,
    last: i64,
    taken: usize,
}

impl NumberBlock {
    /// Read the counter of `year` (0 when the year has no number yet).
    pub fn begin(conn: &Connection, year: i32) -> Result<Self> {
        let last: Option<i64> = conn
            .prepare_cached("SELECT last FROM sequences WHERE name = ?1 AND year = ?2")?
            .query_row(params![SEQUENCE, year], |r| r.get(0))
            .optional()?;
        Ok(Self {
            year,
            last: last.unwrap_or(0),
            taken: 0,
        })
    }

    /// The next number of the block.
    pub fn next_number(&mut self) -> String {
        self.last += 1;
        self.taken += 1;
        format_number(self.year, self.last)
    }

    /// Store the last number handed out (nothing to do when none was).
    pub fn finish(self, conn: &Connection) -> Result<()> {
        if self.taken > 0 {
            conn.prepare_cached(
                "INSERT INTO sequences (name, year, last) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name, year) DO UPDATE SET last = excluded.last",
            )?
            .execute(params![SEQUENCE, self.year, self.last])?;
        }
        Ok(())
    }
}

/// `KH-2026-00042`; numbers past 99999 simply grow wider.
pub fn format_number(year: i32, n: i64) -> String {
    format!("KH-{year:04}-{n:05}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_count_per_year_and_roll_back_with_the_transaction() {
        let mut conn = crate::db::open_in_memory().unwrap();
        assert_eq!(next_customer_number(&conn, 2026).unwrap(), "KH-2026-00001");
        assert_eq!(next_customer_number(&conn, 2026).unwrap(), "KH-2026-00002");
        assert_eq!(next_customer_number(&conn, 2027).unwrap(), "KH-2027-00001");
        {
            let tx = conn.transaction().unwrap();
            assert_eq!(next_customer_number(&tx, 2026).unwrap(), "KH-2026-00003");
            // dropped: rolled back
        }
        assert_eq!(next_customer_number(&conn, 2026).unwrap(), "KH-2026-00003");
        assert_eq!(format_number(2026, 123_456), "KH-2026-123456");
    }

    #[test]
    fn a_block_continues_the_counter_and_rolls_back_with_the_transaction() {
        let mut conn = crate::db::open_in_memory().unwrap();
        assert_eq!(next_customer_number(&conn, 2026).unwrap(), "KH-2026-00001");
        {
            let tx = conn.transaction().unwrap();
            let mut b = NumberBlock::begin(&tx, 2026).unwrap();
            assert_eq!(b.next_number(), "KH-2026-00002");
            assert_eq!(b.next_number(), "KH-2026-00003");
            b.finish(&tx).unwrap();
            // dropped: rolled back
        }
        let tx = conn.transaction().unwrap();
        let mut b = NumberBlock::begin(&tx, 2026).unwrap();
        assert_eq!(b.next_number(), "KH-2026-00002");
        b.finish(&tx).unwrap();
        // A year without numbers starts at 1; an unused block writes nothing.
        let mut b = NumberBlock::begin(&tx, 2027).unwrap();
        assert_eq!(b.next_number(), "KH-2027-00001");
        b.finish(&tx).unwrap();
        NumberBlock::begin(&tx, 2028).unwrap().finish(&tx).unwrap();
        tx.commit().unwrap();
        assert_eq!(next_customer_number(&conn, 2026).unwrap(), "KH-2026-00003");
        assert_eq!(next_customer_number(&conn, 2027).unwrap(), "KH-2027-00002");
        let years: i64 = conn
            .query_row(
                "SELECT count(*) FROM sequences WHERE year = 2028",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(years, 0);
    }
}
