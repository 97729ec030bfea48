//! Reading holiday calendars in iCalendar (RFC 5545) form, as published by holiday feeds, into
//! dated [`DayKind`] overrides. Only what a holiday feed needs is read: `VEVENT`s with
//! `DTSTART`, optional `DTEND` and `SUMMARY`; everything else is skipped. Pure parsing, no I/O;
//! [`super::store::import_ical`] writes the result.
//!
//! Rules:
//! - Lines may end in CRLF or LF; a line starting with a space or tab continues the previous one
//!   (unfolding). A leading byte-order mark is ignored.
//! - `DTSTART` / `DTEND` may be a date (`20260101`) or a date-time (`20260101T090000[Z]`); only
//!   the date as written is used (no time-zone conversion). `DTEND` is exclusive; a date-time
//!   `DTEND` later than midnight includes its own date. A missing or not-later `DTEND` means the
//!   single day `DTSTART`.
//! - An event is a make-up working day when its `SUMMARY` contains `班` (补班, 上班) or, case
//!   insensitively, `make-up` or `workday`; otherwise every day it covers is a holiday.
//! - When events overlap, the one later in the file wins for the shared days.
//! - Bad input is an [`Error::Invalid`] with a `calendar.ical_*` code, never a panic.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeDelta};

use super::DayKind;
use crate::{Error, Result};

/// Largest file accepted, in bytes.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// Most days one file may mark (holiday feeds cover a few years at most).
pub const MAX_DAYS: usize = 2000;
/// Longest event summary kept as a day's name, in characters.
const MAX_NAME_CHARS: usize = 100;

/// One dated override read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcalDay {
    /// The date.
    pub day: NaiveDate,
    /// Holiday, or make-up working day by the summary rule of the module doc.
    pub kind: DayKind,
    /// The event's summary (unescaped, trimmed, at most 100 characters).
    pub name: String,
}

/// The result of [`parse`]: what an import would write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedIcal {
    /// Number of `VEVENT`s read.
    pub events: usize,
    /// The days, in date order, each once.
    pub days: Vec<IcalDay>,
}

fn invalid(code: &'static str, message: impl Into<String>) -> Error {
    Error::invalid(code, "file", message)
}

/// Parse an iCalendar text into dated overrides (see the module doc for the rules).
pub fn parse(text: &str) -> Result<ParsedIcal> {
    if text.len() > MAX_BYTES {
        return Err(invalid(
            "calendar.ical_too_large",
            format!("the file is larger than {} MB", MAX_BYTES / (1024 * 1024)),
        ));
    }
    let mut days: BTreeMap<NaiveDate, (DayKind, String)> = BTreeMap::new();
    let mut marked = 0usize;
    let mut events = 0usize;
    // Open components, innermost last; properties count only directly inside a VEVENT.
    let mut open: Vec<String> = Vec::new();
    let mut event = Event::default();

    for (number, line) in unfold(text) {
        if line.trim().is_empty() {
            continue;
        }
        let Some((name, value)) = split_line(&line) else {
            return Err(invalid(
                "calendar.ical_invalid",
                format!("line {number} is not an iCalendar content line"),
            ));
        };
        match name.as_str() {
            "BEGIN" => {
                let component = value.trim().to_ascii_uppercase();
                if component == "VEVENT" {
                    event = Event::default();
                }
                open.push(component);
            }
            "END" => {
                let component = value.trim().to_ascii_uppercase();
                if open.pop().as_deref() != Some(component.as_str()) {
                    return Err(invalid(
                        "calendar.ical_invalid",
                        format!("line {number}: END:{component} without a matching BEGIN"),
                    ));
                }
                if component == "VEVENT" {
                    events += 1;
                    let taken = std::mem::take(&mut event);
                    for (day, kind, name) in taken.days(events)? {
                        marked += 1;
                        if marked > MAX_DAYS {
                            return Err(invalid(
                                "calendar.ical_too_many_days",
                                format!("the file marks more than {MAX_DAYS} days"),
                            ));
                        }
                        days.insert(day, (kind, name));
                    }
                }
            }
            _ if open.last().map(String::as_str) == Some("VEVENT") => {
                let date = || {
                    parse_date(value).map_err(|e| {
                        invalid("calendar.ical_invalid", format!("line {number}: {e}"))
                    })
                };
                match name.as_str() {
                    "DTSTART" => event.start = Some(date()?),
                    "DTEND" => event.end = Some(date()?),
                    "SUMMARY" => event.summary = unescape(value),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    if let Some(component) = open.last() {
        return Err(invalid(
            "calendar.ical_invalid",
            format!("the file ends inside {component}"),
        ));
    }
    if events == 0 {
        return Err(invalid(
            "calendar.ical_no_events",
            "the file contains no events (VEVENT)",
        ));
    }
    let days = days
        .into_iter()
        .map(|(day, (kind, name))| IcalDay { day, kind, name })
        .collect();
    Ok(ParsedIcal { events, days })
}

/// The properties of one `VEVENT` read so far.
#[derive(Default)]
struct Event {
    start: Option<(NaiveDate, bool)>,
    end: Option<(NaiveDate, bool)>,
    summary: String,
}

impl Event {
    /// The days the event covers with their kind and name; `index` is 1-based for messages.
    fn days(self, index: usize) -> Result<Vec<(NaiveDate, DayKind, String)>> {
        let Some((first, _)) = self.start else {
            return Err(invalid(
                "calendar.ical_invalid",
                format!("event {index} has no DTSTART"),
            ));
        };
        // Exclusive end; a date-time end after midnight includes its own date.
        let end = match self.end {
            Some((day, after_midnight)) if after_midnight => day.succ_opt().unwrap_or(day),
            Some((day, _)) => day,
            None => first,
        };
        let count = (end - first).num_days().max(1);
        if count > MAX_DAYS as i64 {
            return Err(invalid(
                "calendar.ical_too_many_days",
                format!("event {index} spans more than {MAX_DAYS} days"),
            ));
        }
        let kind = kind_of(&self.summary);
        let name: String = self.summary.trim().chars().take(MAX_NAME_CHARS).collect();
        Ok((0..count)
            .filter_map(|i| first.checked_add_signed(TimeDelta::days(i)))
            .map(|day| (day, kind, name.clone()))
            .collect())
    }
}

/// Make-up working day or holiday, from an event summary.
fn kind_of(summary: &str) -> DayKind {
    let lower = summary.to_lowercase();
    if summary.contains('班') || lower.contains("make-up") || lower.contains("workday") {
        DayKind::Workday
    } else {
        DayKind::Holiday
    }
}

/// Logical lines with the 1-based number of their first physical line, continuation lines
/// joined (RFC 5545 §3.1: drop the line break and the one leading space or tab).
fn unfold(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ => lines.push((i + 1, raw.to_string())),
        }
    }
    lines
}

/// `NAME;PARAM=..:VALUE` → (upper-case name, value). The value starts after the first colon
/// outside double quotes (parameter values may be quoted and contain colons).
fn split_line(line: &str) -> Option<(String, &str)> {
    let mut quoted = false;
    let colon = line.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(i),
        _ => None,
    })?;
    let head = &line[..colon];
    let name = head.split(';').next().unwrap_or_default().trim();
    if name.is_empty() {
        return None;
    }
    Some((name.to_ascii_uppercase(), &line[colon + 1..]))
}

