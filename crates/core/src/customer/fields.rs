//! Pure rules for a customer's own fields: validation and normalisation of the form, and the
//! field-by-field values (as JSON) that history and change requests compare.

use super::model::{Contact, ContactInput, CustomerInput, Stage, Tier};
use crate::validate::{optional_line, required_line, text};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Value, json};

/// The customer's own fields by their stable names (history, change requests, key-field
/// settings, sorting).
pub const SCALAR_FIELDS: [&str; 15] = [
    "name",
    "industry",
    "stage",
    "tier",
    "coop_start",
    "contract_end",
    "annual_amount",
    "currency",
    "products",
    "source",
    "first_feedback",
    "next_followup_on",
    "next_followup_plan",
    "owner_user_id",
    "department_id",
];

/// Field names that concern contacts (the change carries a contact id).
pub const CONTACT_FIELDS: [&str; 8] = [
    "contact_name",
    "contact_position",
    "contact_phone",
    "contact_email",
    "contact_birthday",
    "contact_notes",
    "contact_added",
    "contact_removed",
];

/// Every name that may appear in the key-field setting.
pub fn is_configurable_key_field(name: &str) -> bool {
    SCALAR_FIELDS.contains(&name)
        || matches!(
            name,
            "primary_contact" | "contact_phone" | "contact_email" | "tags"
        )
}

/// Validate and normalise the customer form. Text stays verbatim (trimmed single lines).
pub fn validate_customer(input: &CustomerInput) -> Result<CustomerInput> {
    let name = required_line("name", &input.name).map_err(|e| match e {
        Error::Invalid {
            code: "field.required",
            ..
        } => Error::invalid(
            "customer.name_required",
            "name",
            "the customer's legal name is required",
        ),
        other => other,
    })?;
    if let (Some(a), Some(b)) = (input.coop_start, input.contract_end)
        && b < a
    {
        return Err(Error::invalid(
            "customer.contract_end_before_start",
            "contract_end",
            "the contract ends before the cooperation starts",
        ));
    }
    if input.annual_amount.0 < 0 {
        return Err(Error::invalid(
            "customer.amount_negative",
            "annual_amount",
            "the annual amount cannot be negative",
        ));
    }
    let currency = match input.currency.trim() {
        "" => "CNY".to_string(),
        c => c.to_uppercase(),
    };
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(
            "customer.currency_invalid",
            "currency",
            "use a three-letter currency code such as CNY",
        ));
    }
    Ok(CustomerInput {
        name,
        industry: optional_line("industry", &input.industry)?,
        stage: input.stage,
        tier: input.tier,
        coop_start: input.coop_start,
        contract_end: input.contract_end,
        annual_amount: input.annual_amount,
        currency,
        products: text("products", &input.products)?,
        source: optional_line("source", &input.source)?,
        first_feedback: text("first_feedback", &input.first_feedback)?,
        next_followup_on: input.next_followup_on,
        next_followup_plan: text("next_followup_plan", &input.next_followup_plan)?,
        owner_user_id: input.owner_user_id,
        department_id: input.department_id,
    })
}

/// The value of one scalar field as JSON (dates as `YYYY-MM-DD`, money as minor units).
pub fn scalar_value(c: &CustomerInput, field: &str) -> Value {
    match field {
        "name" => json!(c.name),
        "industry" => json!(c.industry),
        "stage" => json!(c.stage),
        "tier" => json!(c.tier),
        "coop_start" => json!(c.coop_start),
        "contract_end" => json!(c.contract_end),
        "annual_amount" => json!(c.annual_amount.0),
        "currency" => json!(c.currency),
        "products" => json!(c.products),
        "source" => json!(c.source),
        "first_feedback" => json!(c.first_feedback),
        "next_followup_on" => json!(c.next_followup_on),
        "next_followup_plan" => json!(c.next_followup_plan),
        "owner_user_id" => json!(c.owner_user_id),
        "department_id" => json!(c.department_id),
        _ => Value::Null,
    }
}

