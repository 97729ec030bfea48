//! Storage-level tests of the customer domain: a team with departments, heads and staff.

use super::*;
use crate::account::{Actor, NewUser, create_user, login};
use crate::money::Money;
use crate::permission::Role;
use crate::team::setup;
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;

pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap()
}

/// A team: admin; sales (head `h1`, staff `s1`, `s2`); cs (head `h2`, staff `s3`); supervisor.
pub(crate) struct Team {
    pub conn: Connection,
    pub admin: Actor,
    pub head_sales: Actor,
    pub head_cs: Actor,
    pub s1: Actor,
    pub s2: Actor,
    pub s3: Actor,
    pub viewer: Actor,
}

fn user(conn: &Connection, name: &str, role: Role, dept: Option<i64>) -> Actor {
    create_user(
        conn,
        now(),
        &NewUser {
            username: name.into(),
            display_name: name.into(),
            role,
            title: String::new(),
            department_id: dept,
            phone: String::new(),
            email: String::new(),
            password: "password-123".into(),
        },
    )
    .unwrap();
    login(conn, now(), name, "password-123").unwrap()
}

pub(crate) fn team() -> Team {
    let mut conn = crate::db::open_in_memory().unwrap();
    let admin = setup(&mut conn, now(), &crate::testutil::team_setup("测试公司")).unwrap();
    let dept = |code: &str| -> i64 {
        conn.query_row("SELECT id FROM departments WHERE code = ?1", [code], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let (sales, cs) = (dept("sales"), dept("cs"));
    let head_sales = user(&conn, "h1", Role::Head, Some(sales));
    let head_cs = user(&conn, "h2", Role::Head, Some(cs));
    let s1 = user(&conn, "s1", Role::Staff, Some(sales));
    let s2 = user(&conn, "s2", Role::Staff, Some(sales));
    let s3 = user(&conn, "s3", Role::Staff, Some(cs));
    let viewer = user(&conn, "v", Role::Viewer, None);
    Team {
        conn,
        admin,
        head_sales,
        head_cs,
        s1,
        s2,
        s3,
        viewer,
    }
}

pub(crate) fn contact(name: &str, mobile: &str, email: &str, primary: bool) -> ContactInput {
    ContactInput {
        name: name.into(),
        mobile: mobile.into(),
        email: email.into(),
        is_primary: primary,
        ..Default::default()
    }
}

pub(crate) fn new_customer(name: &str) -> NewCustomer {
    NewCustomer {
        customer: CustomerInput {
            name: name.into(),
            industry: "制造业".into(),
            annual_amount: Money(1_000_000),
            stage: Stage::Signed,
            ..Default::default()
        },
        contacts: vec![contact("张三", "138 0013 8000", "zhang@example.com", true)],
        tags: vec!["VIP".into()],
    }
}

/// The update form as loaded from a detail page.
pub(crate) fn form(d: &CustomerDetail) -> CustomerUpdate {
    let c = &d.customer;
    CustomerUpdate {
        version: c.version,
        customer: store::customer_as_input(c),
        contacts: d.contacts.iter().map(fields::contact_as_input).collect(),
        tags: d.tags.iter().map(|t| t.name.clone()).collect(),
        reason: String::new(),
    }
}

#[test]
fn create_numbers_defaults_and_history() {
    let mut t = team();
    let d = create_customer(&mut t.conn, now(), &t.s1, &new_customer("中山集团有限公司")).unwrap();
    assert_eq!(d.customer.number, "KH-2026-00001");
    assert_eq!(d.customer.owner_user_id, Some(t.s1.user_id));
    assert_eq!(
        d.customer.department_id, t.s1.department_id,
        "owner's department"
    );
    assert_eq!(d.contacts[0].mobile, "13800138000");
    assert!(d.contacts[0].is_primary);
    assert_eq!(d.tags[0].name, "VIP");
    assert_eq!(d.customer.version, 1);
    let d2 = create_customer(&mut t.conn, now(), &t.s1, &new_customer("华为技术有限公司")).unwrap();
    assert_eq!(d2.customer.number, "KH-2026-00002");
    let h = history(&t.conn, &t.s1, d.customer.id).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].kind, HistoryKind::Created);
    assert_eq!(h[0].new_value.as_ref().unwrap()["name"], "中山集团有限公司");
    // Bad input is refused with a clear code and nothing is stored (the number is not used).
    let mut bad = new_customer("坏数据");
    bad.contacts[0].mobile = "12345".into();
    let e = create_customer(&mut t.conn, now(), &t.s1, &bad).unwrap_err();
    assert_eq!(e.code(), "contact.mobile_invalid");
    let d3 = create_customer(&mut t.conn, now(), &t.s1, &new_customer("第三")).unwrap();
    assert_eq!(d3.customer.number, "KH-2026-00003");
    // Viewers cannot create; staff cannot give customers to someone else.
    assert!(matches!(
        create_customer(&mut t.conn, now(), &t.viewer, &new_customer("x")),
        Err(crate::Error::Forbidden(_))
    ));
    let mut other = new_customer("x");
    other.customer.owner_user_id = Some(t.s2.user_id);
    assert!(matches!(
        create_customer(&mut t.conn, now(), &t.s1, &other),
        Err(crate::Error::Forbidden(_))
    ));
}

#[test]
fn scope_staff_own_heads_department_others_all() {
    let mut t = team();
    let a = create_customer(&mut t.conn, now(), &t.s1, &new_customer("甲公司")).unwrap();
    let b = create_customer(&mut t.conn, now(), &t.s2, &new_customer("乙公司")).unwrap();
    let c = create_customer(&mut t.conn, now(), &t.s3, &new_customer("丙公司")).unwrap();
    let ids = |actor: &Actor| -> Vec<i64> {
        let mut v: Vec<i64> = list_customers(&t.conn, now(), actor, &ListQuery::default())
            .unwrap()
            .items
            .iter()
            .map(|c| c.id)
            .collect();
        v.sort();
        v
    };
    let (a, b, c) = (a.customer.id, b.customer.id, c.customer.id);
    assert_eq!(ids(&t.s1), [a]);
    assert_eq!(ids(&t.head_sales), [a, b]);
    assert_eq!(ids(&t.head_cs), [c]);
    assert_eq!(ids(&t.admin), [a, b, c]);
    assert_eq!(ids(&t.viewer), [a, b, c]);
    assert_eq!(
        get_customer(&t.conn, &t.s1, b).unwrap_err().code(),
        "not_found"
    );
    let r = search(&t.conn, &t.s1, "公司", 20).unwrap();
    assert_eq!(r.customers.iter().map(|h| h.id).collect::<Vec<_>>(), [a]);
    // Staff find their customer by its contact's phone and pinyin too (the contacts'
    // documents are searched beside the customer's own).
    for q in ["13800138", "zhangsan"] {
        let r = search(&t.conn, &t.s1, q, 20).unwrap();
        assert_eq!(
            r.customers.iter().map(|h| h.id).collect::<Vec<_>>(),
            [a],
            "{q}"
        );
        assert_eq!(r.contacts.len(), 1, "{q}");
    }
    let r = search(&t.conn, &t.admin, "公司", 20).unwrap();
    assert_eq!(r.customers.len(), 3);
}

