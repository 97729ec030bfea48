//! Pure rules for a customer's own fields: validation and normalisation of the form, and the
//! field-by-field values (as JSON) that history and change requests compare.

use super::model::{Contact, ContactInput, CustomerInput};
use crate::validate::{optional_line, required_line, text};
use crate::{Error, Result};
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

/// All scalar fields as one JSON object (the `created` history entry).
pub fn snapshot(c: &CustomerInput) -> Value {
    Value::Object(
        SCALAR_FIELDS
            .iter()
            .map(|f| (f.to_string(), scalar_value(c, f)))
            .collect(),
    )
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

/// A whole contact as JSON (added / removed entries).
pub fn contact_json(c: &ContactInput) -> Value {
    json!({
        "name": c.name, "position": c.position, "mobile": c.mobile, "landline": c.landline,
        "email": c.email, "birthday": c.birthday, "notes": c.notes,
    })
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
    use chrono::NaiveDate;

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
