//! Human-readable customer numbers `KH-YYYY-NNNNN` from the `sequences` table. Call inside the
//! transaction that inserts the customer, so a rolled-back insert also rolls back the counter,
//! and a committed number is never handed out again (erasure does not lower the counter).

use crate::Result;
use rusqlite::{Connection, params};

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
}
