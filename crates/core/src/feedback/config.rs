//! Feedback settings in SQLite: the two-level categories (add, rename, retire, delete only when
//! unused), routing rules by department code, the SLA policy (settings key
//! [`crate::sla::SETTINGS_KEY`]) and each department's assignment mode. Reading is open to
//! every role; changing needs `FeedbackConfigure`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::routing::{ASSIGNMENT_KEY, AssignmentMode};
use crate::account::Actor;
use crate::permission::Action;
use crate::sla::{SETTINGS_KEY, SlaPolicy};
use crate::team::audit;
use crate::validate::{optional_line, required_line, text};
use crate::{Error, Result};

/// A category: top level (complaint, suggestion, inquiry) or a sub-category under one. Items
/// always carry a sub-category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Id.
    pub id: i64,
    /// The parent (top-level) category, `None` for a top-level one.
    pub parent_id: Option<i64>,
    /// Stable code (`service_quality`, …).
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Chinese definition, shown as a hint.
    pub definition_zh: String,
    /// English definition.
    pub definition_en: String,
    /// Retired categories stay on old items but are not offered for new ones.
    pub retired: bool,
}

/// Names and definitions typed by an admin.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CategoryInput {
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Chinese definition.
    #[serde(default)]
    pub definition_zh: String,
    /// English definition.
    #[serde(default)]
    pub definition_en: String,
}

/// One sub-category's routing: department codes in order, the first leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRule {
    /// The sub-category.
    pub category_id: i64,
    /// Department codes.
    pub department_codes: Vec<String>,
}

fn row_category(r: &rusqlite::Row<'_>) -> rusqlite::Result<Category> {
    Ok(Category {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        code: r.get(2)?,
        name_zh: r.get(3)?,
        name_en: r.get(4)?,
        definition_zh: r.get(5)?,
        definition_en: r.get(6)?,
        retired: r.get(7)?,
    })
}

const CATEGORY_COLUMNS: &str =
    "id, parent_id, code, name_zh, name_en, definition_zh, definition_en, retired";

pub(super) fn load_category(conn: &Connection, id: i64) -> Result<Category> {
    conn.query_row(
        &format!("SELECT {CATEGORY_COLUMNS} FROM feedback_categories WHERE id = ?1"),
        [id],
        row_category,
    )
    .optional()?
    .ok_or(Error::NotFound("category"))
}

/// Every category, top levels first, retired ones included (the UI greys them out).
pub fn categories(conn: &Connection, actor: &Actor) -> Result<Vec<Category>> {
    actor.require(Action::FeedbackView)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {CATEGORY_COLUMNS} FROM feedback_categories
         ORDER BY parent_id IS NOT NULL, coalesce(parent_id, id), sort, id"
    ))?;
    let rows = stmt
        .query_map([], row_category)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn checked_input(input: &CategoryInput) -> Result<CategoryInput> {
    Ok(CategoryInput {
        name_zh: required_line("name_zh", &input.name_zh)?,
        name_en: required_line("name_en", &input.name_en)?,
        definition_zh: text("definition_zh", &input.definition_zh)?,
        definition_en: text("definition_en", &input.definition_en)?,
    })
}

/// Add a category: top level (`parent_id` None) or a sub-category under a top-level one
/// (`feedback.category_parent_invalid` otherwise). The code is letters, digits and `_`, unique.
pub fn add_category(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    parent_id: Option<i64>,
    code: &str,
    input: &CategoryInput,
) -> Result<Category> {
    actor.require(Action::FeedbackConfigure)?;
    let code = required_line("code", code)?;
    if !code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(Error::invalid(
            "feedback.category_code_invalid",
            "code",
            "use lower-case letters, digits or _",
        ));
    }
    let input = checked_input(input)?;
    if let Some(p) = parent_id {
        let parent = load_category(conn, p)?;
        if parent.parent_id.is_some() {
            return Err(Error::invalid(
                "feedback.category_parent_invalid",
                "parent_id",
                "categories have two levels only",
            ));
        }
    }
    let taken: Option<i64> = conn
        .query_row(
            "SELECT id FROM feedback_categories WHERE code = ?1",
            [&code],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(Error::invalid(
            "feedback.category_code_taken",
            "code",
            "this code is already used",
        ));
    }
    conn.execute(
        "INSERT INTO feedback_categories (parent_id, code, name_zh, name_en, definition_zh, definition_en, sort)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6,
                 (SELECT coalesce(max(sort), 0) + 1 FROM feedback_categories WHERE parent_id IS ?1))",
        params![parent_id, code, input.name_zh, input.name_en, input.definition_zh, input.definition_en],
    )?;
    let id = conn.last_insert_rowid();
    audit(
        conn,
        now,
        Some(actor.user_id),
        "feedback.category_add",
        "feedback_category",
        Some(id),
        &code,
    )?;
    load_category(conn, id)
}

