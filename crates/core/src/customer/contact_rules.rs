//! Pure rules for contacts: mainland mobile and landline numbers, emails, the one primary
//! contact. Numbers are normalised (mobiles to 11 digits); other text is kept verbatim.

use super::model::ContactInput;
use crate::validate::{optional_line, required_line, text, to_half_width};
use crate::{Error, Result};

/// Normalise a mainland mobile number: full-width digits folded, spaces, dashes, dots and
/// brackets dropped, a `+86`/`0086`/`86` prefix removed; the rest must be `1[3-9]` and 9 digits.
/// Returns the 11 digits.
pub fn normalise_mobile(raw: &str) -> Result<String> {
    let bad = || {
        Error::invalid(
            "contact.mobile_invalid",
            "mobile",
            format!("not a mainland mobile number: {raw:?}"),
        )
    };
    let folded: String = raw
        .chars()
        .map(to_half_width)
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{2014}' | '\u{2013}'))
        .collect();
    let digits = if let Some(rest) = folded.strip_prefix('+') {
        rest.strip_prefix("86").ok_or_else(bad)?
    } else if let Some(rest) = folded.strip_prefix("0086") {
        rest
    } else if folded.len() == 13 && folded.starts_with("86") {
        &folded[2..]
    } else {
        folded.as_str()
    };
    let b = digits.as_bytes();
    let ok = b.len() == 11
        && b.iter().all(u8::is_ascii_digit)
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1]);
    if ok {
        Ok(digits.to_string())
    } else {
        Err(bad())
    }
}

/// Check a landline with area code: `0` + 2–3 digits, optional dash, 7–8 digits, optional
/// extension (`-123`, `转123`, `ext 123`). Full-width digits and spaces are tidied; the result
/// is `0AA-NNNNNNNN[-EXT]`.
pub fn normalise_landline(raw: &str) -> Result<String> {
    let bad = || {
        Error::invalid(
            "contact.landline_invalid",
            "landline",
            format!("not a landline with area code: {raw:?}"),
        )
    };
    let folded: String = raw
        .chars()
        .map(to_half_width)
        .filter(|c| !matches!(c, ' ' | '(' | ')'))
        .collect::<String>()
        .to_lowercase()
        .replace("转", "-")
        .replace("ext.", "-")
        .replace("ext", "-")
        .replace('#', "-");
    let folded = folded
        .strip_prefix("+86")
        .map(|r| format!("0{r}"))
        .unwrap_or(folded);
    let parts: Vec<&str> = folded.split('-').filter(|p| !p.is_empty()).collect();
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(|p| digits_only(p)) {
        return Err(bad());
    }
    let first = parts[0];
    if !first.starts_with('0') {
        return Err(bad());
    }
    // Either "0AA-NNNNNNN[-EXT]" or "0AANNNNNNN[-EXT]" (2-digit codes are 010 and 02X).
    let (area, number, ext) = if (3..=4).contains(&first.len()) && parts.len() >= 2 {
        (first, parts[1], parts.get(2).copied())
    } else if (10..=12).contains(&first.len()) && parts.len() <= 2 {
        let area_len = if first.starts_with("01") || first.starts_with("02") {
            3
        } else {
            4
        };
        (
            &first[..area_len],
            &first[area_len..],
            parts.get(1).copied(),
        )
    } else {
        return Err(bad());
    };
    if !(7..=8).contains(&number.len()) || number.starts_with('0') {
        return Err(bad());
    }
    if let Some(e) = ext {
        if e.len() > 6 {
            return Err(bad());
        }
        return Ok(format!("{area}-{number}-{e}"));
    }
    Ok(format!("{area}-{number}"))
}

/// Check an email address (one `@`, a dotted domain, no spaces); trimmed, case kept.
pub fn normalise_email(raw: &str) -> Result<String> {
    let e: String = raw.trim().chars().map(to_half_width).collect();
    let bad = || {
        Error::invalid(
            "contact.email_invalid",
            "email",
            format!("not an email address: {raw:?}"),
        )
    };
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let ok = !local.is_empty()
        && local.len() <= 64
        && e.len() <= 254
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok { Ok(e) } else { Err(bad()) }
}

/// Validate and normalise one contact (name required, numbers and email checked when given).
pub fn validate_contact(input: &ContactInput) -> Result<ContactInput> {
    let name = required_line("contact_name", &input.name).map_err(|e| match e {
        Error::Invalid {
            code: "field.required",
            ..
        } => Error::invalid(
            "contact.name_required",
            "contact_name",
            "a contact needs a name",
        ),
        other => other,
    })?;
    let mobile = match input.mobile.trim() {
        "" => String::new(),
        m => normalise_mobile(m)?,
    };
    let landline = match input.landline.trim() {
        "" => String::new(),
        l => normalise_landline(l)?,
    };
    let email = match input.email.trim() {
        "" => String::new(),
        e => normalise_email(e)?,
    };
    Ok(ContactInput {
        id: input.id,
        name,
        position: optional_line("position", &input.position)?,
        mobile,
        landline,
        email,
        birthday: input.birthday,
        notes: text("notes", &input.notes)?,
        is_primary: input.is_primary,
    })
}

