//! Money as an exact integer of minor units (fen for CNY). Parsing accepts what people type
//! (`12,345.60`, `¥1.5`, `１２３`) and refuses anything that would lose precision.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// An amount in minor units (1 yuan = 100). Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Money(pub i64);

impl Money {
    /// Parse a typed amount with at most two decimals. Full-width digits, thousands separators,
    /// a leading currency sign and surrounding spaces are accepted.
    pub fn parse(text: &str) -> Result<Money> {
        let bad = || {
            Error::invalid(
                "money.invalid",
                "amount",
                format!("not an amount: {text:?}"),
            )
        };
        let normalised: String = text
            .trim()
            .chars()
            .map(crate::validate::to_half_width)
            .filter(|c| !matches!(c, ',' | ' ' | '_'))
            .collect();
        let s = normalised
            .trim_start_matches(['¥', '￥', '$'])
            .trim_start_matches("CNY")
            .trim();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int_part, frac_part) = s.split_once('.').unwrap_or((s, ""));
        if int_part.is_empty() && frac_part.is_empty()
            || !int_part.chars().all(|c| c.is_ascii_digit())
            || !frac_part.chars().all(|c| c.is_ascii_digit())
            || frac_part.len() > 2
            || int_part.len() > 15
        {
            return Err(bad());
        }
        let whole: i64 = if int_part.is_empty() {
            0
        } else {
            int_part.parse().map_err(|_| bad())?
        };
        let frac: i64 = match frac_part.len() {
            0 => 0,
            1 => frac_part.parse::<i64>().map_err(|_| bad())? * 10,
            _ => frac_part.parse().map_err(|_| bad())?,
        };
        let minor = whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(frac))
            .ok_or_else(bad)?;
        Ok(Money(if negative { -minor } else { minor }))
    }

    /// Plain decimal text with two places (`1234.50`), for exports and form fields.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Money::parse("12,345.6").unwrap(), Money(1_234_560));
        assert_eq!(Money::parse(" ¥1.05 ").unwrap(), Money(105));
        assert_eq!(Money::parse("１２３").unwrap(), Money(12_300));
        assert_eq!(Money::parse("-3").unwrap(), Money(-300));
        assert_eq!(Money::parse(".5").unwrap(), Money(50));
        for bad in ["", "abc", "1.234", "1e5", "1.2.3", "--1", "."] {
            assert!(Money::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    proptest! {
        #[test]
        fn decimal_string_round_trips(minor in -1_000_000_000_000i64..1_000_000_000_000) {
            let m = Money(minor);
            prop_assert_eq!(Money::parse(&m.to_decimal_string()).unwrap(), m);
        }
    }
}