/// A `DATE` or `DATE-TIME` value → (date, whether a time after midnight was given).
fn parse_date(value: &str) -> std::result::Result<(NaiveDate, bool), String> {
    let value = value.trim();
    let bad = || format!("{value:?} is not a date (expected YYYYMMDD or YYYYMMDDTHHMMSS)");
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (date, rest) = value.split_at_checked(8).ok_or_else(bad)?;
    if !digits(date) {
        return Err(bad());
    }
    let number = |range: std::ops::Range<usize>| date[range].parse::<u32>().map_err(|_| bad());
    let year = i32::try_from(number(0..4)?).map_err(|_| bad())?;
    let day = NaiveDate::from_ymd_opt(year, number(4..6)?, number(6..8)?).ok_or_else(bad)?;
    if rest.is_empty() {
        return Ok((day, false));
    }
    let time = rest.strip_prefix('T').ok_or_else(bad)?;
    let time = time.strip_suffix(['Z', 'z']).unwrap_or(time);
    if time.len() != 6 || !digits(time) {
        return Err(bad());
    }
    let (h, m, s): (u32, u32, u32) = (
        time[0..2].parse().map_err(|_| bad())?,
        time[2..4].parse().map_err(|_| bad())?,
        time[4..6].parse().map_err(|_| bad())?,
    );
    if h > 23 || m > 59 || s > 60 {
        return Err(bad());
    }
    Ok((day, h + m + s > 0))
}