#[test]
fn optimistic_concurrency_refuses_stale_edits() {
    let mut t = team();
    let d = create_customer(&mut t.conn, now(), &t.s1, &new_customer("甲公司")).unwrap();
    let mut f1 = form(&d);
    let mut f2 = form(&d);
    f1.customer.products = "软件".into();
    let out = update_customer(&mut t.conn, now(), &t.s1, d.customer.id, &f1).unwrap();
    assert_eq!(out.customer.customer.version, 2);
    assert_eq!(out.applied, ["products"]);
    f2.customer.products = "硬件".into();
    let e = update_customer(&mut t.conn, now(), &t.s1, d.customer.id, &f2).unwrap_err();
    assert_eq!(e.code(), "customer.changed_elsewhere");
    let now_d = get_customer(&t.conn, &t.s1, d.customer.id).unwrap();
    assert_eq!(now_d.customer.products, "软件", "no silent overwrite");
    // An unchanged form changes nothing.
    let same = update_customer(&mut t.conn, now(), &t.s1, d.customer.id, &form(&now_d)).unwrap();
    assert_eq!(same.customer.customer.version, 2);
    assert!(same.applied.is_empty());
}

#[test]
fn staff_key_field_edits_become_requests_the_head_approves() {
    let mut t = team();
    let d = create_customer(&mut t.conn, now(), &t.s1, &new_customer("甲公司")).unwrap();
    let id = d.customer.id;
    let mut f = form(&d);
    f.customer.annual_amount = Money(2_000_000);
    f.customer.products = "咨询".into();
    f.contacts[0].mobile = "139 0000 0000".into();
    let e = update_customer(&mut t.conn, now(), &t.s1, id, &f).unwrap_err();
    assert_eq!(e.code(), "change_request.reason_required");
    f.reason = "续约加量".into();
    let out = update_customer(&mut t.conn, now(), &t.s1, id, &f).unwrap();
    assert_eq!(out.applied, ["products"], "other fields save at once");
    assert_eq!(out.requested.len(), 2);
    let c = &out.customer;
    assert_eq!(
        c.customer.annual_amount,
        Money(1_000_000),
        "key field unchanged"
    );
    assert_eq!(c.contacts[0].mobile, "13800138000");
    assert_eq!(c.customer.products, "咨询");
    assert_eq!(
        c.pending_changes.len(),
        2,
        "the record shows its pending requests"
    );
    let amount_cr = out
        .requested
        .iter()
        .find(|r| r.field == "annual_amount")
        .unwrap();
    assert_eq!(amount_cr.old_value, serde_json::json!(1_000_000));
    assert_eq!(amount_cr.new_value, serde_json::json!(2_000_000));
    assert_eq!(amount_cr.reason, "续约加量");
    assert_eq!(amount_cr.requested_by, Some(t.s1.user_id));

    // Who may decide: the sales head and admins; not the cs head, not staff.
    let pending = list_pending(&t.conn, now(), &t.head_sales).unwrap();
    assert_eq!(pending.len(), 2);
    assert!(list_pending(&t.conn, now(), &t.head_cs).unwrap().is_empty());
    assert!(matches!(
        decide_change(&mut t.conn, now(), &t.head_cs, amount_cr.id, true, ""),
        Err(crate::Error::Forbidden(_))
    ));
    assert!(matches!(
        decide_change(&mut t.conn, now(), &t.s2, amount_cr.id, true, ""),
        Err(crate::Error::Forbidden(_))
    ));
    // Overdue after 24 h.
    assert!(!amount_cr.is_overdue(now() + chrono::Duration::hours(24)));
    assert!(amount_cr.is_overdue(now() + chrono::Duration::hours(25)));
    let later = now() + chrono::Duration::hours(30);
    assert!(list_pending(&t.conn, later, &t.admin).unwrap()[0].overdue);

    let approved = decide_change(
        &mut t.conn,
        later,
        &t.head_sales,
        amount_cr.id,
        true,
        "同意",
    )
    .unwrap();
    assert_eq!(approved.status, RequestStatus::Approved);
    let after = get_customer(&t.conn, &t.s1, id).unwrap();
    assert_eq!(after.customer.annual_amount, Money(2_000_000));
    assert_eq!(after.pending_changes.len(), 1);
    assert_eq!(
        decide_change(&mut t.conn, later, &t.head_sales, amount_cr.id, true, "")
            .unwrap_err()
            .code(),
        "change_request.already_decided"
    );
    // Rejecting needs a comment and leaves the record unchanged.
    let phone_cr = after.pending_changes[0].id;
    assert_eq!(
        decide_change(&mut t.conn, later, &t.admin, phone_cr, false, " ")
            .unwrap_err()
            .code(),
        "change_request.comment_required"
    );
    decide_change(&mut t.conn, later, &t.admin, phone_cr, false, "号码有误").unwrap();
    let after = get_customer(&t.conn, &t.s1, id).unwrap();
    assert_eq!(after.contacts[0].mobile, "13800138000");
    assert!(after.pending_changes.is_empty());

    // The history shows every step with its request.
    let h = history(&t.conn, &t.s1, id).unwrap();
    let kinds: Vec<(HistoryKind, &str)> = h.iter().map(|e| (e.kind, e.field.as_str())).collect();
    assert!(kinds.contains(&(HistoryKind::Updated, "products")));
    assert!(kinds.contains(&(HistoryKind::Requested, "annual_amount")));
    assert!(kinds.contains(&(HistoryKind::Approved, "annual_amount")));
    assert!(kinds.contains(&(HistoryKind::Rejected, "contact_phone")));
    let approved_entry = h.iter().find(|e| e.kind == HistoryKind::Approved).unwrap();
    assert_eq!(approved_entry.change_request_id, Some(amount_cr.id));
    assert_eq!(approved_entry.user_id, Some(t.head_sales.user_id));
}

