//! Tests of the seeded scripts, editing, and gathering placeholder values.

use super::*;
use crate::interaction::{InteractionInput, log_interaction};
use crate::testutil::{Fixture, add_contact, t};

fn input(at: DateTime<Utc>, channel: &str) -> InteractionInput {
    InteractionInput {
        occurred_at: at,
        channel: channel.into(),
        subject: "回访".into(),
        key_points: String::new(),
        customer_needs: String::new(),
        commitments: String::new(),
        next_step: String::new(),
        satisfaction: Some(5),
        feedback_id: None,
        contact_ids: vec![],
        user_ids: vec![],
    }
}

#[test]
fn every_purpose_is_seeded_in_both_languages_with_known_placeholders() {
    let f = Fixture::new();
    let all = list_templates(&f.conn, &f.staff1, None).unwrap();
    assert_eq!(all.len(), 12);
    for locale in ["zh-CN", "en"] {
        let list = list_templates(&f.conn, &f.viewer, Some(locale)).unwrap();
        let purposes: Vec<_> = list.iter().map(|t| t.purpose).collect();
        assert_eq!(purposes, Purpose::ALL.to_vec(), "{locale}");
        let full = PlaceholderValues {
            customer_name: Some("C".into()),
            contact_name: Some("N".into()),
            position: Some("P".into()),
            my_name: Some("M".into()),
            my_phone: Some("1".into()),
            last_callback_date: Some("2024-01-01".into()),
        };
        for t in list {
            assert!(!t.title.is_empty() && !t.body.is_empty());
            assert_eq!(t.version, 1);
            let filled = fill(&t.body, &full);
            assert!(filled.missing.is_empty(), "{:?}", t.purpose);
            assert!(!filled.text.contains("{客户名称}") && !filled.text.contains("{customer}"));
            // Every brace pair in a seeded script is a known placeholder of its own language.
            let empty = fill(&t.body, &PlaceholderValues::default());
            for m in &empty.missing {
                let name = m.trim_matches(['{', '}']);
                let zh = PLACEHOLDERS.iter().any(|(z, _)| *z == name);
                assert_eq!(zh, locale == "zh-CN", "{m} in {locale} {:?}", t.purpose);
            }
            assert_eq!(empty.text.matches('{').count(), t.body.matches('{').count());
        }
    }
}