/// Undo RFC 5545 TEXT escaping (`\\`, `\;`, `\,`, `\n`).
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push(' '),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const GOOD: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
        BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n\
        TZOFFSETFROM:+0800\r\nTZOFFSETTO:+0800\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
        BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20260101\r\nDTEND;VALUE=DATE:20260104\r\n\
        SUMMARY:元旦\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDTSTART:20250101\r\nEND:VALARM\r\n\
        END:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:2\r\nDTSTART;VALUE=DATE:20260104\r\nSUMMARY:元旦 补班\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:3\r\nDTSTART;TZID=\"Asia/Shanghai\":20260214T090000\r\n\
        DTEND;TZID=\"Asia/Shanghai\":20260214T180000\r\nSUMMARY:Spring Festival Make-Up Day\r\n\
        END:VEVENT\r\n\
        BEGIN:VEVENT\r\nDTSTART:20260215T000000Z\r\nDTEND:20260217T000000Z\r\n\
        SUMMARY:Spring Festival\\, day off\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn reads_dates_ranges_and_kinds() {
        let parsed = parse(GOOD).unwrap();
        assert_eq!(parsed.events, 4);
        let got: Vec<(NaiveDate, DayKind, &str)> = parsed
            .days
            .iter()
            .map(|d| (d.day, d.kind, d.name.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (d(2026, 1, 1), DayKind::Holiday, "元旦"),
                (d(2026, 1, 2), DayKind::Holiday, "元旦"),
                (d(2026, 1, 3), DayKind::Holiday, "元旦"),
                (d(2026, 1, 4), DayKind::Workday, "元旦 补班"),
                (
                    d(2026, 2, 14),
                    DayKind::Workday,
                    "Spring Festival Make-Up Day"
                ),
                (d(2026, 2, 15), DayKind::Holiday, "Spring Festival, day off"),
                (d(2026, 2, 16), DayKind::Holiday, "Spring Festival, day off"),
            ]
        );
    }

    #[test]
    fn unfolds_continuation_lines() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DA\n TE:2026\n\t0501\nDTEND;VALUE=DATE:20260506\n\
                    SUMMARY:劳动\n 节\nEND:VEVENT\nEND:VCALENDAR";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.days.len(), 5);
        assert_eq!(parsed.days[0].day, d(2026, 5, 1));
        assert_eq!(parsed.days[4].day, d(2026, 5, 5));
        assert!(parsed.days.iter().all(|x| x.name == "劳动节"));
    }

    #[test]
    fn workday_words() {
        for s in [
            "补班",
            "上班",
            "调休上班",
            "MAKE-UP day",
            "Workday",
            "国庆节（班）",
        ] {
            assert_eq!(kind_of(s), DayKind::Workday, "{s}");
        }
        for s in ["春节", "Holiday", "National Day", ""] {
            assert_eq!(kind_of(s), DayKind::Holiday, "{s}");
        }
    }

    #[test]
    fn later_event_wins_on_overlap() {
        let text = "BEGIN:VEVENT\nDTSTART:20261001\nDTEND:20261004\nSUMMARY:国庆\nEND:VEVENT\n\
                    BEGIN:VEVENT\nDTSTART:20261002\nSUMMARY:workday\nEND:VEVENT\n";
        let parsed = parse(text).unwrap();
        let kinds: Vec<DayKind> = parsed.days.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [DayKind::Holiday, DayKind::Workday, DayKind::Holiday]
        );
    }

    #[test]
    fn bad_files_are_clear_errors() {
        let ev = |body: &str| {
            format!("BEGIN:VCALENDAR\nBEGIN:VEVENT\n{body}\nEND:VEVENT\nEND:VCALENDAR\n")
        };
        let cases: Vec<(String, &str)> = vec![
            (String::new(), "calendar.ical_no_events"),
            (
                "BEGIN:VCALENDAR\nEND:VCALENDAR\n".into(),
                "calendar.ical_no_events",
            ),
            ("hello world".into(), "calendar.ical_invalid"),
            (ev("DTSTART:2026010"), "calendar.ical_invalid"),
            (ev("DTSTART:20261301"), "calendar.ical_invalid"),
            (ev("DTSTART:20260230"), "calendar.ical_invalid"),
            (ev("DTSTART:2026-01-01"), "calendar.ical_invalid"),
            (ev("DTSTART:20260101T25"), "calendar.ical_invalid"),
            (ev("DTSTART:20260101X000000"), "calendar.ical_invalid"),
            (ev("DTSTART:２０２６０１０１"), "calendar.ical_invalid"),
            (ev("SUMMARY:no start"), "calendar.ical_invalid"),
            (
                ev("DTSTART:20000101\nDTEND:20100101"),
                "calendar.ical_too_many_days",
            ),
            (
                "BEGIN:VEVENT\nDTSTART:20260101\n".into(),
                "calendar.ical_invalid",
            ),
            ("END:VEVENT\n".into(), "calendar.ical_invalid"),
            ("x".repeat(MAX_BYTES + 1), "calendar.ical_too_large"),
        ];
        for (text, code) in cases {
            let err = parse(&text).unwrap_err();
            let head: String = text.chars().take(80).collect();
            assert_eq!(err.code(), code, "{head}");
        }
        // Many small events add up.
        let many: String = (0..(MAX_DAYS + 1))
            .map(|i| {
                let day = d(2020, 1, 1) + TimeDelta::days(i as i64);
                format!(
                    "BEGIN:VEVENT\nDTSTART:{}\nEND:VEVENT\n",
                    day.format("%Y%m%d")
                )
            })
            .collect();
        assert_eq!(
            parse(&many).unwrap_err().code(),
            "calendar.ical_too_many_days"
        );
    }

    #[test]
    fn date_values() {
        assert_eq!(parse_date("20260101"), Ok((d(2026, 1, 1), false)));
        assert_eq!(parse_date("20260101T000000Z"), Ok((d(2026, 1, 1), false)));
        assert_eq!(parse_date("20260101T120000"), Ok((d(2026, 1, 1), true)));
        assert!(parse_date("").is_err());
        assert!(parse_date("2026010é").is_err());
    }
}
