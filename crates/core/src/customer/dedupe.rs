//! Likely duplicates: the normalised name key (legal-form suffixes, spaces, punctuation and
//! width ignored) and lookups by same name key, same mobile or same email.

use super::contact_rules::{normalise_email, normalise_mobile};
use crate::Result;
use crate::account::Actor;
use crate::permission::Action;
use crate::validate::to_half_width;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

/// Legal-form words dropped from the end of a name (after folding and removing punctuation),
/// longest first.
const SUFFIXES: [&str; 14] = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "分公司",
    "集团",
    "公司",
    "coltd",
    "limited",
    "company",
    "corp",
    "inc",
    "ltd",
    "llc",
    "co",
];

/// The key two names of the same company share: full width folded to half, lower case, white
/// space and punctuation removed, legal-form suffixes (有限公司, 集团, Co., Ltd., Inc., …) dropped.
/// `集团` is dropped wherever it stands (中山集团有限公司 and 中山有限公司 are the same firm).
pub fn name_key(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(to_half_width)
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    let mut key = folded.replace("集团", "");
    loop {
        let before = key.len();
        for s in SUFFIXES {
            if key.len() > s.len()
                && let Some(rest) = key.strip_suffix(s)
            {
                key = rest.to_string();
                break;
            }
        }
        if key.len() == before {
            break;
        }
    }
    if key.is_empty() { folded } else { key }
}

/// What a new or imported customer is compared on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DuplicateProbe {
    /// Customer name.
    pub name: String,
    /// Contact mobiles (any spelling).
    pub mobiles: Vec<String>,
    /// Contact emails.
    pub emails: Vec<String>,
    /// A customer to leave out (the one being edited).
    pub exclude_id: Option<i64>,
}

/// Why two customers look alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    /// Same normalised name.
    SameName,
    /// A contact with the same mobile.
    SameMobile,
    /// A contact with the same email.
    SameEmail,
}

/// An existing customer that looks like the probe.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateMatch {
    /// Existing customer.
    pub customer_id: i64,
    /// Its number.
    pub number: String,
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: DuplicateReason,
}

/// Existing customers (archived ones included) that look like `probe`, without permission
/// checks (used by imports and by [`check_duplicates`]).
pub fn find_duplicates(conn: &Connection, probe: &DuplicateProbe) -> Result<Vec<DuplicateMatch>> {
    let mut out: Vec<DuplicateMatch> = Vec::new();
    let mut push = |id: i64, number: String, name: String, reason| {
        if Some(id) != probe.exclude_id
            && !out
                .iter()
                .any(|m| m.customer_id == id && m.reason == reason)
        {
            out.push(DuplicateMatch {
                customer_id: id,
                number,
                name,
                reason,
            });
        }
    };
    let key = name_key(&probe.name);
    if !key.is_empty() {
        let mut stmt = conn.prepare_cached(
            "SELECT id, number, name FROM customers WHERE name_key = ?1 ORDER BY id LIMIT 20",
        )?;
        for r in stmt.query_map([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
            let (id, number, name) = r?;
            push(id, number, name, DuplicateReason::SameName);
        }
    }
    let mut by = |sql: &str, value: &str, reason| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        for r in stmt.query_map(params![value], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
            let (id, number, name) = r?;
            push(id, number, name, reason);
        }
        Ok(())
    };
    for m in &probe.mobiles {
        if let Ok(m) = normalise_mobile(m) {
            by(
                "SELECT DISTINCT c.id, c.number, c.name FROM contacts k JOIN customers c ON c.id = k.customer_id
                 WHERE k.mobile = ?1 AND k.mobile <> '' ORDER BY c.id LIMIT 20",
                &m,
                DuplicateReason::SameMobile,
            )?;
        }
    }
    for e in &probe.emails {
        if let Ok(e) = normalise_email(e) {
            by(
                "SELECT DISTINCT c.id, c.number, c.name FROM contacts k JOIN customers c ON c.id = k.customer_id
                 WHERE k.email = ?1 COLLATE NOCASE AND k.email <> '' ORDER BY c.id LIMIT 20",
                &e,
                DuplicateReason::SameEmail,
            )?;
        }
    }
    Ok(out)
}

/// The create form's duplicate warning. Names and numbers of look-alikes are shown even
/// outside the actor's scope, so nobody creates a second record of someone else's customer.
pub fn check_duplicates(
    conn: &Connection,
    actor: &Actor,
    probe: &DuplicateProbe,
) -> Result<Vec<DuplicateMatch>> {
    actor.require(Action::CustomerCreate)?;
    find_duplicates(conn, probe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_ignore_legal_form_width_and_punctuation() {
        let k = name_key("中山集团有限公司");
        assert_eq!(k, "中山");
        assert_eq!(name_key("中山 有限公司"), k);
        assert_eq!(name_key("中山股份有限公司"), k);
        assert_eq!(name_key("（中山）有限责任公司"), k);
        assert_eq!(name_key("ＡＢＣ Trading Co., Ltd."), "abctrading");
        assert_eq!(name_key("abc trading inc"), "abctrading");
        assert_eq!(name_key("ABC-Trading, Inc."), "abctrading");
        assert_ne!(name_key("中山"), name_key("中川"));
        assert!(!name_key("有限公司").is_empty(), "never an empty key");
        assert!(!name_key("Co., Ltd.").is_empty());
    }
}
