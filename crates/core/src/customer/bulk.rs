//! Bulk actions on a selection of the customer list: change owner, add or remove tags, change
//! tier, archive. The whole selection is handled in one transaction (all or nothing). Key
//! fields follow the same rule as a single edit: when staff change one (see
//! `change_request::key_fields`; tier is not key by default), a change request is filed per
//! customer instead of saving, with the reason given once for the selection. The summary says
//! what was applied, what became a request, what was already so and what was skipped.

use super::change_request::key_fields;
use super::changes::{Change, tags_value};
use super::fields::clean_tags;
use super::history::{HistoryKind, NewEntry, record};
use super::list::{ListQuery, where_clause};
use super::model::{Customer, Tier};
use super::scope::can_see;
use super::search_index;
use super::store::{apply_recorded, check_owner, load, request_recorded, require_reason, touch};
use super::tags::customer_tags;
use crate::account::Actor;
use crate::permission::{Action, Role};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params_from_iter};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Which customers a bulk action applies to.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Selection {
    /// The rows the person ticked.
    Ids {
        /// Customer ids.
        ids: Vec<i64>,
    },
    /// "Select all matching": every customer the list query finds (in the actor's scope),
    /// minus the rows unticked afterwards.
    Query {
        /// The list's filters (paging ignored).
        query: ListQuery,
        /// Ids left out.
        #[serde(default)]
        except: Vec<i64>,
    },
}

/// What to do with the selection.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BulkAction {
    /// Hand the customers to another user; the department follows the new owner's.
    ChangeOwner {
        /// The new owner.
        owner_user_id: i64,
    },
    /// Add these tags (unknown names are created).
    AddTags {
        /// Tag names.
        tags: Vec<String>,
    },
    /// Remove these tags.
    RemoveTags {
        /// Tag names.
        tags: Vec<String>,
    },
    /// Set the value tier.
    ChangeTier {
        /// The tier.
        tier: Tier,
    },
    /// Archive (the UI confirms first).
    Archive,
}

/// A bulk request: the selection, the action and, for key fields changed by staff, why.
#[derive(Debug, Clone, Deserialize)]
pub struct BulkInput {
    /// Which customers.
    pub selection: Selection,
    /// What to do.
    pub action: BulkAction,
    /// Why (required when change requests result).
    #[serde(default)]
    pub reason: String,
}

/// A customer the action left alone, and why (an error code the UI translates).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Customer id.
    pub id: i64,
    /// Customer number.
    pub number: String,
    /// Why (e.g. `customer.archived`, `not_found`).
    pub code: String,
}

/// What a bulk action did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BulkSummary {
    /// Customers in the selection.
    pub selected: usize,
    /// Customers changed at once.
    pub applied: usize,
    /// Customers whose change waits for approval.
    pub requested: usize,
    /// The change requests filed.
    pub change_request_ids: Vec<i64>,
    /// Customers that already had the requested value.
    pub unchanged: usize,
    /// Customers left alone.
    pub skipped: Vec<Skipped>,
}