#[test]
fn approval_refuses_when_the_value_moved_on() {
    let mut t = team();
    let d = create_customer(&mut t.conn, now(), &t.s1, &new_customer("甲公司")).unwrap();
    let id = d.customer.id;
    let mut f = form(&d);
    f.customer.stage = Stage::Strategic;
    f.reason = "升级".into();
    let out = update_customer(&mut t.conn, now(), &t.s1, id, &f).unwrap();
    let cr = out.requested[0].id;
    // The head changes the stage directly meanwhile.
    let mut hf = form(&get_customer(&t.conn, &t.head_sales, id).unwrap());
    hf.customer.stage = Stage::Churned;
    let direct = update_customer(&mut t.conn, now(), &t.head_sales, id, &hf).unwrap();
    assert_eq!(direct.applied, ["stage"], "heads edit key fields directly");
    assert!(direct.requested.is_empty());
    let e = decide_change(&mut t.conn, now(), &t.head_sales, cr, true, "").unwrap_err();
    assert_eq!(e.code(), "change_request.stale");
    assert_eq!(
        get_customer(&t.conn, &t.admin, id).unwrap().customer.stage,
        Stage::Churned
    );
}

#[test]
fn primary_contact_changes_and_removals_by_staff_wait_for_approval() {
    let mut t = team();
    let mut n = new_customer("甲公司");
    n.contacts
        .push(contact("李四", "", "li@example.com", false));
    let d = create_customer(&mut t.conn, now(), &t.s1, &n).unwrap();
    let id = d.customer.id;
    let zhang = d.contacts.iter().find(|c| c.name == "张三").unwrap().id;
    let li = d.contacts.iter().find(|c| c.name == "李四").unwrap().id;
    let mut f = form(&d);
    for c in &mut f.contacts {
        c.is_primary = c.id == Some(li);
        if c.id == Some(li) {
            c.position = "经理".into();
        }
    }
    f.contacts.push(contact("王五", "", "", false));
    f.reason = "对接人变更".into();
    let out = update_customer(&mut t.conn, now(), &t.s1, id, &f).unwrap();
    assert!(out.applied.contains(&"contact_position".to_string()));
    assert!(out.applied.contains(&"contact_added".to_string()));
    assert_eq!(out.requested.len(), 1);
    assert_eq!(out.requested[0].field, "primary_contact");
    let now_d = &out.customer;
    assert_eq!(now_d.contacts.len(), 3);
    assert_eq!(
        now_d.contacts.iter().find(|c| c.is_primary).unwrap().id,
        zhang
    );
    decide_change(
        &mut t.conn,
        now(),
        &t.head_sales,
        out.requested[0].id,
        true,
        "",
    )
    .unwrap();
    let after = get_customer(&t.conn, &t.s1, id).unwrap();
    assert_eq!(after.contacts.iter().find(|c| c.is_primary).unwrap().id, li);
    assert_eq!(after.contacts.iter().filter(|c| c.is_primary).count(), 1);
    // Removing a contact with a phone is a key change for staff too.
    let mut f = form(&after);
    f.contacts.retain(|c| c.id != Some(zhang));
    f.reason = "离职".into();
    let out = update_customer(&mut t.conn, now(), &t.s1, id, &f).unwrap();
    assert_eq!(out.requested[0].field, "contact_removed");
    assert_eq!(out.customer.contacts.len(), 3);
    decide_change(&mut t.conn, now(), &t.admin, out.requested[0].id, true, "").unwrap();
    assert_eq!(get_customer(&t.conn, &t.s1, id).unwrap().contacts.len(), 2);
}

#[test]
fn key_fields_are_configurable() {
    let mut t = team();
    assert_eq!(key_fields(&t.conn).unwrap().len(), 5);
    assert!(set_key_fields(&t.conn, now(), &t.head_sales, &["tier".into()]).is_err());
    assert_eq!(
        set_key_fields(&t.conn, now(), &t.admin, &["nonsense".into()])
            .unwrap_err()
            .code(),
        "change_request.field_unknown"
    );
    set_key_fields(&t.conn, now(), &t.admin, &["tier".into()]).unwrap();
    let d = create_customer(&mut t.conn, now(), &t.s1, &new_customer("甲公司")).unwrap();
    let mut f = form(&d);
    f.customer.tier = Tier::A;
    f.customer.annual_amount = Money(5);
    f.reason = "r".into();
    let out = update_customer(&mut t.conn, now(), &t.s1, d.customer.id, &f).unwrap();
    assert_eq!(out.applied, ["annual_amount"]);
    assert_eq!(out.requested[0].field, "tier");
}

#[test]
fn history_is_append_only() {
    let mut t = team();
    let d = create_customer(&mut t.conn, now(), &t.s1, &new_customer("甲公司")).unwrap();
    assert!(
        t.conn
            .execute("UPDATE customer_history SET field = 'x'", [])
            .is_err()
    );
    assert!(
        t.conn
            .execute("UPDATE customer_history SET customer_id = 99", [])
            .is_err()
    );
    assert!(t.conn.execute("DELETE FROM customer_history", []).is_err());
    assert_eq!(history(&t.conn, &t.admin, d.customer.id).unwrap().len(), 1);
}

#[test]
fn list_filters_sort_and_pages() {
    let mut t = team();
    for (i, name) in ["甲公司", "乙公司", "丙公司", "丁公司", "戊公司"]
        .iter()
        .enumerate()
    {
        let mut n = new_customer(name);
        n.customer.annual_amount = Money(i as i64 * 100);
        n.customer.tier = if i % 2 == 0 { Tier::A } else { Tier::B };
        n.customer.industry = if i < 2 {
            "零售业".into()
        } else {
            "制造业".into()
        };
        if i == 4 {
            n.tags = vec!["重点".into()];
        }
        create_customer(&mut t.conn, now(), &t.admin, &n).unwrap();
    }
    let page = |q: ListQuery| list_customers(&t.conn, now(), &t.admin, &q).unwrap();
    let p = page(ListQuery {
        sort: SortKey::AnnualAmount,
        desc: true,
        limit: 2,
        offset: 1,
        ..Default::default()
    });
    assert_eq!(p.total, 5);
    assert_eq!(
        p.items.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["丁公司", "丙公司"]
    );
    assert_eq!(
        page(ListQuery {
            tier: Some(Tier::A),
            ..Default::default()
        })
        .total,
        3
    );
    assert_eq!(
        page(ListQuery {
            industry: Some("零售业".into()),
            ..Default::default()
        })
        .total,
        2
    );
    let tag = list_tags(&t.conn, &t.admin)
        .unwrap()
        .into_iter()
        .find(|t| t.name == "重点")
        .unwrap();
    assert_eq!(
        page(ListQuery {
            tag_id: Some(tag.id),
            ..Default::default()
        })
        .total,
        1
    );
    assert_eq!(
        page(ListQuery {
            q: Some("丙".into()),
            ..Default::default()
        })
        .total,
        1
    );
    assert_eq!(
        page(ListQuery {
            q: Some("zhang".into()),
            ..Default::default()
        })
        .total,
        5
    );
    t.conn
        .execute(
            "UPDATE customers SET last_contact_at = ?1 WHERE name = '甲公司'",
            [now().timestamp() - 86_400],
        )
        .unwrap();
    assert_eq!(
        page(ListQuery {
            no_contact_days: Some(7),
            ..Default::default()
        })
        .total,
        4
    );
    assert_eq!(
        page(ListQuery {
            stage: Some(Stage::Potential),
            ..Default::default()
        })
        .total,
        0
    );
    assert_eq!(
        list_customers(
            &t.conn,
            now(),
            &t.admin,
            &ListQuery {
                limit: 501,
                ..Default::default()
            }
        )
        .unwrap_err()
        .code(),
        "list.limit_invalid"
    );
}