/// Validate a customer's contact list: each contact, and exactly one primary when there are
/// any. A single contact becomes primary on its own.
pub fn validate_contacts(list: &[ContactInput]) -> Result<Vec<ContactInput>> {
    let mut out = list
        .iter()
        .map(validate_contact)
        .collect::<Result<Vec<_>>>()?;
    if out.len() == 1 {
        out[0].is_primary = true;
    }
    let primaries = out.iter().filter(|c| c.is_primary).count();
    if !out.is_empty() && primaries != 1 {
        return Err(Error::invalid(
            "contact.primary_required",
            "is_primary",
            "mark exactly one contact as primary",
        ));
    }
    Ok(out)
}

/// Interpret a spreadsheet "phone" cell that may hold a mobile or a landline.
pub fn split_phone(raw: &str) -> Result<(String, String)> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok((String::new(), String::new()));
    }
    match normalise_mobile(raw) {
        Ok(m) => Ok((m, String::new())),
        Err(_) => normalise_landline(raw)
            .map(|l| (String::new(), l))
            .map_err(|_| {
                Error::invalid(
                    "contact.phone_invalid",
                    "phone",
                    format!("not a mobile or landline number: {raw:?}"),
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobiles_in_every_common_spelling() {
        for raw in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "+86-13812345678",
            "0086 13812345678",
            "8613812345678",
            "１３８１２３４５６７８",
        ] {
            assert_eq!(normalise_mobile(raw).unwrap(), "13812345678", "{raw}");
        }
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "abc",
            "",
            "+1 13812345678",
            "1381234567x",
        ] {
            assert_eq!(
                normalise_mobile(bad).unwrap_err().code(),
                "contact.mobile_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn landlines_need_an_area_code() {
        assert_eq!(normalise_landline("010-12345678").unwrap(), "010-12345678");
        assert_eq!(normalise_landline("0755 2345678").unwrap(), "0755-2345678");
        assert_eq!(normalise_landline("02112345678").unwrap(), "021-12345678");
        assert_eq!(
            normalise_landline("021-12345678-806").unwrap(),
            "021-12345678-806"
        );
        assert_eq!(
            normalise_landline("021-12345678转806").unwrap(),
            "021-12345678-806"
        );
        assert_eq!(
            normalise_landline("（０２１）１２３４５６７８").unwrap(),
            "021-12345678"
        );
        for bad in ["12345678", "021-123", "21-12345678", "021-1234567890", "x"] {
            assert_eq!(
                normalise_landline(bad).unwrap_err().code(),
                "contact.landline_invalid",
                "{bad}"
            );
        }
    }

    #[test]
    fn emails() {
        assert_eq!(
            normalise_email(" Zhang.San@Example.com ").unwrap(),
            "Zhang.San@Example.com"
        );
        assert_eq!(normalise_email("ａ＠ｂ.cn").unwrap(), "a@b.cn");
        for bad in [
            "a", "a@b", "@b.cn", "a@@b.cn", "a b@c.cn", "a@.cn", "a@b..cn",
        ] {
            assert_eq!(
                normalise_email(bad).unwrap_err().code(),
                "contact.email_invalid",
                "{bad}"
            );
        }
    }

    fn c(name: &str, primary: bool) -> ContactInput {
        ContactInput {
            name: name.into(),
            is_primary: primary,
            ..Default::default()
        }
    }

    #[test]
    fn exactly_one_primary() {
        let one = validate_contacts(&[c("张三", false)]).unwrap();
        assert!(one[0].is_primary, "a lone contact is primary");
        assert!(validate_contacts(&[]).unwrap().is_empty());
        assert_eq!(
            validate_contacts(&[c("张三", false), c("李四", false)])
                .unwrap_err()
                .code(),
            "contact.primary_required"
        );
        assert_eq!(
            validate_contacts(&[c("张三", true), c("李四", true)])
                .unwrap_err()
                .code(),
            "contact.primary_required"
        );
        assert_eq!(
            validate_contacts(&[c(" ", true)]).unwrap_err().code(),
            "contact.name_required"
        );
        let mut with_phone = c("王五", true);
        with_phone.mobile = "+86 139-0000-1111".into();
        with_phone.notes = "<b>verbatim</b>".into();
        let v = validate_contacts(&[with_phone]).unwrap();
        assert_eq!(v[0].mobile, "13900001111");
        assert_eq!(v[0].notes, "<b>verbatim</b>");
    }

    #[test]
    fn phone_cells_split_into_mobile_or_landline() {
        assert_eq!(
            split_phone("138 0000 1111").unwrap(),
            ("13800001111".into(), String::new())
        );
        assert_eq!(
            split_phone("010-88886666").unwrap(),
            (String::new(), "010-88886666".into())
        );
        assert_eq!(
            split_phone("hello").unwrap_err().code(),
            "contact.phone_invalid"
        );
    }
}