/// Rename a category or change its definitions; items keep pointing at it, so their history
/// shows the new name.
pub fn rename_category(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    input: &CategoryInput,
) -> Result<Category> {
    actor.require(Action::FeedbackConfigure)?;
    let input = checked_input(input)?;
    let n = conn.execute(
        "UPDATE feedback_categories SET name_zh = ?1, name_en = ?2, definition_zh = ?3, definition_en = ?4
         WHERE id = ?5",
        params![input.name_zh, input.name_en, input.definition_zh, input.definition_en, id],
    )?;
    if n == 0 {
        return Err(Error::NotFound("category"));
    }
    audit(
        conn,
        now,
        Some(actor.user_id),
        "feedback.category_rename",
        "feedback_category",
        Some(id),
        "",
    )?;
    load_category(conn, id)
}

/// Retire (or bring back) a category: it stays on old items but is not offered for new ones.
pub fn retire_category(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    retired: bool,
) -> Result<Category> {
    actor.require(Action::FeedbackConfigure)?;
    let n = conn.execute(
        "UPDATE feedback_categories SET retired = ?1 WHERE id = ?2",
        params![retired, id],
    )?;
    if n == 0 {
        return Err(Error::NotFound("category"));
    }
    audit(
        conn,
        now,
        Some(actor.user_id),
        "feedback.category_retire",
        "feedback_category",
        Some(id),
        "",
    )?;
    load_category(conn, id)
}

/// Delete a category nobody uses (a mistake just made); refused with
/// `feedback.category_in_use` while any item, sub-category or routing rule refers to it —
/// retire it instead.
pub fn delete_category(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
) -> Result<()> {
    actor.require(Action::FeedbackConfigure)?;
    load_category(conn, id)?;
    let used: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM feedback_items WHERE category_id = ?1)
              + (SELECT count(*) FROM feedback_categories WHERE parent_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if used > 0 {
        return Err(Error::conflict(
            "feedback.category_in_use",
            "the category is in use; retire it instead",
        ));
    }
    conn.execute("DELETE FROM feedback_routing WHERE category_id = ?1", [id])?;
    conn.execute("DELETE FROM feedback_categories WHERE id = ?1", [id])?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "feedback.category_delete",
        "feedback_category",
        Some(id),
        "",
    )?;
    Ok(())
}

pub(super) fn rule_codes(conn: &Connection, category_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT department_code FROM feedback_routing WHERE category_id = ?1 ORDER BY sort, department_code",
    )?;
    let codes = stmt
        .query_map([category_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(codes)
}

/// Every sub-category's routing rule.
pub fn routing_rules(conn: &Connection, actor: &Actor) -> Result<Vec<RoutingRule>> {
    actor.require(Action::FeedbackView)?;
    let mut stmt = conn.prepare(
        "SELECT id FROM feedback_categories WHERE parent_id IS NOT NULL ORDER BY parent_id, sort, id",
    )?;
    let ids: Vec<i64> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter()
        .map(|category_id| {
            Ok(RoutingRule {
                category_id,
                department_codes: rule_codes(conn, category_id)?,
            })
        })
        .collect()
}

/// Replace a sub-category's routing: existing department codes, the first leads
/// (`feedback.department_unknown` for a code no department has).
pub fn set_routing(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    rule: &RoutingRule,
) -> Result<RoutingRule> {
    actor.require(Action::FeedbackConfigure)?;
    let cat = load_category(conn, rule.category_id)?;
    if cat.parent_id.is_none() {
        return Err(Error::invalid(
            "feedback.category_not_leaf",
            "category_id",
            "route sub-categories, not top-level categories",
        ));
    }
    let mut codes: Vec<String> = Vec::new();
    for c in &rule.department_codes {
        let c = optional_line("department_codes", c)?;
        let known: Option<i64> = conn
            .query_row("SELECT id FROM departments WHERE code = ?1", [&c], |r| {
                r.get(0)
            })
            .optional()?;
        if known.is_none() {
            return Err(Error::invalid(
                "feedback.department_unknown",
                "department_codes",
                format!("no department has the code {c:?}"),
            ));
        }
        if !codes.contains(&c) {
            codes.push(c);
        }
    }
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "DELETE FROM feedback_routing WHERE category_id = ?1",
        [cat.id],
    )?;
    for (i, c) in codes.iter().enumerate() {
        tx.execute(
            "INSERT INTO feedback_routing (category_id, department_code, sort) VALUES (?1, ?2, ?3)",
            params![cat.id, c, i as i64],
        )?;
    }
    audit(
        &tx,
        now,
        Some(actor.user_id),
        "feedback.routing_set",
        "feedback_category",
        Some(cat.id),
        &codes.join(","),
    )?;
    tx.commit()?;
    Ok(RoutingRule {
        category_id: cat.id,
        department_codes: codes,
    })
}

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

