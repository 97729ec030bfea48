//! Filling a call-script's placeholders — a pure function of the text and the values. A value
//! we do not have leaves its placeholder visible (so the person sees what to say themselves) and
//! is listed in [`Filled::missing`].

use serde::{Deserialize, Serialize};

/// The values a call script can use; `None` (or blank) means unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceholderValues {
    /// {客户名称} / {customer}
    #[serde(default)]
    pub customer_name: Option<String>,
    /// {联系人} / {contact}
    #[serde(default)]
    pub contact_name: Option<String>,
    /// {职位} / {position}
    #[serde(default)]
    pub position: Option<String>,
    /// {我的名字} / {my_name}
    #[serde(default)]
    pub my_name: Option<String>,
    /// {我的电话} / {my_phone}
    #[serde(default)]
    pub my_phone: Option<String>,
    /// {上次回访日期} / {last_callback_date}
    #[serde(default)]
    pub last_callback_date: Option<String>,
}

/// A filled script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filled {
    /// The text with every known value substituted.
    pub text: String,
    /// The placeholders left unfilled, as written (e.g. `{联系人}`), each once, in order.
    pub missing: Vec<String>,
}

/// Every placeholder name, Chinese and English, and which value it takes.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("客户名称", "customer"),
    ("联系人", "contact"),
    ("职位", "position"),
    ("我的名字", "my_name"),
    ("我的电话", "my_phone"),
    ("上次回访日期", "last_callback_date"),
];

impl PlaceholderValues {
    /// The value for a placeholder name (either language); `None` for an unknown name,
    /// `Some(None)` for a known one without a value.
    fn lookup(&self, key: &str) -> Option<Option<&str>> {
        let canonical = PLACEHOLDERS
            .iter()
            .find(|(zh, en)| *zh == key || *en == key)
            .map(|(_, en)| *en)?;
        let v = match canonical {
            "customer" => &self.customer_name,
            "contact" => &self.contact_name,
            "position" => &self.position,
            "my_name" => &self.my_name,
            "my_phone" => &self.my_phone,
            _ => &self.last_callback_date,
        };
        Some(v.as_deref().map(str::trim).filter(|s| !s.is_empty()))
    }
}

/// Substitute the placeholders of `template` in one pass (values are never re-expanded).
/// Unknown `{…}` and stray braces are kept as typed.
pub fn fill(template: &str, values: &PlaceholderValues) -> Filled {
    let mut text = String::with_capacity(template.len());
    let mut missing: Vec<String> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}');
        let key = close.map(|c| &after[..c]).filter(|k| !k.contains('{'));
        match (key, key.and_then(|k| values.lookup(k))) {
            (Some(k), Some(value)) => {
                match value {
                    Some(v) => text.push_str(v),
                    None => {
                        let placeholder = format!("{{{k}}}");
                        text.push_str(&placeholder);
                        if !missing.contains(&placeholder) {
                            missing.push(placeholder);
                        }
                    }
                }
                rest = &after[k.len() + 1..];
            }
            _ => {
                text.push('{');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    Filled { text, missing }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> PlaceholderValues {
        PlaceholderValues {
            customer_name: Some("科技有限公司".into()),
            contact_name: Some("王伟".into()),
            position: Some("采购经理".into()),
            my_name: Some("张经理".into()),
            my_phone: Some("138 0000 0001".into()),
            last_callback_date: Some("2024-03-01".into()),
        }
    }

    #[test]
    fn fills_both_languages() {
        let f = fill(
            "{联系人}{职位}您好，我是{我的名字}（{我的电话}），{客户名称}上次回访是{上次回访日期}。",
            &values(),
        );
        assert_eq!(
            f.text,
            "王伟采购经理您好，我是张经理（138 0000 0001），科技有限公司上次回访是2024-03-01。"
        );
        assert!(f.missing.is_empty());
        let f = fill(
            "Hello {contact} ({position}) at {customer}, {my_name} {my_phone} {last_callback_date}",
            &values(),
        );
        assert_eq!(
            f.text,
            "Hello 王伟 (采购经理) at 科技有限公司, 张经理 138 0000 0001 2024-03-01"
        );
    }

    #[test]
    fn missing_values_stay_visible_and_are_listed_once() {
        let mut v = values();
        v.contact_name = None;
        v.position = Some("   ".into());
        v.last_callback_date = None;
        let f = fill(
            "{联系人}{职位}您好，{联系人}，上次：{last_callback_date}",
            &v,
        );
        assert_eq!(
            f.text,
            "{联系人}{职位}您好，{联系人}，上次：{last_callback_date}"
        );
        assert_eq!(
            f.missing,
            vec!["{联系人}", "{职位}", "{last_callback_date}"]
        );
        let empty = fill("{customer}", &PlaceholderValues::default());
        assert_eq!(empty.text, "{customer}");
        assert_eq!(empty.missing, vec!["{customer}"]);
    }

    #[test]
    fn unknown_and_odd_braces_are_kept_and_values_not_reexpanded() {
        let mut v = values();
        v.customer_name = Some("{我的名字}公司".into());
        let f = fill("{{客户名称}} {未知} {} { 客户名称 } {联系人", &v);
        assert_eq!(f.text, "{{我的名字}公司} {未知} {} { 客户名称 } {联系人");
        assert!(f.missing.is_empty());
        assert_eq!(fill("", &v).text, "");
        assert_eq!(fill("无占位符", &v).text, "无占位符");
    }
}