/// The ids a selection stands for, in id order, without repeats.
fn selected_ids(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    selection: &Selection,
) -> Result<Vec<i64>> {
    let mut ids = match selection {
        Selection::Ids { ids } => ids.clone(),
        Selection::Query { query, except } => {
            let mut params = Vec::new();
            let wh = where_clause(actor, now, query, &mut params);
            let mut stmt = conn.prepare(&format!("SELECT c.id FROM customers c {wh}"))?;
            let all: Vec<i64> = stmt
                .query_map(params_from_iter(params.iter()), |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            all.into_iter().filter(|id| !except.contains(id)).collect()
        }
    };
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The changes the action makes to one customer (empty when it already is so).
fn changes_for(
    conn: &Connection,
    c: &Customer,
    action: &BulkAction,
    owner_dept: Option<i64>,
    tags: &[String],
) -> Result<Vec<Change>> {
    let mut out = Vec::new();
    match action {
        BulkAction::ChangeOwner { owner_user_id } => {
            if c.owner_user_id != Some(*owner_user_id) {
                out.push(Change::new(
                    "owner_user_id",
                    None,
                    json!(c.owner_user_id),
                    json!(owner_user_id),
                ));
            }
            if owner_dept.is_some() && c.department_id != owner_dept {
                out.push(Change::new(
                    "department_id",
                    None,
                    json!(c.department_id),
                    json!(owner_dept),
                ));
            }
        }
        BulkAction::ChangeTier { tier } => {
            if c.tier != *tier {
                out.push(Change::new("tier", None, json!(c.tier), json!(tier)));
            }
        }
        BulkAction::AddTags { .. } | BulkAction::RemoveTags { .. } => {
            let old: Vec<String> = customer_tags(conn, c.id)?
                .into_iter()
                .map(|t| t.name)
                .collect();
            let mut new = old.clone();
            if matches!(action, BulkAction::AddTags { .. }) {
                for t in tags {
                    if !new.iter().any(|n| n.eq_ignore_ascii_case(t)) {
                        new.push(t.clone());
                    }
                }
            } else {
                new.retain(|n| !tags.iter().any(|t| t.eq_ignore_ascii_case(n)));
            }
            let (o, n) = (tags_value(&old), tags_value(&new));
            if o != n {
                out.push(Change::new("tags", None, o, n));
            }
        }
        BulkAction::Archive => {}
    }
    Ok(out)
}

/// Apply a bulk action to a selection in one transaction and say what happened. Customers the
/// actor may not see are skipped as `not_found`; archived ones as `customer.archived` (except
/// for archiving, where they count as unchanged). Staff changing a key field file one change
/// request per customer and field (a department that follows a requested owner change is
/// requested beside it).
pub fn bulk_apply(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &BulkInput,
) -> Result<BulkSummary> {
    let archive = matches!(input.action, BulkAction::Archive);
    actor.require(if archive {
        Action::CustomerArchive
    } else {
        Action::CustomerEdit
    })?;
    let reason = crate::validate::text("reason", &input.reason)?;
    let tags = match &input.action {
        BulkAction::AddTags { tags } | BulkAction::RemoveTags { tags } => {
            let t = clean_tags(tags)?;
            if t.is_empty() {
                return Err(Error::invalid(
                    "bulk.tags_required",
                    "tags",
                    "name at least one tag",
                ));
            }
            t
        }
        _ => Vec::new(),
    };
    let tx = conn.transaction()?;
    let owner_dept = match &input.action {
        BulkAction::ChangeOwner { owner_user_id } => check_owner(&tx, actor, *owner_user_id)?,
        _ => None,
    };
    let ids = selected_ids(&tx, now, actor, &input.selection)?;
    if ids.is_empty() {
        return Err(Error::invalid(
            "bulk.selection_empty",
            "selection",
            "select at least one customer",
        ));
    }
    let direct = actor.role != Role::Staff;
    let keys = key_fields(&tx)?;
    let is_key = |field: &str| !direct && keys.iter().any(|k| k == field);
    let touches_search = matches!(
        input.action,
        BulkAction::AddTags { .. } | BulkAction::RemoveTags { .. }
    );
    let mut summary = BulkSummary {
        selected: ids.len(),
        ..Default::default()
    };
    for id in ids {
        let c = match load(&tx, id) {
            Ok(c) if can_see(actor, c.owner_user_id, c.department_id) => c,
            Ok(_) | Err(Error::NotFound(_)) => {
                summary.skipped.push(Skipped {
                    id,
                    number: String::new(),
                    code: "not_found".into(),
                });
                continue;
            }
            Err(e) => return Err(e),
        };
        if archive {
            if c.archived {
                summary.unchanged += 1;
                continue;
            }
            tx.execute("UPDATE customers SET archived = 1 WHERE id = ?1", [id])?;
            touch(&tx, now, actor.user_id, id)?;
            record(
                &tx,
                now,
                Some(actor.user_id),
                id,
                HistoryKind::Archived,
                NewEntry {
                    field: "archived",
                    old_value: Some(&json!(false)),
                    new_value: Some(&json!(true)),
                    ..Default::default()
                },
            )?;
            summary.applied += 1;
            continue;
        }
        if c.archived {
            summary.skipped.push(Skipped {
                id,
                number: c.number.clone(),
                code: "customer.archived".into(),
            });
            continue;
        }
        let changes = changes_for(&tx, &c, &input.action, owner_dept, &tags)?;
        if changes.is_empty() {
            summary.unchanged += 1;
            continue;
        }
        // The department moves with the owner: when the owner change waits for approval,
        // the department change is filed beside it rather than applied alone.
        let owner_requested = is_key("owner_user_id");
        let (requested, applied): (Vec<Change>, Vec<Change>) = changes
            .into_iter()
            .partition(|ch| is_key(&ch.field) || (owner_requested && ch.field == "department_id"));
        require_reason(&requested, &reason)?;
        if touches_search {
            search_index::unindex(&tx, id)?;
        }
        for ch in &applied {
            apply_recorded(&tx, now, actor.user_id, id, ch)?;
        }
        for ch in &requested {
            let cr = request_recorded(&tx, now, actor.user_id, id, ch, &reason)?;
            summary.change_request_ids.push(cr);
        }
        if !applied.is_empty() {
            touch(&tx, now, actor.user_id, id)?;
            summary.applied += 1;
        }
        if !requested.is_empty() {
            summary.requested += 1;
        }
        if touches_search {
            search_index::index(&tx, id)?;
        }
    }
    tx.commit()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::change_request::{decide_change, set_key_fields};
    use crate::customer::tests::{new_customer, now, team};
    use crate::customer::{HistoryKind, archive_customer, create_customer, get_customer, history};

    fn ids(v: &[i64]) -> Selection {
        Selection::Ids { ids: v.to_vec() }
    }

    fn input(selection: Selection, action: BulkAction, reason: &str) -> BulkInput {
        BulkInput {
            selection,
            action,
            reason: reason.into(),
        }
    }

    #[test]
    fn tier_changes_apply_at_once_and_report_unchanged_and_skipped() {
        let mut t = team();
        let mk = |t: &mut crate::customer::tests::Team, name: &str, tier: Tier| {
            let mut n = new_customer(name);
            n.customer.tier = tier;
            create_customer(&mut t.conn, now(), &t.s1, &n)
                .unwrap()
                .customer
        };
        let a = mk(&mut t, "甲公司", Tier::C);
        let b = mk(&mut t, "乙公司", Tier::A);
        let c = mk(&mut t, "丙公司", Tier::B);
        archive_customer(&mut t.conn, now(), &t.admin, c.id).unwrap();
        let other = create_customer(&mut t.conn, now(), &t.s2, &new_customer("丁公司"))
            .unwrap()
            .customer;

        // Staff, default key fields: tier is not key, so it saves at once.
        let s = bulk_apply(
            &mut t.conn,
            now(),
            &t.s1,
            &input(
                ids(&[a.id, b.id, c.id, other.id, a.id]),
                BulkAction::ChangeTier { tier: Tier::A },
                "",
            ),
        )
        .unwrap();
        assert_eq!(s.selected, 4, "repeats counted once");
        assert_eq!((s.applied, s.requested, s.unchanged), (1, 0, 1));
        let codes: Vec<(i64, &str)> = s.skipped.iter().map(|k| (k.id, k.code.as_str())).collect();
        assert_eq!(
            codes,
            [(c.id, "customer.archived"), (other.id, "not_found")]
        );
        assert!(s.change_request_ids.is_empty());

        let now_a = get_customer(&t.conn, &t.s1, a.id).unwrap().customer;
        assert_eq!(now_a.tier, Tier::A);
        assert_eq!(now_a.version, a.version + 1);
        let h = history(&t.conn, &t.s1, a.id).unwrap();
        assert_eq!(h[0].kind, HistoryKind::Updated);
        assert_eq!(h[0].field, "tier");
        assert_eq!(h[0].old_value, Some(json!("C")));
        assert_eq!(h[0].new_value, Some(json!("A")));
        // The unchanged one was not touched.
        assert_eq!(
            get_customer(&t.conn, &t.s1, b.id).unwrap().customer.version,
            b.version
        );
    }

    #[test]
    fn key_fields_changed_by_staff_become_requests_in_one_transaction() {
        let mut t = team();
        let a = create_customer(&mut t.conn, now(), &t.s1, &new_customer("甲公司"))
            .unwrap()
            .customer;
        let b = create_customer(&mut t.conn, now(), &t.s1, &new_customer("乙公司"))
            .unwrap()
            .customer;
        set_key_fields(&t.conn, now(), &t.admin, &["tier".into(), "stage".into()]).unwrap();

        // No reason: refused, and nothing was written for any customer.
        let action = || BulkAction::ChangeTier { tier: Tier::B };
        let err = bulk_apply(
            &mut t.conn,
            now(),
            &t.s1,
            &input(ids(&[a.id, b.id]), action(), " "),
        )
        .unwrap_err();
        assert_eq!(err.code(), "change_request.reason_required");
        for c in [&a, &b] {
            let d = get_customer(&t.conn, &t.s1, c.id).unwrap();
            assert_eq!(d.customer.version, c.version);
            assert!(d.pending_changes.is_empty());
        }

        let s = bulk_apply(
            &mut t.conn,
            now(),
            &t.s1,
            &input(ids(&[a.id, b.id]), action(), "年度评级调整"),
        )
        .unwrap();
        assert_eq!((s.applied, s.requested), (0, 2));
        assert_eq!(s.change_request_ids.len(), 2);
        let d = get_customer(&t.conn, &t.s1, a.id).unwrap();
        assert_eq!(d.customer.tier, Tier::C, "not saved before approval");
        assert_eq!(d.pending_changes.len(), 1);
        assert_eq!(d.pending_changes[0].field, "tier");
        assert_eq!(d.pending_changes[0].reason, "年度评级调整");
        assert_eq!(
            history(&t.conn, &t.s1, a.id).unwrap()[0].kind,
            HistoryKind::Requested
        );

        // The head approves one: it applies, through the request.
        decide_change(
            &mut t.conn,
            now(),
            &t.head_sales,
            d.pending_changes[0].id,
            true,
            "同意",
        )
        .unwrap();
        assert_eq!(
            get_customer(&t.conn, &t.s1, a.id).unwrap().customer.tier,
            Tier::B
        );
        assert_eq!(
            get_customer(&t.conn, &t.s1, b.id).unwrap().customer.tier,
            Tier::C
        );

        // Heads are approvers: their bulk change saves directly.
        let s = bulk_apply(
            &mut t.conn,
            now(),
            &t.head_sales,
            &input(ids(&[b.id]), action(), ""),
        )
        .unwrap();
        assert_eq!((s.applied, s.requested), (1, 0));
    }

    #[test]
    fn tags_on_all_matching_rows_follow_into_search() {
        let mut t = team();
        let a = create_customer(&mut t.conn, now(), &t.s1, &new_customer("甲公司"))
            .unwrap()
            .customer;
        let b = create_customer(&mut t.conn, now(), &t.s1, &new_customer("乙公司"))
            .unwrap()
            .customer;
        let c = create_customer(&mut t.conn, now(), &t.s1, &new_customer("丙公司"))
            .unwrap()
            .customer;
        // Another staff member's customer is outside s1's "all matching".
        let other = create_customer(&mut t.conn, now(), &t.s2, &new_customer("丁公司"))
            .unwrap()
            .customer;
        let all = Selection::Query {
            query: ListQuery::default(),
            except: vec![c.id],
        };
        let s = bulk_apply(
            &mut t.conn,
            now(),
            &t.s1,
            &input(
                all,
                BulkAction::AddTags {
                    tags: vec!["华东重点".into(), "vip".into()],
                },
                "",
            ),
        )
        .unwrap();
        assert_eq!((s.selected, s.applied), (2, 2));
        let names = |conn: &Connection, id| -> Vec<String> {
            get_customer(conn, &t.admin, id)
                .unwrap()
                .tags
                .into_iter()
                .map(|t| t.name)
                .collect()
        };
        assert_eq!(
            names(&t.conn, a.id),
            ["VIP", "华东重点"],
            "VIP kept once (case ignored)"
        );
        assert_eq!(names(&t.conn, c.id), ["VIP"], "unticked row left alone");
        assert_eq!(names(&t.conn, other.id), ["VIP"], "out of scope");
        let hits = crate::customer::search(&t.conn, &t.s1, "华东重点", 10).unwrap();
        let mut found: Vec<i64> = hits.customers.iter().map(|h| h.id).collect();
        found.sort();
        assert_eq!(found, [a.id, b.id]);

        let s = bulk_apply(
            &mut t.conn,
            now(),
            &t.s1,
            &input(
                ids(&[a.id, c.id]),
                BulkAction::RemoveTags {
                    tags: vec!["华东重点".into()],
                },
                "",
            ),
        )
        .unwrap();
        assert_eq!((s.applied, s.unchanged), (1, 1));
        assert_eq!(names(&t.conn, a.id), ["VIP"]);
        let err = bulk_apply(
            &mut t.conn,
            now(),
            &t.s1,
            &input(
                ids(&[a.id]),
                BulkAction::AddTags {
                    tags: vec![" ".into()],
                },
                "",
            ),
        )
        .unwrap_err();
        assert_eq!(err.code(), "bulk.tags_required");
        let err = bulk_apply(
            &mut t.conn,
            now(),
            &t.s1,
            &input(ids(&[]), BulkAction::ChangeTier { tier: Tier::A }, ""),
        )
        .unwrap_err();
        assert_eq!(err.code(), "bulk.selection_empty");
    }

    #[test]
    fn owner_changes_move_the_department_and_archive_needs_rights() {
        let mut t = team();
        let a = create_customer(&mut t.conn, now(), &t.s3, &new_customer("甲公司"))
            .unwrap()
            .customer;
        let b = create_customer(&mut t.conn, now(), &t.s3, &new_customer("乙公司"))
            .unwrap()
            .customer;
        // Staff may only hand customers to themselves.
        let err = bulk_apply(
            &mut t.conn,
            now(),
            &t.s3,
            &input(
                ids(&[a.id]),
                BulkAction::ChangeOwner {
                    owner_user_id: t.s1.user_id,
                },
                "",
            ),
        )
        .unwrap_err();
        assert_eq!(err.code(), "auth.forbidden");
        // The admin moves both from cs to s1 in sales: the department follows.
        let s = bulk_apply(
            &mut t.conn,
            now(),
            &t.admin,
            &input(
                ids(&[a.id, b.id]),
                BulkAction::ChangeOwner {
                    owner_user_id: t.s1.user_id,
                },
                "",
            ),
        )
        .unwrap();
        assert_eq!(s.applied, 2);
        let now_a = get_customer(&t.conn, &t.s1, a.id).unwrap().customer;
        assert_eq!(now_a.owner_user_id, Some(t.s1.user_id));
        assert_eq!(now_a.department_id, t.s1.department_id);
        let fields: Vec<String> = history(&t.conn, &t.admin, a.id)
            .unwrap()
            .into_iter()
            .take(2)
            .map(|h| h.field)
            .collect();
        assert!(
            fields.contains(&"owner_user_id".to_string())
                && fields.contains(&"department_id".to_string())
        );

        // The viewer may not archive; s1 archives both; again is unchanged.
        let arch = || input(ids(&[a.id, b.id]), BulkAction::Archive, "");
        assert_eq!(
            bulk_apply(&mut t.conn, now(), &t.viewer, &arch())
                .unwrap_err()
                .code(),
            "auth.forbidden"
        );
        let s = bulk_apply(&mut t.conn, now(), &t.s1, &arch()).unwrap();
        assert_eq!(s.applied, 2);
        assert!(
            get_customer(&t.conn, &t.s1, a.id)
                .unwrap()
                .customer
                .archived
        );
        assert_eq!(
            history(&t.conn, &t.s1, a.id).unwrap()[0].kind,
            HistoryKind::Archived
        );
        let s = bulk_apply(&mut t.conn, now(), &t.s1, &arch()).unwrap();
        assert_eq!((s.applied, s.unchanged), (0, 2));
    }
}
