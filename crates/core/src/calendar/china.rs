//! The official mainland-China public holiday calendar as static data, so a new team gets
//! correct 放假 / 调休 days without an import. Source: the State Council General Office notice
//! on the 2026 holiday arrangements (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04).
//!
//! Choice: every day of an announced "off" span is stored as a holiday, including the weekend
//! days inside it (they have no hours anyway, and the stored list then reads exactly like the
//! notice). Make-up working days (调休上班) are stored as workdays named `<festival>补班`.

use chrono::NaiveDate;

use super::DayKind;

/// The `source` value of rows seeded from [`days_2026`], so they can be told apart from the
/// team's own entries.
pub const SOURCE_2026: &str = "cn-2026";

/// One dated entry of an official holiday table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfficialDay {
    /// The date.
    pub day: NaiveDate,
    /// Holiday (放假) or make-up working day (调休上班).
    pub kind: DayKind,
    /// Chinese name shown in the calendar, e.g. `春节` or `春节补班`.
    pub name: &'static str,
}

/// An announced span: name, kind, first and last day as `(month, day)`, inclusive.
type Span = (&'static str, DayKind, (u32, u32), (u32, u32));

/// 2026 as announced; see the module doc.
const SPANS_2026: &[Span] = &[
    ("元旦", DayKind::Holiday, (1, 1), (1, 3)),
    ("元旦补班", DayKind::Workday, (1, 4), (1, 4)),
    ("春节补班", DayKind::Workday, (2, 14), (2, 14)),
    ("春节", DayKind::Holiday, (2, 15), (2, 23)),
    ("春节补班", DayKind::Workday, (2, 28), (2, 28)),
    ("清明节", DayKind::Holiday, (4, 4), (4, 6)),
    ("劳动节", DayKind::Holiday, (5, 1), (5, 5)),
    ("劳动节补班", DayKind::Workday, (5, 9), (5, 9)),
    ("端午节", DayKind::Holiday, (6, 19), (6, 21)),
    ("国庆节补班", DayKind::Workday, (9, 20), (9, 20)),
    ("中秋节", DayKind::Holiday, (9, 25), (9, 27)),
    ("国庆节", DayKind::Holiday, (10, 1), (10, 7)),
    ("国庆节补班", DayKind::Workday, (10, 10), (10, 10)),
];

/// Every holiday and make-up working day of 2026 in mainland China, in date order.
pub fn days_2026() -> Vec<OfficialDay> {
    expand(2026, SPANS_2026)
}

fn expand(year: i32, spans: &[Span]) -> Vec<OfficialDay> {
    spans
        .iter()
        .flat_map(|&(name, kind, (m1, d1), (m2, d2))| {
            let first = NaiveDate::from_ymd_opt(year, m1, d1).expect("valid table date");
            let last = NaiveDate::from_ymd_opt(year, m2, d2).expect("valid table date");
            first
                .iter_days()
                .take_while(move |d| *d <= last)
                .map(move |day| OfficialDay { day, kind, name })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn table_matches_the_notice() {
        let days = days_2026();
        let holidays = days.iter().filter(|d| d.kind == DayKind::Holiday).count();
        // 3 + 9 + 3 + 5 + 3 + 3 + 7 days off.
        assert_eq!(holidays, 33);
        let workdays: Vec<(NaiveDate, Weekday)> = days
            .iter()
            .filter(|d| d.kind == DayKind::Workday)
            .map(|d| (d.day, d.day.weekday()))
            .collect();
        assert_eq!(
            workdays,
            [
                (d(1, 4), Weekday::Sun),
                (d(2, 14), Weekday::Sat),
                (d(2, 28), Weekday::Sat),
                (d(5, 9), Weekday::Sat),
                (d(9, 20), Weekday::Sun),
                (d(10, 10), Weekday::Sat),
            ]
        );
        assert!(
            days.windows(2).all(|w| w[0].day < w[1].day),
            "sorted, unique"
        );
        let name = |day| days.iter().find(|d| d.day == day).unwrap().name;
        assert_eq!(name(d(1, 1)), "元旦");
        assert_eq!(name(d(2, 18)), "春节");
        assert_eq!(name(d(4, 5)), "清明节");
        assert_eq!(name(d(5, 5)), "劳动节");
        assert_eq!(name(d(6, 19)), "端午节");
        assert_eq!(name(d(9, 25)), "中秋节");
        assert_eq!(name(d(10, 7)), "国庆节");
        assert_eq!(name(d(10, 10)), "国庆节补班");
    }
}