/// A new customer as its first history entry (created or imported) holds it: every scalar
/// field as [`scalar_value`] gives it, the number, the contacts as [`contact_json`] gives them,
/// and the tags. A typed record serialised straight to text: building it as a JSON tree first,
/// then writing and freeing that, was a twelfth of a large import. The fields are in name order,
/// as the JSON objects built before were, so old and new entries read alike.
#[derive(Serialize)]
pub struct CreatedSnapshot<'a> {
    annual_amount: i64,
    contacts: Vec<ContactSnapshot<'a>>,
    contract_end: Option<NaiveDate>,
    coop_start: Option<NaiveDate>,
    currency: &'a str,
    department_id: Option<i64>,
    first_feedback: &'a str,
    industry: &'a str,
    name: &'a str,
    next_followup_on: Option<NaiveDate>,
    next_followup_plan: &'a str,
    number: &'a str,
    owner_user_id: Option<i64>,
    products: &'a str,
    source: &'a str,
    stage: Stage,
    tags: &'a [String],
    tier: Tier,
}

/// One contact in a [`CreatedSnapshot`], and [`contact_json`]'s form of it.
#[derive(Serialize)]
struct ContactSnapshot<'a> {
    birthday: Option<NaiveDate>,
    email: &'a str,
    landline: &'a str,
    mobile: &'a str,
    name: &'a str,
    notes: &'a str,
    position: &'a str,
}

impl<'a> ContactSnapshot<'a> {
    fn of(k: &'a ContactInput) -> Self {
        Self {
            birthday: k.birthday,
            email: &k.email,
            landline: &k.landline,
            mobile: &k.mobile,
            name: &k.name,
            notes: &k.notes,
            position: &k.position,
        }
    }
}

impl<'a> CreatedSnapshot<'a> {
    /// The snapshot of a customer just stored with these (validated) fields.
    pub fn new(
        c: &'a CustomerInput,
        number: &'a str,
        contacts: &'a [ContactInput],
        tags: &'a [String],
    ) -> Self {
        Self {
            annual_amount: c.annual_amount.0,
            contacts: contacts.iter().map(ContactSnapshot::of).collect(),
            contract_end: c.contract_end,
            coop_start: c.coop_start,
            currency: &c.currency,
            department_id: c.department_id,
            first_feedback: &c.first_feedback,
            industry: &c.industry,
            name: &c.name,
            next_followup_on: c.next_followup_on,
            next_followup_plan: &c.next_followup_plan,
            number,
            owner_user_id: c.owner_user_id,
            products: &c.products,
            source: &c.source,
            stage: c.stage,
            tags,
            tier: c.tier,
        }
    }
}

/// A contact's value for one contact field.
pub fn contact_value(c: &ContactInput, field: &str) -> Value {
    match field {
        "contact_name" => json!(c.name),
        "contact_position" => json!(c.position),
        "contact_phone" => json!({ "mobile": c.mobile, "landline": c.landline }),
        "contact_email" => json!(c.email),
        "contact_birthday" => json!(c.birthday),
        "contact_notes" => json!(c.notes),
        "contact_added" | "contact_removed" => contact_json(c),
        _ => Value::Null,
    }
}

/// A whole contact as JSON (added / removed entries), as a created entry holds it.
pub fn contact_json(c: &ContactInput) -> Value {
    json!(ContactSnapshot::of(c))
}

/// A stored contact as the input it would be typed as.
pub fn contact_as_input(c: &Contact) -> ContactInput {
    ContactInput {
        id: Some(c.id),
        name: c.name.clone(),
        position: c.position.clone(),
        mobile: c.mobile.clone(),
        landline: c.landline.clone(),
        email: c.email.clone(),
        birthday: c.birthday,
        notes: c.notes.clone(),
        is_primary: c.is_primary,
    }
}