#[test]
fn search_by_chinese_pinyin_phone_email_tag() {
    let mut t = team();
    let mut zs = new_customer("中山集团有限公司");
    zs.contacts = vec![contact("张伟", "13888881234", "wei@zs.cn", true)];
    zs.tags = vec!["技术导向型".into()];
    create_customer(&mut t.conn, now(), &t.admin, &zs).unwrap();
    let mut hw = new_customer("华为技术有限公司");
    hw.contacts = vec![contact("李娜", "13912345678", "na@huawei.com", true)];
    create_customer(&mut t.conn, now(), &t.admin, &hw).unwrap();
    let admin = t.admin.clone();
    let names_in = |conn: &Connection, q: &str| -> (Vec<String>, Vec<String>) {
        let r = search(conn, &admin, q, 20).unwrap();
        (
            r.customers.into_iter().map(|h| h.name).collect(),
            r.contacts.into_iter().map(|h| h.name).collect(),
        )
    };
    assert_eq!(names_in(&t.conn, "华为").0, ["华为技术有限公司"]);
    assert_eq!(names_in(&t.conn, "张").1, ["张伟"]);
    assert_eq!(names_in(&t.conn, "zsjt").0, ["中山集团有限公司"]);
    assert_eq!(names_in(&t.conn, "zs").0, ["中山集团有限公司"]);
    assert_eq!(names_in(&t.conn, "zhongshan").0, ["中山集团有限公司"]);
    assert_eq!(names_in(&t.conn, "1388").1, ["张伟"]);
    assert_eq!(
        names_in(&t.conn, "1388").0,
        ["中山集团有限公司"],
        "customers by contact phone"
    );
    assert_eq!(names_in(&t.conn, "138 8888").1, ["张伟"]);
    assert_eq!(names_in(&t.conn, "HUAWEI.COM").1, ["李娜"]);
    assert_eq!(names_in(&t.conn, "导向").0, ["中山集团有限公司"]);
    assert_eq!(names_in(&t.conn, "有限公司").0.len(), 2);
    assert!(names_in(&t.conn, "不存在的").0.is_empty());
    assert!(names_in(&t.conn, "  ").0.is_empty());
    // Exact and prefix matches first.
    create_customer(&mut t.conn, now(), &t.admin, &new_customer("新华为")).unwrap();
    assert_eq!(names_in(&t.conn, "华为").0[0], "华为技术有限公司");
    // The index follows edits.
    let id = search(&t.conn, &t.admin, "华为技术", 5).unwrap().customers[0].id;
    let mut f = form(&get_customer(&t.conn, &t.admin, id).unwrap());
    f.customer.name = "鸿蒙科技".into();
    update_customer(&mut t.conn, now(), &t.admin, id, &f).unwrap();
    assert!(names_in(&t.conn, "华为技术").0.is_empty());
    assert_eq!(names_in(&t.conn, "鸿蒙").0, ["鸿蒙科技"]);
    assert_eq!(names_in(&t.conn, "hmkj").0, ["鸿蒙科技"]);
}

/// The trigram indexes know which documents hold a trigram, not where: a document holding
/// every trigram of a query but not the query itself is found neither by the search nor by
/// the list's text filter.
#[test]
fn a_query_matches_whole_not_as_scattered_trigrams() {
    let mut t = team();
    // 中山集 and 山集团 (the trigrams of 中山集团), 138 and 388 (those of 1388), apart.
    let mut apart = new_customer("中山集合山集团");
    apart.contacts = vec![contact("王芳", "13800000388", "", true)];
    create_customer(&mut t.conn, now(), &t.s1, &apart).unwrap();
    let mut whole = new_customer("中山集团");
    whole.contacts = vec![contact("李娜", "13913880000", "", true)];
    create_customer(&mut t.conn, now(), &t.s1, &whole).unwrap();
    // The team's search looks in the indexes; its owner's scans their customers' documents.
    let found_by = |who: &Actor, q: &str| {
        let r = search(&t.conn, who, q, 20).unwrap();
        let customers: Vec<String> = r.customers.into_iter().map(|h| h.name).collect();
        let contacts: Vec<String> = r.contacts.into_iter().map(|h| h.name).collect();
        (customers, contacts)
    };
    let found = |q: &str| {
        let team_wide = found_by(&t.admin, q);
        assert_eq!(
            found_by(&t.s1, q),
            team_wide,
            "{q}: the owner's scan agrees"
        );
        team_wide
    };
    assert_eq!(found("中山集团").0, ["中山集团"]);
    assert_eq!(
        found("1388"),
        (vec!["中山集团".to_string()], vec!["李娜".to_string()])
    );
    assert_eq!(found("中山集").0.len(), 2, "one trigram: both hold it");
    let listed = |q: &str| -> Vec<String> {
        list_customers(
            &t.conn,
            now(),
            &t.admin,
            &ListQuery {
                q: Some(q.into()),
                ..Default::default()
            },
        )
        .unwrap()
        .items
        .into_iter()
        .map(|c| c.name)
        .collect()
    };
    assert_eq!(listed("中山集团"), ["中山集团"]);
    assert_eq!(listed("1388"), ["中山集团"]);
}

/// A short query that matches more names than are ranked looks at the names it starts first,
/// then at the newest of the rest; a character no name gram holds matches nothing.
#[test]
fn short_queries_rank_name_starts_then_the_newest_matches() {
    let mut t = team();
    let mut first = new_customer("客户甲");
    first.contacts = vec![contact("华强", "", "", true)];
    create_customer(&mut t.conn, now(), &t.admin, &first).unwrap();
    let mut ids = Vec::new();
    for i in 0..210 {
        let mut c = new_customer(&format!("客户{i:03}"));
        c.contacts = vec![contact("李华", "", "", true)];
        ids.push(
            create_customer(&mut t.conn, now(), &t.admin, &c)
                .unwrap()
                .contacts[0]
                .id,
        );
    }
    let r = search(&t.conn, &t.admin, "华", 20).unwrap();
    assert_eq!(
        r.contacts[0].name, "华强",
        "the name it starts, though the oldest"
    );
    let found: Vec<i64> = r.contacts[1..].iter().map(|h| h.id).collect();
    // 199 of the 210 are ranked: the newest; of these the list shows the lowest ids.
    assert_eq!(found, ids[11..30]);
    assert!(
        search(&t.conn, &t.admin, "华.", 20)
            .unwrap()
            .contacts
            .is_empty()
    );
    assert!(
        search(&t.conn, &t.admin, "李华", 20)
            .unwrap()
            .contacts
            .len()
            == 20
    );
}