fn put_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The team's SLA policy (the defaults until an admin saves one). Not secret: no permission.
pub fn sla_policy(conn: &Connection) -> Result<SlaPolicy> {
    match setting(conn, SETTINGS_KEY)? {
        Some(json) => serde_json::from_str(&json).map_err(|e| {
            Error::conflict(
                "sla.policy_corrupt",
                format!("stored SLA policy unreadable: {e}"),
            )
        }),
        None => Ok(SlaPolicy::default()),
    }
}

/// Save the SLA policy; applies to items created from now on.
pub fn set_sla_policy(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    policy: &SlaPolicy,
) -> Result<SlaPolicy> {
    actor.require(Action::FeedbackConfigure)?;
    policy.validate()?;
    let json = serde_json::to_string(policy)
        .map_err(|e| Error::conflict("sla.policy_corrupt", e.to_string()))?;
    put_setting(conn, SETTINGS_KEY, &json)?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "feedback.sla_policy_set",
        "settings",
        None,
        "",
    )?;
    Ok(*policy)
}

/// Each department's assignment mode by department code (missing = manual).
pub fn assignment_modes(conn: &Connection) -> Result<BTreeMap<String, AssignmentMode>> {
    match setting(conn, ASSIGNMENT_KEY)? {
        Some(json) => Ok(serde_json::from_str(&json).unwrap_or_default()),
        None => Ok(BTreeMap::new()),
    }
}