/// Tag names, trimmed, empty ones dropped, duplicates (ignoring case) removed, order kept.
pub fn clean_tags(names: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        let n = optional_line("tags", n)?;
        if !n.is_empty() && !out.iter().any(|o| o.to_lowercase() == n.to_lowercase()) {
            out.push(n);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    /// The created entry's typed snapshot is, value for value and as text, the JSON object of
    /// every scalar field ([`scalar_value`]) with the number, the contacts ([`contact_json`],
    /// whose keys are pinned here too) and the tags: what such entries always held. A field added to [`SCALAR_FIELDS`] and
    /// not to the snapshot fails here.
    #[test]
    fn created_snapshot_holds_every_field_as_the_history_reads_them() {
        let date = |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        let full = CustomerInput {
            name: "中山<script>集团\"有限公司\"".into(),
            industry: "制造业".into(),
            stage: Stage::Strategic,
            tier: Tier::A,
            coop_start: Some(date("2025-03-01")),
            contract_end: Some(date("2027-02-28")),
            annual_amount: Money(12_345_678),
            currency: "CNY".into(),
            products: "数控机床\n刀具".into(),
            source: "展会".into(),
            first_feedback: "good".into(),
            next_followup_on: Some(date("2026-12-10")),
            next_followup_plan: "回访".into(),
            owner_user_id: Some(3),
            department_id: Some(2),
        };
        let contacts = [ContactInput {
            name: "张伟".into(),
            position: "采购经理".into(),
            mobile: "13812345678".into(),
            landline: "010-12345678".into(),
            email: "zw@example.com".into(),
            birthday: Some(date("1980-05-06")),
            notes: "a\tb".into(),
            ..Default::default()
        }];
        // The contact's form, as the history screen reads added and removed contacts.
        assert_eq!(
            contact_json(&contacts[0]),
            json!({"name": "张伟", "position": "采购经理", "mobile": "13812345678",
                   "landline": "010-12345678", "email": "zw@example.com",
                   "birthday": "1980-05-06", "notes": "a\tb"})
        );
        let tags = ["重点客户".to_string(), "VIP".to_string()];
        for (c, k) in [(&full, &contacts[..]), (&CustomerInput::default(), &[][..])] {
            let mut expected: serde_json::Map<String, Value> = SCALAR_FIELDS
                .iter()
                .map(|f| (f.to_string(), scalar_value(c, f)))
                .collect();
            expected.insert("number".into(), json!("KH-2026-00001"));
            expected.insert("contacts".into(), k.iter().map(contact_json).collect());
            expected.insert("tags".into(), json!(tags));
            let expected = Value::Object(expected);
            let snap = CreatedSnapshot::new(c, "KH-2026-00001", k, &tags);
            assert_eq!(serde_json::to_value(&snap).unwrap(), expected);
            assert_eq!(serde_json::to_string(&snap).unwrap(), expected.to_string());
        }
    }

    #[test]
    fn customer_form_rules() {
        let mut c = CustomerInput {
            name: "  中山集团有限公司 ".into(),
            ..Default::default()
        };
        let v = validate_customer(&c).unwrap();
        assert_eq!(v.name, "中山集团有限公司");
        assert_eq!(v.currency, "CNY");
        c.name = " ".into();
        assert_eq!(
            validate_customer(&c).unwrap_err().code(),
            "customer.name_required"
        );
        c.name = "x".into();
        c.coop_start = NaiveDate::from_ymd_opt(2026, 5, 1);
        c.contract_end = NaiveDate::from_ymd_opt(2026, 4, 1);
        assert_eq!(
            validate_customer(&c).unwrap_err().code(),
            "customer.contract_end_before_start"
        );
        c.contract_end = None;
        c.annual_amount = Money(-1);
        assert_eq!(
            validate_customer(&c).unwrap_err().code(),
            "customer.amount_negative"
        );
        c.annual_amount = Money(0);
        c.currency = "yuan".into();
        assert_eq!(
            validate_customer(&c).unwrap_err().code(),
            "customer.currency_invalid"
        );
    }

    #[test]
    fn tags_are_cleaned() {
        let t =
            clean_tags(&["VIP".into(), " vip ".into(), "".into(), "技术导向型".into()]).unwrap();
        assert_eq!(t, ["VIP", "技术导向型"]);
    }
}