#[test]
fn duplicates_by_name_mobile_email() {
    let mut t = team();
    let d = create_customer(&mut t.conn, now(), &t.s1, &new_customer("中山集团有限公司")).unwrap();
    let found = check_duplicates(
        &t.conn,
        &t.s3,
        &DuplicateProbe {
            name: "中山 有限公司".into(),
            mobiles: vec!["+86 138-0013-8000".into()],
            emails: vec!["ZHANG@example.com".into()],
            exclude_id: None,
        },
    )
    .unwrap();
    let reasons: Vec<DuplicateReason> = found.iter().map(|m| m.reason).collect();
    assert_eq!(
        reasons,
        [
            DuplicateReason::SameName,
            DuplicateReason::SameMobile,
            DuplicateReason::SameEmail
        ]
    );
    assert!(found.iter().all(|m| m.customer_id == d.customer.id));
    assert!(
        find_duplicates(
            &t.conn,
            &DuplicateProbe {
                name: "中川".into(),
                ..Default::default()
            }
        )
        .unwrap()
        .is_empty()
    );
}

#[test]
fn archive_hides_restore_shows_erase_removes_personal_data() {
    let mut t = team();
    let d = create_customer(&mut t.conn, now(), &t.s1, &new_customer("中山集团有限公司")).unwrap();
    let id = d.customer.id;
    let total = |conn: &Connection, archived: bool| {
        list_customers(
            conn,
            now(),
            &t.admin,
            &ListQuery {
                archived,
                ..Default::default()
            },
        )
        .unwrap()
        .total
    };
    archive_customer(&mut t.conn, now(), &t.s1, id).unwrap();
    assert_eq!(total(&t.conn, false), 0, "hidden by default");
    assert_eq!(total(&t.conn, true), 1);
    assert!(
        search(&t.conn, &t.admin, "中山", 20)
            .unwrap()
            .customers
            .is_empty()
    );
    let mut f = form(&get_customer(&t.conn, &t.s1, id).unwrap());
    f.customer.products = "x".into();
    assert_eq!(
        update_customer(&mut t.conn, now(), &t.s1, id, &f)
            .unwrap_err()
            .code(),
        "customer.archived"
    );
    restore_customer(&mut t.conn, now(), &t.s1, id).unwrap();
    assert_eq!(total(&t.conn, false), 1);
    let kinds: Vec<HistoryKind> = history(&t.conn, &t.s1, id)
        .unwrap()
        .iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(kinds[..2], [HistoryKind::Restored, HistoryKind::Archived]);
    // Erase: admin only, the number typed back.
    assert!(matches!(
        erase_customer(&mut t.conn, now(), &t.head_sales, id, "KH-2026-00001"),
        Err(crate::Error::Forbidden(_))
    ));
    assert_eq!(
        erase_customer(&mut t.conn, now(), &t.admin, id, "KH-2026-00002")
            .unwrap_err()
            .code(),
        "customer.erase_confirmation_mismatch"
    );
    erase_customer(&mut t.conn, now(), &t.admin, id, " KH-2026-00001 ").unwrap();
    let count = |sql: &str| -> i64 { t.conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM customers"), 0);
    assert_eq!(count("SELECT count(*) FROM contacts"), 0);
    assert_eq!(count("SELECT count(*) FROM customer_tags"), 0);
    assert_eq!(count("SELECT count(*) FROM customer_history"), 0);
    assert_eq!(count("SELECT count(*) FROM customer_history_permits"), 0);
    assert_eq!(count("SELECT count(*) FROM customer_fts"), 0);
    assert_eq!(count("SELECT count(*) FROM contact_fts"), 0);
    for table in ["customer_grams", "contact_grams"] {
        assert!(crate::customer::search_index::tests::gram_postings(&t.conn, table).is_empty());
    }
    let detail: String = t
        .conn
        .query_row(
            "SELECT detail FROM audit_log WHERE action = 'customer.erase'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(detail, "KH-2026-00001");
    let audit_text: String = t
        .conn
        .query_row("SELECT group_concat(detail, '|') FROM audit_log", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(!audit_text.contains("中山") && !audit_text.contains("13800138000"));
    // The number is not reused.
    let again = create_customer(&mut t.conn, now(), &t.s1, &new_customer("新客户")).unwrap();
    assert_eq!(again.customer.number, "KH-2026-00002");
    // After the erasure, the history is append-only again.
    assert!(t.conn.execute("DELETE FROM customer_history", []).is_err());
}

#[test]
fn merge_moves_everything_and_records_it() {
    let mut t = team();
    let a = create_customer(&mut t.conn, now(), &t.s1, &new_customer("中山集团有限公司")).unwrap();
    let mut bn = new_customer("中山有限公司");
    bn.contacts = vec![contact("李四", "13900001111", "", true)];
    bn.tags = vec!["重点".into(), "VIP".into()];
    let b = create_customer(&mut t.conn, now(), &t.s1, &bn).unwrap();
    let (a_id, b_id) = (a.customer.id, b.customer.id);
    // A pending request on the absorbed record moves along.
    let mut f = form(&b);
    f.customer.stage = Stage::Strategic;
    f.reason = "r".into();
    update_customer(&mut t.conn, now(), &t.s1, b_id, &f).unwrap();
    assert!(matches!(
        merge_customers(&mut t.conn, now(), &t.s1, a_id, b_id),
        Err(crate::Error::Forbidden(_))
    ));
    assert_eq!(
        merge_customers(&mut t.conn, now(), &t.head_sales, a_id, a_id)
            .unwrap_err()
            .code(),
        "customer.merge_same"
    );
    let m = merge_customers(&mut t.conn, now(), &t.head_sales, a_id, b_id).unwrap();
    assert_eq!(m.contacts.len(), 2);
    assert_eq!(m.contacts.iter().filter(|c| c.is_primary).count(), 1);
    assert_eq!(m.contacts[0].name, "张三", "the survivor keeps its primary");
    let mut tags: Vec<String> = m.tags.iter().map(|t| t.name.clone()).collect();
    tags.sort();
    assert_eq!(tags, ["VIP", "重点"]);
    assert_eq!(m.pending_changes.len(), 1);
    assert_eq!(
        get_customer(&t.conn, &t.admin, b_id).unwrap_err().code(),
        "not_found"
    );
    let h = history(&t.conn, &t.admin, a_id).unwrap();
    assert_eq!(h[0].kind, HistoryKind::Merged);
    assert_eq!(h[0].old_value.as_ref().unwrap()["number"], "KH-2026-00002");
    assert_eq!(
        h.iter().filter(|e| e.kind == HistoryKind::Created).count(),
        2,
        "the absorbed history moved to the survivor"
    );
    let r = search(&t.conn, &t.admin, "1390000", 20).unwrap();
    assert_eq!(r.customers.iter().map(|c| c.id).collect::<Vec<_>>(), [a_id]);
    let permits: i64 = t
        .conn
        .query_row("SELECT count(*) FROM customer_history_permits", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(permits, 0);
}

mod import_export {
    use super::*;
    use crate::customer::export::{ExportLayout, export_csv, export_xlsx};
    use crate::customer::import::{DuplicatePolicy, apply, detect_mapping, preview, read_sheet};

    const HEADER: &str = "客户名称,所属行业,合作产品/服务,合同金额,对接人姓名,职位,联系电话,邮箱,首次合作日期,合作期限,客户标签,信息来源,首次合作反馈,后续维护责任人,联系方式,最后跟进时间,下次跟进计划,价值等级,合作阶段\n";

    fn file(rows: &[&str]) -> Vec<u8> {
        let mut s = HEADER.to_string();
        for r in rows {
            s.push_str(r);
            s.push('\n');
        }
        s.into_bytes()
    }

    /// An import that at least doubles the customers builds their secondary indexes after
    /// writing the rows: when it commits they are all back as defined, with statistics; when a
    /// row stops it, nothing of the schema changed either.
    #[test]
    fn a_large_import_builds_the_indexes_again_before_it_commits() {
        let mut t = team();
        let indexes = |c: &rusqlite::Connection| -> Vec<String> {
            let mut stmt = c
                .prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        let before = indexes(&t.conn);
        create_customer(
            &mut t.conn,
            now(),
            &t.head_cs,
            &new_customer("中山集团有限公司"),
        )
        .unwrap();
        let bytes = file(&[
            "中山集团有限公司,制造业,,,,,,,,,,,,,,,,,",
            "北京精密机械有限公司,制造业,,,,,,,,,,,,,,,,,",
            "上海华为贸易有限公司,零售业,,,,,,,,,,,,,,,,,",
        ]);
        let mapping = detect_mapping(&read_sheet(&bytes, "a.csv").unwrap().headers);
        // The head of sales may not update the customer service department's customer.
        let head = t.head_sales.clone();
        let stopped = apply(
            &mut t.conn,
            now(),
            &head,
            &bytes,
            "a.csv",
            &mapping,
            DuplicatePolicy::Update,
            &mut |_, _| {},
        )
        .unwrap();
        assert!(!stopped.committed);
        assert_eq!(indexes(&t.conn), before);
        let r = run(&mut t, &bytes, "a.csv", DuplicatePolicy::Skip);
        assert!(r.committed);
        assert_eq!(r.created, 2);
        assert_eq!(indexes(&t.conn), before);
        let stats: i64 = t
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_stat1 WHERE idx = 'customers_list_amount'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(stats, 1, "analysed again");
        let list = list_customers(
            &t.conn,
            now(),
            &t.admin,
            &ListQuery {
                sort: SortKey::AnnualAmount,
                q: Some("华为".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(list.total, 1);
    }

    /// An import's commit leaves its rows in the write-ahead log: the database file alone
    /// holds them once `db::checkpoint` ran (the app runs it on its background connection).
    #[test]
    fn an_import_leaves_its_checkpoint_to_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(crate::db::DB_FILE);
        let mut conn = crate::db::open(&path).unwrap();
        let admin = setup(&mut conn, now(), &crate::testutil::team_setup("测试公司")).unwrap();
        crate::db::checkpoint(&conn).unwrap();
        // The customers the database file holds by itself, without its log.
        let in_file = || -> i64 {
            let copy = dir.path().join("copy.sqlite3");
            std::fs::copy(&path, &copy).unwrap();
            let c = rusqlite::Connection::open(&copy).unwrap();
            let n = c
                .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
                .unwrap();
            drop(c);
            std::fs::remove_file(&copy).unwrap();
            n
        };
        assert_eq!(in_file(), 0);
        // Any commit would copy its pages into the file at once: but not the import's.
        conn.pragma_update(None, "wal_autocheckpoint", 1).unwrap();
        let bytes = file(&[
            "中山集团有限公司,制造业,,,,,,,,,,,,,,,,,",
            "北京精密机械有限公司,制造业,,,,,,,,,,,,,,,,,",
        ]);
        let mapping = detect_mapping(&read_sheet(&bytes, "a.csv").unwrap().headers);
        let r = apply(
            &mut conn,
            now(),
            &admin,
            &bytes,
            "a.csv",
            &mapping,
            DuplicatePolicy::Skip,
            &mut |_, _| {},
        )
        .unwrap();
        assert_eq!(r.created, 2);
        let n: i64 = conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2, "committed");
        assert_eq!(in_file(), 0, "still in the log only");
        let autocheckpoint: i64 = conn
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .unwrap();
        assert_eq!(autocheckpoint, 1, "set back");
        crate::db::checkpoint(&conn).unwrap();
        assert_eq!(in_file(), 2);
    }

    fn run(
        t: &mut Team,
        bytes: &[u8],
        name: &str,
        policy: DuplicatePolicy,
    ) -> import::ImportReport {
        let sheet = read_sheet(bytes, name).unwrap();
        let mapping = detect_mapping(&sheet.headers);
        let mut calls = Vec::new();
        let admin = t.admin.clone();
        let settings = |c: &rusqlite::Connection| -> Vec<i64> {
            ["cache_size", "wal_autocheckpoint", "synchronous"]
                .iter()
                .map(|p| {
                    c.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
                        .unwrap()
                })
                .collect()
        };
        let settings_before = settings(&t.conn);
        let r = apply(
            &mut t.conn,
            now(),
            &admin,
            bytes,
            name,
            &mapping,
            policy,
            &mut |d, n| calls.push((d, n)),
        )
        .unwrap();
        // The import's larger page cache, synced commits and deferred checkpoint are given
        // back, whatever the outcome.
        assert_eq!(settings(&t.conn), settings_before);
        if r.committed {
            assert_eq!(
                calls.last().map(|c| c.0),
                calls.last().map(|c| c.1),
                "progress ends at total"
            );
        }
        r
    }

    #[test]
    fn import_table_one_file_with_gbk_encoding() {
        let mut t = team();
        let text = String::from_utf8(file(&[
            "中山集团有限公司,制造业,数控机床,50万,张伟,采购经理,138 1234 5678,wei@zs.cn,2025/3/1,2年,技术导向型、VIP,展会,满意,s1,,,季度回访,A,签约客户",
            "=cmd|' /C calc'!A0,零售业,,1200.50,李娜,,010-88886666,,,,,,,,,,,B,潜在",
        ]))
        .unwrap();
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let p = preview(&t.conn, &t.admin, &gbk, "客户.csv", None).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.total_rows, 2);
        assert_eq!(p.rows[0].1.customer.annual_amount, Money(50_000_000));
        let r = run(&mut t, &gbk, "客户.csv", DuplicatePolicy::Skip);
        assert!(r.committed);
        assert_eq!(r.created, 2);
        let all = list_customers(&t.conn, now(), &t.admin, &ListQuery::default()).unwrap();
        let zs = all
            .items
            .iter()
            .find(|c| c.name == "中山集团有限公司")
            .unwrap();
        assert_eq!(zs.owner_user_id, Some(t.s1.user_id));
        assert_eq!(zs.tier, Tier::A);
        assert_eq!(zs.stage, Stage::Signed);
        assert_eq!(zs.contract_end.unwrap().to_string(), "2027-03-01");
        let d = get_customer(&t.conn, &t.admin, zs.id).unwrap();
        assert_eq!(d.contacts[0].mobile, "13812345678");
        assert_eq!(d.tags.len(), 2);
        assert_eq!(
            history(&t.conn, &t.admin, zs.id).unwrap()[0].kind,
            HistoryKind::Imported
        );
        // The formula-looking name is stored verbatim as text ...
        let evil = all.items.iter().find(|c| c.name.starts_with('=')).unwrap();
        assert_eq!(evil.name, "=cmd|' /C calc'!A0");
        // ... and exported safely.
        let csv = export_csv(
            &t.conn,
            now(),
            &t.admin,
            &ListQuery::default(),
            ExportLayout::Table1,
        )
        .unwrap();
        assert!(csv.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        assert!(text.contains("'=cmd|"), "{text}");
        assert!(!text.contains(",=cmd"));
        assert!(text.starts_with("客户名称,所属行业"));
        let xlsx = export_xlsx(
            &t.conn,
            now(),
            &t.admin,
            &ListQuery::default(),
            ExportLayout::Full,
        )
        .unwrap();
        let sheet = read_sheet(&xlsx, "x.xlsx").unwrap();
        assert_eq!(sheet.headers[0], "客户编号");
        assert!(
            sheet.rows.iter().any(|r| r[1] == "=cmd|' /C calc'!A0"),
            "a string, not a formula"
        );
        assert!(!String::from_utf8_lossy(&xlsx).contains("<f>"));
        // Exporting needs the permission.
        assert!(
            export_csv(
                &t.conn,
                now(),
                &t.s1,
                &ListQuery::default(),
                ExportLayout::Table1
            )
            .is_err()
        );
        // Re-importing the export flags duplicates; skip leaves them alone.
        let again = run(&mut t, &xlsx, "x.xlsx", DuplicatePolicy::Skip);
        assert!(again.committed, "{:?}", again.errors);
        assert_eq!((again.created, again.skipped), (0, 2));
    }

    #[test]
    fn bad_rows_stop_the_whole_import_with_row_numbers() {
        let mut t = team();
        let bytes = file(&[
            "好客户,,,,,,,,,,,,,,,,,,",
            ",零售业,,,,,,,,,,,,,,,,,",
            "坏电话,,,,王五,,12345,,,,,,,,,,,,",
            "坏金额,,,abc,,,,,,,,,,,,,,,",
            "坏日期,,,,,,,,2025-13-45,,,,,,,,,,",
            "坏负责人,,,,,,,,,,,,,nobody,,,,,",
        ]);
        let p = preview(&t.conn, &t.admin, &bytes, "a.csv", None).unwrap();
        let got: Vec<(usize, &str, &str)> = p
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "客户名称", "customer.name_required"),
                (4, "联系电话", "contact.phone_invalid"),
                (5, "合同金额", "money.invalid"),
                (6, "首次合作日期", "import.date_invalid"),
                (7, "后续维护责任人", "import.owner_unknown"),
            ]
        );
        let r = run(&mut t, &bytes, "a.csv", DuplicatePolicy::Create);
        assert!(!r.committed);
        assert_eq!(r.errors.len(), 5);
        let n: i64 = t
            .conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "all or nothing");
    }

    /// A file row with a name and one contact (name, phone, email); other cells empty.
    fn row(name: &str, contact: &str, phone: &str, email: &str) -> String {
        let mut cells = vec![""; 19];
        (cells[0], cells[4], cells[6], cells[7]) = (name, contact, phone, email);
        cells.join(",")
    }

    fn customer_count(t: &Team) -> i64 {
        t.conn
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn duplicates_within_one_file_are_found_like_stored_ones() {
        let mut t = team();
        let a = create_customer(
            &mut t.conn,
            now(),
            &t.admin,
            &new_customer("中山集团有限公司"),
        )
        .unwrap()
        .customer
        .id;
        let rows = [
            row("北京精密有限公司", "王五", "139 1111 2222", "wang@bj.cn"),
            row("北京精密 股份有限公司", "", "", ""), // same name key as the row above
            row("上海新公司", "钱七", "13911112222", ""), // same mobile as row 2
            row("广州新公司", "孙八", "", "WANG@BJ.CN"), // same email, other case
            row("深圳新公司", "周九", "", "Zhang@Example.com"), // the stored customer's email
            row("杭州新公司", "", "", ""),
        ];
        let bytes = file(&rows.iter().map(String::as_str).collect::<Vec<_>>());
        let r = run(&mut t, &bytes, "a.csv", DuplicatePolicy::Skip);
        assert!(r.committed);
        assert_eq!((r.created, r.skipped, r.updated), (2, 4, 0));
        assert_eq!(customer_count(&t), 3);

        // Under `Update`, a contact added by one row is matched by a later row.
        let rows = [
            row("中山有限公司", "李四", "13900001111", ""),
            row("成都新公司", "赵六", "13900001111", ""),
        ];
        let bytes = file(&rows.iter().map(String::as_str).collect::<Vec<_>>());
        let r = run(&mut t, &bytes, "b.csv", DuplicatePolicy::Update);
        assert_eq!((r.created, r.updated), (0, 2));
        let names: Vec<String> = get_customer(&t.conn, &t.admin, a)
            .unwrap()
            .contacts
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(names, ["张三", "李四"], "the second row's mobile was known");

        // The in-memory keys answer as the stored look-up does.
        let known = dedupe::KnownKeys::load(&t.conn).unwrap();
        for (name, mobile, email) in [
            ("中山", "", ""),
            ("北京精密", "", ""),
            ("无关", "+86 139-0000-1111", ""),
            ("无关", "13911112222", "zhang@example.com"),
            ("无关", "", "ZHANG@example.com"),
            ("无关", "bad", "bad"),
            ("无关", "13700000000", "nobody@x.cn"),
        ] {
            let probe = DuplicateProbe {
                name: name.into(),
                mobiles: vec![mobile.into()],
                emails: vec![email.into()],
                exclude_id: None,
            };
            assert_eq!(
                known.first_match(&probe),
                find_duplicates(&t.conn, &probe)
                    .unwrap()
                    .first()
                    .map(|m| m.customer_id),
                "{name} {mobile} {email}"
            );
        }
    }

    /// A large file's preview reads the stored keys once and looks up only the rows they
    /// match: it lists the same duplicates, with the same reasons, as a small file's row by
    /// row look-up.
    #[test]
    fn large_previews_find_the_duplicates_small_ones_find() {
        let mut t = team();
        let mut stored = new_customer("中山集团有限公司");
        stored.contacts = vec![contact("张三", "13900001111", "zhang@example.com", true)];
        let id = create_customer(&mut t.conn, now(), &t.admin, &stored)
            .unwrap()
            .customer
            .id;
        let flagged = [
            row("中山集团", "", "", ""),
            row("北京新公司", "李四", "139 0000 1111", ""),
            row("上海新公司", "王五", "", "ZHANG@example.com"),
            row("中山集团股份有限公司", "赵六", "13900001111", ""),
        ];
        let found = |filler: usize| -> Vec<(usize, i64, DuplicateReason)> {
            let mut rows: Vec<String> = (0..filler)
                .map(|i| row(&format!("导入客户{i}号"), "联系人", "", ""))
                .collect();
            rows.extend(flagged.iter().cloned());
            let bytes = file(&rows.iter().map(String::as_str).collect::<Vec<_>>());
            let p = preview(&t.conn, &t.admin, &bytes, "a.csv", None).unwrap();
            assert!(p.errors.is_empty(), "{:?}", p.errors);
            p.duplicates
                .into_iter()
                .map(|d| (d.row - filler, d.existing_customer_id, d.reason))
                .collect()
        };
        let small = found(0);
        assert_eq!(
            small,
            [
                (2, id, DuplicateReason::SameName),
                (3, id, DuplicateReason::SameMobile),
                (4, id, DuplicateReason::SameEmail),
                (5, id, DuplicateReason::SameName),
                (5, id, DuplicateReason::SameMobile),
            ]
        );
        assert_eq!(found(600), small);
    }

    #[test]
    fn numbers_of_a_large_import_follow_on_and_are_never_reused() {
        let mut t = team();
        create_customer(&mut t.conn, now(), &t.admin, &new_customer("甲公司")).unwrap();
        let gone = create_customer(&mut t.conn, now(), &t.admin, &new_customer("乙公司"))
            .unwrap()
            .customer;
        assert_eq!(gone.number, "KH-2026-00002");
        erase_customer(&mut t.conn, now(), &t.admin, gone.id, &gone.number).unwrap();
        let rows: Vec<String> = (0..1000)
            .map(|i| row(&format!("导入客户{i}号"), "联系人", "", ""))
            .collect();
        let bytes = file(&rows.iter().map(String::as_str).collect::<Vec<_>>());
        let r = run(&mut t, &bytes, "a.csv", DuplicatePolicy::Skip);
        assert_eq!((r.created, r.skipped), (1000, 0));
        let numbers: Vec<String> = t
            .conn
            .prepare("SELECT number FROM customers WHERE name LIKE '导入客户%' ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let expected: Vec<String> = (3..1003).map(|n| format!("KH-2026-{n:05}")).collect();
        assert_eq!(numbers, expected, "in file order, after the erased number");
        let next = create_customer(&mut t.conn, now(), &t.admin, &new_customer("丙公司"))
            .unwrap()
            .customer;
        assert_eq!(next.number, "KH-2026-01003");
        let imported: i64 = t
            .conn
            .query_row(
                "SELECT count(DISTINCT customer_id) FROM customer_history WHERE kind = 'imported'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            imported, 1000,
            "every imported customer has its history entry"
        );
        assert_eq!(
            search(&t.conn, &t.admin, "导入客户999", 5)
                .unwrap()
                .customers
                .len(),
            1
        );
    }

    #[test]
    fn huge_cells_empty_files_and_updates() {
        let mut t = team();
        let big = "长".repeat(10 * 1024 * 1024 / 3);
        let bytes = file(&[&format!("大单元格,,{big},,,,,,,,,,,,,,,,")]);
        let p = preview(&t.conn, &t.admin, &bytes, "a.csv", None).unwrap();
        assert_eq!(p.errors[0].code, "field.too_long");
        assert_eq!(p.errors[0].column, "合作产品/服务");
        assert_eq!(
            preview(&t.conn, &t.admin, b"", "a.csv", None)
                .unwrap_err()
                .code(),
            "import.empty_file"
        );
        assert_eq!(
            preview(&t.conn, &t.admin, "备注\nx\n".as_bytes(), "a.csv", None)
                .unwrap_err()
                .code(),
            "import.name_column_missing"
        );
        assert!(
            preview(&t.conn, &t.s1, &file(&[]), "a.csv", None).is_err(),
            "staff may not import"
        );
        // Update policy fills an existing customer and records it in history.
        let d = create_customer(
            &mut t.conn,
            now(),
            &t.admin,
            &new_customer("中山集团有限公司"),
        )
        .unwrap();
        let bytes = file(&["中山集团,,软件,,李四,,13900001111,,,,新标签,,,,,,,,"]);
        let p = preview(&t.conn, &t.admin, &bytes, "a.csv", None).unwrap();
        assert_eq!(p.duplicates[0].existing_customer_id, d.customer.id);
        let r = run(&mut t, &bytes, "a.csv", DuplicatePolicy::Update);
        assert_eq!((r.created, r.updated), (0, 1));
        let after = get_customer(&t.conn, &t.admin, d.customer.id).unwrap();
        assert_eq!(after.customer.products, "软件");
        assert_eq!(
            after.customer.name, "中山集团有限公司",
            "empty or equal cells keep values"
        );
        assert_eq!(after.contacts.len(), 2);
        assert_eq!(after.tags.len(), 2);
        assert!(
            history(&t.conn, &t.admin, d.customer.id)
                .unwrap()
                .iter()
                .any(|h| h.kind == HistoryKind::Imported && h.field == "products")
        );
    }
}
