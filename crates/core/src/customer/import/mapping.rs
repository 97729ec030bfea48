//! Which column feeds which field: detected from Chinese or English headers (table 1's
//! included) and adjustable by the person importing (the mapping travels back to `apply`).

use serde::{Deserialize, Serialize};

/// A field a column can be imported into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    /// 客户名称.
    Name,
    /// 客户编号 (read for reference; numbers are always assigned).
    Number,
    /// 所属行业.
    Industry,
    /// 合作产品/服务.
    Products,
    /// 合同金额 / 年合同额.
    AnnualAmount,
    /// 对接人姓名.
    ContactName,
    /// 职位.
    ContactPosition,
    /// 联系电话 (mobile or landline).
    ContactPhone,
    /// 手机.
    ContactMobile,
    /// 座机.
    ContactLandline,
    /// 邮箱.
    ContactEmail,
    /// 首次合作日期.
    CoopStart,
    /// 合作期限 (an end date, or `N年` from the start).
    ContractTerm,
    /// 客户标签 (several, separated by , 、 ; /).
    Tags,
    /// 信息来源.
    Source,
    /// 首次合作反馈.
    FirstFeedback,
    /// 后续维护责任人 (a user's display or log-in name).
    Owner,
    /// 联系方式 (of the owner: not stored on the customer).
    OwnerContact,
    /// 最后跟进时间.
    LastContact,
    /// 下次跟进计划.
    NextFollowupPlan,
    /// 下次跟进日期.
    NextFollowupOn,
    /// 客户等级 / 价值等级.
    Tier,
    /// 合作阶段 / 客户阶段.
    Stage,
}

/// The target of every column, by position; `None` = ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// One entry per header.
    pub columns: Vec<Option<ImportField>>,
}

impl ColumnMapping {
    /// The column feeding `f`, if any.
    pub fn column_of(&self, f: ImportField) -> Option<usize> {
        self.columns.iter().position(|c| *c == Some(f))
    }
}

fn normalise(h: &str) -> String {
    let h: String = h
        .chars()
        .map(crate::validate::to_half_width)
        .collect::<String>()
        .to_lowercase();
    // Drop hints such as 客户标签(如"技术导向型") and required-field stars.
    let h = h.split('(').next().unwrap_or_default();
    h.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | ':' | '_' | '-'))
        .collect()
}

/// The field a header names, if recognised.
pub fn field_for_header(header: &str) -> Option<ImportField> {
    use ImportField::*;
    let h = normalise(header);
    let f = match h.as_str() {
        "客户名称" | "公司名称" | "客户" | "企业名称" | "name" | "customer" | "customername"
        | "company" => Name,
        "客户编号" | "编号" | "number" | "customerno" => Number,
        "所属行业" | "行业" | "industry" => Industry,
        "合作产品/服务"
        | "合作产品"
        | "产品/服务"
        | "产品"
        | "products"
        | "product"
        | "products/services" => Products,
        "合同金额" | "年合同额" | "年度合同金额" | "金额" | "amount" | "annualamount"
        | "contractamount" => AnnualAmount,
        "对接人姓名" | "对接人" | "联系人" | "联系人姓名" | "contact" | "contactname" => {
            ContactName
        }
        "职位" | "职务" | "position" | "title" => ContactPosition,
        "联系电话" | "电话" | "phone" | "telephone" => ContactPhone,
        "手机" | "手机号" | "手机号码" | "mobile" => ContactMobile,
        "座机" | "固定电话" | "landline" => ContactLandline,
        "邮箱" | "电子邮箱" | "email" | "e mail" | "mail" => ContactEmail,
        "首次合作日期" | "合作开始日期" | "coopstart" | "firstcooperation" | "startdate" => {
            CoopStart
        }
        "合作期限" | "合同到期日" | "合同期限" | "contractend" | "term" => {
            ContractTerm
        }
        "客户标签" | "标签" | "tags" | "tag" => Tags,
        "信息来源" | "来源" | "source" => Source,
        "首次合作反馈" | "合作反馈" | "firstfeedback" | "feedback" => FirstFeedback,
        "后续维护责任人" | "责任人" | "负责人" | "客户经理" | "owner" => Owner,
        "联系方式" | "ownercontact" => OwnerContact,
        "最后跟进时间" | "最后跟进" | "lastcontact" | "lastfollowup" => LastContact,
        "下次跟进计划" | "跟进计划" | "nextfollowupplan" | "nextfollowup" => {
            NextFollowupPlan
        }
        "下次跟进日期" | "nextfollowupon" | "nextfollowupdate" => NextFollowupOn,
        "客户等级" | "价值等级" | "等级" | "tier" | "level" => Tier,
        "合作阶段" | "客户阶段" | "阶段" | "stage" => Stage,
        _ => return None,
    };
    Some(f)
}

/// Detect the mapping of a header row; each field is taken by its first column only.
pub fn detect_mapping(headers: &[String]) -> ColumnMapping {
    let mut columns: Vec<Option<ImportField>> = Vec::with_capacity(headers.len());
    for h in headers {
        let f = field_for_header(h).filter(|f| !columns.contains(&Some(*f)));
        columns.push(f);
    }
    ColumnMapping { columns }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_one_headers_are_recognised() {
        let headers: Vec<String> = [
            "客户名称*",
            "所属行业",
            "合作产品/服务",
            "合同金额",
            "对接人姓名",
            "职位",
            "联系电话",
            "邮箱",
            "首次合作日期",
            "合作期限",
            "客户标签(如“技术导向型”)",
            "信息来源",
            "首次合作反馈",
            "后续维护责任人",
            "联系方式",
            "最后跟进时间",
            "下次跟进计划",
            "价值等级",
            "合作阶段",
            "备注",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = detect_mapping(&headers);
        assert_eq!(m.columns[0], Some(ImportField::Name));
        assert_eq!(m.columns[10], Some(ImportField::Tags));
        assert_eq!(m.columns[17], Some(ImportField::Tier));
        assert_eq!(m.columns[18], Some(ImportField::Stage));
        assert_eq!(m.columns[19], None);
        assert_eq!(m.columns.iter().filter(|c| c.is_some()).count(), 19);
        let en: Vec<String> = ["Name", "E-mail", "Mobile", "Stage"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let m = detect_mapping(&en);
        assert_eq!(
            m.columns,
            [
                Some(ImportField::Name),
                Some(ImportField::ContactEmail),
                Some(ImportField::ContactMobile),
                Some(ImportField::Stage)
            ]
        );
    }
}