#[test]
fn supervisors_and_admins_edit_with_version_check() {
    let f = Fixture::new();
    let zh = list_templates(&f.conn, &f.staff1, Some("zh-CN")).unwrap();
    let first = &zh[0];
    let now = t(2024, 3, 1, 0, 0);
    for who in [&f.staff1, &f.head1, &f.viewer] {
        assert!(matches!(
            update_template(&f.conn, now, who, first.id, 1, "x", "y").unwrap_err(),
            Error::Forbidden(_)
        ));
    }
    let edited = update_template(
        &f.conn,
        now,
        &f.supervisor,
        first.id,
        1,
        "首次联系",
        "{联系人}您好",
    )
    .unwrap();
    assert_eq!(edited.body, "{联系人}您好");
    assert_eq!(edited.version, 2);
    assert_eq!(edited.updated_by, Some(f.supervisor.user_id));
    assert_eq!(edited.updated_at, Some(now));
    let stale = update_template(&f.conn, now, &f.admin, first.id, 1, "x", "y").unwrap_err();
    assert_eq!(stale.code(), "template.version_conflict");
    assert_eq!(
        update_template(&f.conn, now, &f.admin, first.id, 2, "x", "  ")
            .unwrap_err()
            .code(),
        "field.required"
    );
    assert_eq!(
        get_template(&f.conn, &f.admin, 9999).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn a_fresh_database_holds_the_defaults_unchanged() {
    let f = Fixture::new();
    let all = list_templates(&f.conn, &f.admin, None).unwrap();
    let defaults: i64 = f
        .conn
        .query_row("SELECT count(*) FROM call_script_defaults", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(defaults, all.len() as i64);
    for t in &all {
        assert!(
            !t.customised,
            "{:?} {} differs from its default",
            t.purpose, t.locale
        );
    }
}

#[test]
fn reset_restores_the_default_with_version_check_and_audit() {
    let f = Fixture::new();
    let en = list_templates(&f.conn, &f.admin, Some("en")).unwrap();
    let greeting = en
        .iter()
        .find(|t| t.purpose == Purpose::HolidayGreeting)
        .unwrap()
        .clone();
    let now = t(2024, 3, 1, 0, 0);
    let edited =
        update_template(&f.conn, now, &f.admin, greeting.id, 1, "Hi", "Hi {contact}").unwrap();
    assert!(edited.customised);
    assert!(matches!(
        reset_template(&f.conn, now, &f.staff1, greeting.id, 2).unwrap_err(),
        Error::Forbidden(_)
    ));
    assert_eq!(
        reset_template(&f.conn, now, &f.admin, greeting.id, 1)
            .unwrap_err()
            .code(),
        "template.version_conflict"
    );
    let reset = reset_template(&f.conn, now, &f.supervisor, greeting.id, 2).unwrap();
    assert_eq!(reset.title, greeting.title);
    assert_eq!(reset.body, greeting.body);
    assert_eq!(reset.version, 3);
    assert!(!reset.customised);
    let actions: Vec<String> = f
        .conn
        .prepare("SELECT action FROM audit_log WHERE entity = 'call_script' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(actions, ["template.update", "template.reset"]);
    // The other language's script is untouched.
    let zh = list_templates(&f.conn, &f.admin, Some("zh-CN")).unwrap();
    assert!(zh.iter().all(|t| t.version == 1 && !t.customised));
}

#[test]
fn values_come_from_customer_contact_me_and_last_callback() {
    let mut f = Fixture::new();
    add_contact(&f.conn, f.cust1, "王伟", "采购经理", true);
    let other = add_contact(&f.conn, f.cust1, "李娜", "", false);
    let foreign = add_contact(&f.conn, f.cust2, "赵强", "总监", true);
    let s1 = f.staff1.clone();

    let v = values_for(&f.conn, &s1, f.cust1, None).unwrap();
    assert_eq!(v.customer_name.as_deref(), Some("科技有限公司"));
    assert_eq!(
        v.contact_name.as_deref(),
        Some("王伟"),
        "primary contact by default"
    );
    assert_eq!(v.position.as_deref(), Some("采购经理"));
    assert_eq!(v.my_name.as_deref(), Some("张经理"));
    assert_eq!(v.my_phone.as_deref(), Some("13800000001"));
    assert_eq!(v.last_callback_date, None, "no call-back yet");

    // Only call-backs count, and the date is the team's (Beijing) calendar date.
    let now = t(2024, 3, 10, 0, 0);
    log_interaction(
        &mut f.conn,
        now,
        &s1,
        f.cust1,
        &input(t(2024, 3, 1, 20, 0), "callback"),
        &[],
    )
    .unwrap();
    log_interaction(
        &mut f.conn,
        now,
        &s1,
        f.cust1,
        &input(t(2024, 3, 8, 0, 0), "phone"),
        &[],
    )
    .unwrap();
    let v = values_for(&f.conn, &s1, f.cust1, Some(other)).unwrap();
    assert_eq!(v.last_callback_date.as_deref(), Some("2024-03-02"));
    assert_eq!(v.contact_name.as_deref(), Some("李娜"));
    assert_eq!(v.position, None, "blank position is missing");
    let filled = fill("{联系人}{职位}您好，上次回访：{上次回访日期}", &v);
    assert_eq!(filled.text, "李娜{职位}您好，上次回访：2024-03-02");
    assert_eq!(filled.missing, vec!["{职位}"]);

    assert_eq!(
        values_for(&f.conn, &s1, f.cust1, Some(foreign))
            .unwrap_err()
            .code(),
        "template.contact_invalid"
    );
    assert_eq!(
        values_for(&f.conn, &s1, f.cust2, None).unwrap_err().code(),
        "not_found"
    );
    // A colleague without a phone: the phone stays missing.
    let v = values_for(&f.conn, &f.head1, f.cust1b, None).unwrap();
    assert_eq!(v.my_phone, None);
    assert_eq!(v.contact_name, None);
}