/// Set one department's assignment mode.
pub fn set_assignment_mode(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    department_code: &str,
    mode: AssignmentMode,
) -> Result<BTreeMap<String, AssignmentMode>> {
    actor.require(Action::FeedbackConfigure)?;
    let known: Option<i64> = conn
        .query_row(
            "SELECT id FROM departments WHERE code = ?1",
            [department_code],
            |r| r.get(0),
        )
        .optional()?;
    let id = known.ok_or_else(|| {
        Error::invalid(
            "feedback.department_unknown",
            "department_code",
            format!("no department has the code {department_code:?}"),
        )
    })?;
    let mut modes = assignment_modes(conn)?;
    modes.insert(department_code.to_string(), mode);
    let json = serde_json::to_string(&modes)
        .map_err(|e| Error::conflict("sla.policy_corrupt", e.to_string()))?;
    put_setting(conn, ASSIGNMENT_KEY, &json)?;
    audit(
        conn,
        now,
        Some(actor.user_id),
        "feedback.assignment_mode_set",
        "department",
        Some(id),
        department_code,
    )?;
    Ok(modes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feedback::items::tests::{fixture, now};

    #[test]
    fn seeded_categories_have_two_levels_and_both_languages() {
        let f = fixture();
        let cats = categories(&f.conn, &f.viewer).unwrap();
        let tops: Vec<_> = cats
            .iter()
            .filter(|c| c.parent_id.is_none())
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(tops, ["complaint", "suggestion", "inquiry"]);
        let subs: Vec<_> = cats
            .iter()
            .filter(|c| c.parent_id.is_some())
            .map(|c| c.code.as_str())
            .collect();
        assert_eq!(
            subs,
            [
                "service_quality",
                "product_function",
                "feature_improvement",
                "service_experience",
                "product_usage",
                "cooperation_policy"
            ]
        );
        for c in &cats {
            assert!(
                !c.name_zh.is_empty()
                    && !c.name_en.is_empty()
                    && !c.definition_zh.is_empty()
                    && !c.definition_en.is_empty()
            );
        }
        let sq = cats.iter().find(|c| c.code == "service_quality").unwrap();
        assert_eq!((sq.name_zh.as_str(), sq.parent_id), ("服务质量类", Some(1)));
    }

    #[test]
    fn admins_add_rename_retire_and_delete_only_unused() {
        let f = fixture();
        let input = CategoryInput {
            name_zh: "物流类".into(),
            name_en: "Logistics".into(),
            definition_zh: "发货、运输问题".into(),
            definition_en: "Shipping problems".into(),
        };
        assert!(matches!(
            add_category(&f.conn, now(), &f.supervisor, Some(1), "logistics", &input),
            Err(Error::Forbidden(_))
        ));
        let c = add_category(&f.conn, now(), &f.admin, Some(1), "logistics", &input).unwrap();
        assert_eq!(c.parent_id, Some(1));
        assert_eq!(
            add_category(&f.conn, now(), &f.admin, Some(c.id), "deeper", &input)
                .unwrap_err()
                .code(),
            "feedback.category_parent_invalid"
        );
        assert_eq!(
            add_category(&f.conn, now(), &f.admin, Some(1), "logistics", &input)
                .unwrap_err()
                .code(),
            "feedback.category_code_taken"
        );
        let mut renamed = input.clone();
        renamed.name_zh = "物流配送类".into();
        assert_eq!(
            rename_category(&f.conn, now(), &f.admin, c.id, &renamed)
                .unwrap()
                .name_zh,
            "物流配送类"
        );
        assert!(
            retire_category(&f.conn, now(), &f.admin, c.id, true)
                .unwrap()
                .retired
        );
        // Unused: may be deleted. Used (seeded service_quality once an item exists): refused.
        delete_category(&f.conn, now(), &f.admin, c.id).unwrap();
        crate::feedback::items::tests::quick_item(&f, "service_quality");
        assert_eq!(
            delete_category(&f.conn, now(), &f.admin, 11)
                .unwrap_err()
                .code(),
            "feedback.category_in_use"
        );
        assert_eq!(
            delete_category(&f.conn, now(), &f.admin, 1)
                .unwrap_err()
                .code(),
            "feedback.category_in_use",
            "a parent with sub-categories"
        );
    }

    #[test]
    fn routing_rules_are_seeded_and_editable() {
        let f = fixture();
        let rules = routing_rules(&f.conn, &f.viewer).unwrap();
        let by = |id: i64| {
            rules
                .iter()
                .find(|r| r.category_id == id)
                .unwrap()
                .department_codes
                .clone()
        };
        assert_eq!(by(12), ["rnd"]);
        assert_eq!(by(11), ["cs"]);
        assert_eq!(by(32), ["sales", "finance"]);
        assert_eq!(by(21), ["rnd"]);
        assert_eq!(by(22), ["cs"]);
        assert_eq!(by(31), ["cs"]);
        let r = set_routing(
            &f.conn,
            now(),
            &f.admin,
            &RoutingRule {
                category_id: 31,
                department_codes: vec!["sales".into(), "cs".into()],
            },
        )
        .unwrap();
        assert_eq!(r.department_codes, ["sales", "cs"]);
        assert_eq!(
            set_routing(
                &f.conn,
                now(),
                &f.admin,
                &RoutingRule {
                    category_id: 31,
                    department_codes: vec!["hr".into()]
                }
            )
            .unwrap_err()
            .code(),
            "feedback.department_unknown"
        );
        assert_eq!(
            set_routing(
                &f.conn,
                now(),
                &f.admin,
                &RoutingRule {
                    category_id: 1,
                    department_codes: vec![]
                }
            )
            .unwrap_err()
            .code(),
            "feedback.category_not_leaf"
        );
    }

    #[test]
    fn sla_policy_and_assignment_modes_round_trip() {
        let f = fixture();
        assert_eq!(sla_policy(&f.conn).unwrap(), SlaPolicy::default());
        let mut p = SlaPolicy::default();
        p.urgent.response.amount = 1;
        set_sla_policy(&f.conn, now(), &f.admin, &p).unwrap();
        assert_eq!(sla_policy(&f.conn).unwrap(), p);
        p.urgent.response.amount = 0;
        assert_eq!(
            set_sla_policy(&f.conn, now(), &f.admin, &p)
                .unwrap_err()
                .code(),
            "sla.target_invalid"
        );
        let modes = set_assignment_mode(&f.conn, now(), &f.admin, "cs", AssignmentMode::RoundRobin)
            .unwrap();
        assert_eq!(modes["cs"], AssignmentMode::RoundRobin);
        assert_eq!(assignment_modes(&f.conn).unwrap().get("rnd"), None);
    }
}
