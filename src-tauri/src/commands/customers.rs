//! Customers: the list (filters, sort, pages), one customer with its history, create and edit
//! (key fields through change requests), approvals, archive / restore / erase, the duplicate
//! warning, merging, tags and industries, the global search, and spreadsheet import (preview,
//! then apply with `import-progress` events) and export (written into the data folder's
//! `exports/`). Files travel over IPC as base64 text; [`b64`] converts.

use crate::state::{AppState, CmdResult};
use rapport_core::ErrorPayload;
use rapport_core::customer::contact_rules::validate_contact;
use rapport_core::customer::export::{self, ExportLayout};
use rapport_core::customer::import::{self, ColumnMapping, DuplicatePolicy, ImportReport, Preview};
use rapport_core::customer::{
    self, ChangeRequest, ContactInput, Customer, CustomerDetail, CustomerPage, CustomerUpdate,
    DuplicateMatch, DuplicateProbe, HistoryEntry, ListQuery, NewCustomer, PendingRequest,
    SearchResults, Tag, UpdateOutcome,
};
use serde::{Deserialize, Serialize};
use tauri::{Emitter, Manager, Runtime, State};

/// The event an import emits as rows are written: `{done, total}`.
pub const IMPORT_PROGRESS_EVENT: &str = "import-progress";

/// The payload of [`IMPORT_PROGRESS_EVENT`].
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ImportProgress {
    /// Rows written so far.
    pub done: usize,
    /// Rows in the file.
    pub total: usize,
}

/// A spreadsheet format the list exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// UTF-8 CSV with BOM.
    Csv,
    /// Excel workbook.
    Xlsx,
}

/// Where an export was written.
#[derive(Debug, Clone, Serialize)]
pub struct ExportedFile {
    /// Full path of the file.
    pub path: String,
    /// Its name.
    pub filename: String,
    /// Its size in bytes.
    pub bytes: usize,
}

/// Name the contact a contact error is about: the core reports the field (`mobile`, …) but not
/// which contact, so the form could not mark it. The same per-contact rule is re-run to find
/// the first contact failing with the same code, and its index goes into `params.index`.
fn locate_contact_error(contacts: &[ContactInput], mut e: ErrorPayload) -> ErrorPayload {
    if e.code.starts_with("contact.") && e.code != "contact.primary_required" {
        let index = contacts
            .iter()
            .position(|c| matches!(validate_contact(c), Err(err) if err.code() == e.code.as_str()));
        if let Some(i) = index {
            e.params = serde_json::json!({ "index": i });
        }
    }
    e
}

/// A list row: the customer's fields and its tags (the list shows them).
#[derive(Debug, Clone, Serialize)]
pub struct CustomerRow {
    /// The record.
    #[serde(flatten)]
    pub customer: Customer,
    /// Its tags.
    pub tags: Vec<Tag>,
}

/// One page of list rows.
#[derive(Debug, Clone, Serialize)]
pub struct CustomerRows {
    /// Customers matching the filters (all pages).
    pub total: i64,
    /// This page.
    pub items: Vec<CustomerRow>,
}

/// One page of the list: filters, sort, `offset` / `limit` (≤ 500), the total count, and each
/// row's tags.
#[tauri::command(async)]
pub fn customers_list(state: State<'_, AppState>, query: ListQuery) -> CmdResult<CustomerRows> {
    state.as_actor(|conn, now, actor| {
        let CustomerPage { total, items } = customer::list_customers(conn, now, actor, &query)?;
        let items = items
            .into_iter()
            .map(|c| {
                let tags = customer::tags::customer_tags(conn, c.id)?;
                Ok(CustomerRow { customer: c, tags })
            })
            .collect::<rapport_core::Result<_>>()?;
        Ok(CustomerRows { total, items })
    })
}

/// One customer with contacts, tags and pending change requests.
#[tauri::command(async)]
pub fn customer_get(state: State<'_, AppState>, id: i64) -> CmdResult<CustomerDetail> {
    state.as_actor(|conn, _, actor| customer::get_customer(conn, actor, id))
}

/// A customer's history, newest first.
#[tauri::command(async)]
pub fn customer_history(state: State<'_, AppState>, id: i64) -> CmdResult<Vec<HistoryEntry>> {
    state.as_actor(|conn, _, actor| customer::history(conn, actor, id))
}

/// Create a customer with its contacts and tags.
#[tauri::command(async)]
pub fn customer_create(
    state: State<'_, AppState>,
    input: NewCustomer,
) -> CmdResult<CustomerDetail> {
    state
        .as_actor(|conn, now, actor| customer::create_customer(conn, now, actor, &input))
        .map_err(|e| locate_contact_error(&input.contacts, e))
}

/// Edit a customer (the whole form, with the version it was loaded at); staff's key-field
/// changes become change requests.
#[tauri::command(async)]
pub fn customer_update(
    state: State<'_, AppState>,
    id: i64,
    input: CustomerUpdate,
) -> CmdResult<UpdateOutcome> {
    state
        .as_actor(|conn, now, actor| customer::update_customer(conn, now, actor, id, &input))
        .map_err(|e| locate_contact_error(&input.contacts, e))
}

/// The change requests the actor may decide (heads and admins), oldest first.
#[tauri::command(async)]
pub fn customer_changes_pending(state: State<'_, AppState>) -> CmdResult<Vec<PendingRequest>> {
    state.as_actor(|conn, now, actor| customer::list_pending(conn, now, actor))
}

/// Approve (apply) or reject a change request; rejecting needs a comment.
#[tauri::command(async)]
pub fn customer_change_decide(
    state: State<'_, AppState>,
    id: i64,
    approve: bool,
    comment: String,
) -> CmdResult<ChangeRequest> {
    state.as_actor(|conn, now, actor| {
        customer::decide_change(conn, now, actor, id, approve, &comment)
    })
}

/// Archive a customer (hidden from lists, restorable).
#[tauri::command(async)]
pub fn customer_archive(state: State<'_, AppState>, id: i64) -> CmdResult<Customer> {
    state.as_actor(|conn, now, actor| customer::archive_customer(conn, now, actor, id))
}

/// Bring an archived customer back.
#[tauri::command(async)]
pub fn customer_restore(state: State<'_, AppState>, id: i64) -> CmdResult<Customer> {
    state.as_actor(|conn, now, actor| customer::restore_customer(conn, now, actor, id))
}

/// Erase a customer for good (admins), confirmed by typing its number; its attachment files go
/// too.
#[tauri::command(async)]
pub fn customer_erase(state: State<'_, AppState>, id: i64, typed_number: String) -> CmdResult<()> {
    state.as_actor(|conn, now, actor| {
        customer::erase_customer_and_files(conn, &state.data_dir, now, actor, id, &typed_number)
    })
}

/// Existing customers that look like the one being typed (name, mobiles, emails).
#[tauri::command(async)]
pub fn customer_check_duplicates(
    state: State<'_, AppState>,
    probe: DuplicateProbe,
) -> CmdResult<Vec<DuplicateMatch>> {
    state.as_actor(|conn, _, actor| customer::check_duplicates(conn, actor, &probe))
}

/// Merge `absorbed_id` into `survivor_id`.
#[tauri::command(async)]
pub fn customer_merge(
    state: State<'_, AppState>,
    survivor_id: i64,
    absorbed_id: i64,
) -> CmdResult<CustomerDetail> {
    state.as_actor(|conn, now, actor| {
        customer::merge_customers(conn, now, actor, survivor_id, absorbed_id)
    })
}

/// The global search: customers and contacts, grouped, at most `limit` of each.
#[tauri::command(async)]
pub fn customer_search(
    state: State<'_, AppState>,
    query: String,
    limit: Option<usize>,
) -> CmdResult<SearchResults> {
    state.as_actor(|conn, _, actor| customer::search(conn, actor, &query, limit.unwrap_or(8)))
}

/// Every tag.
#[tauri::command(async)]
pub fn customer_tags(state: State<'_, AppState>) -> CmdResult<Vec<Tag>> {
    state.as_actor(|conn, _, actor| customer::list_tags(conn, actor))
}

/// Create (`id` null) or rename / recolour a tag.
#[tauri::command(async)]
pub fn customer_tag_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    name: String,
    colour: String,
) -> CmdResult<Tag> {
    state.as_actor(|conn, _, actor| customer::save_tag(conn, actor, id, &name, &colour))
}

/// The industries offered in the form.
#[tauri::command(async)]
pub fn customer_industries(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    state.as_actor(|conn, _, actor| customer::list_industries(conn, actor))
}

/// Replace the industry list (admins).
#[tauri::command(async)]
pub fn customer_industries_save(
    state: State<'_, AppState>,
    names: Vec<String>,
) -> CmdResult<Vec<String>> {
    state.as_actor(|conn, _, actor| customer::save_industries(conn, actor, &names))
}

/// The key fields whose changes by staff need approval.
#[tauri::command(async)]
pub fn customer_key_fields(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    state.as_actor(|conn, _, _| customer::key_fields(conn))
}

/// Choose the key fields (admins).
#[tauri::command(async)]
pub fn customer_key_fields_set(
    state: State<'_, AppState>,
    fields: Vec<String>,
) -> CmdResult<Vec<String>> {
    state.as_actor(|conn, now, actor| customer::set_key_fields(conn, now, actor, &fields))
}

/// Read a picked file (base64) and show what importing it would do; writes nothing.
#[tauri::command]
pub async fn customer_import_preview(
    state: State<'_, AppState>,
    data: String,
    filename: String,
    mapping: Option<ColumnMapping>,
) -> CmdResult<Preview> {
    let bytes = b64::decode(&data)?;
    state.as_actor(|conn, _, actor| {
        import::preview(conn, actor, &bytes, &filename, mapping.as_ref())
    })
}

/// Import the file (all rows or none), emitting `import-progress` `{done, total}` as rows are
/// written. Async, so it runs off the UI thread and the events reach the window meanwhile. The
/// answer comes once the rows are committed; copying them from the write-ahead log into the
/// database file follows on the background connection, while the window goes on.
#[tauri::command]
pub async fn customer_import_apply<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    data: String,
    filename: String,
    mapping: ColumnMapping,
    policy: DuplicatePolicy,
) -> CmdResult<ImportReport> {
    let bytes = b64::decode(&data)?;
    let report = state.as_actor(|conn, now, actor| {
        let mut progress = |done: usize, total: usize| {
            let _ = app.emit(IMPORT_PROGRESS_EVENT, ImportProgress { done, total });
        };
        import::apply(
            conn,
            now,
            actor,
            &bytes,
            &filename,
            &mapping,
            policy,
            &mut progress,
        )
    })?;
    if report.committed {
        tauri::async_runtime::spawn_blocking(move || {
            let state = app.state::<AppState>();
            if let Err(e) = state.background(|conn, _| rapport_core::db::checkpoint(conn)) {
                eprintln!(
                    "Rapport: the checkpoint after an import failed: {}",
                    e.message
                );
            }
        });
    }
    Ok(report)
}

/// Export the list as filtered (every page) to CSV or XLSX, in table 1's layout or the full
/// one, into `<data folder>/exports/`; returns where the file is.
#[tauri::command]
pub async fn customer_export(
    state: State<'_, AppState>,
    query: ListQuery,
    format: ExportFormat,
    layout: ExportLayout,
) -> CmdResult<ExportedFile> {
    let bytes = state.as_actor_in_background(|conn, now, actor| match format {
        ExportFormat::Csv => export::export_csv(conn, now, actor, &query, layout),
        ExportFormat::Xlsx => export::export_xlsx(conn, now, actor, &query, layout),
    })?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let ext = if format == ExportFormat::Csv {
        "csv"
    } else {
        "xlsx"
    };
    save_export(&state, format!("customers-{stamp}.{ext}"), &bytes)
}

/// Write an export into `<data folder>/exports/` (a WebView download is not reliable in every
/// engine, and the data folder is where the person's files already are); returns where it is.
pub fn save_export(state: &AppState, filename: String, bytes: &[u8]) -> CmdResult<ExportedFile> {
    let dir = state.data_dir.join("exports");
    let path = dir.join(&filename);
    std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(&path, bytes))
        .map_err(|e| rapport_core::Error::Io(e).to_payload())?;
    Ok(ExportedFile {
        path: path.display().to_string(),
        filename,
        bytes: bytes.len(),
    })
}

/// Standard base64 (RFC 4648, padding optional) for files crossing the IPC bridge.
pub mod b64 {
    use rapport_core::{Error, ErrorPayload};

    fn value(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }

    /// Decode; white space is ignored, anything else invalid is refused.
    pub fn decode(text: &str) -> Result<Vec<u8>, ErrorPayload> {
        let bad = || {
            Error::invalid(
                "import.file_unreadable",
                "file",
                "the file could not be read",
            )
            .to_payload()
        };
        let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        let body = clean
            .strip_suffix(b"==")
            .unwrap_or(clean.strip_suffix(b"=").unwrap_or(clean.as_slice()));
        if body.len() % 4 == 1 {
            return Err(bad());
        }
        let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
        for chunk in body.chunks(4) {
            let mut acc = 0u32;
            for (i, &c) in chunk.iter().enumerate() {
                acc |= value(c).ok_or_else(bad)? << (18 - 6 * i);
            }
            let bytes = acc.to_be_bytes();
            out.extend_from_slice(&bytes[1..chunk.len()]);
        }
        Ok(out)
    }

    /// Encode (tests and helpers).
    pub fn encode(bytes: &[u8]) -> String {
        const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let mut acc = 0u32;
            for (i, &b) in chunk.iter().enumerate() {
                acc |= (b as u32) << (16 - 8 * i);
            }
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ABC[(acc >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::b64;
    use serde_json::json;

    use crate::test_ipc::invoke;

    #[test]
    fn base64_round_trips() {
        for n in 0..70usize {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 % 256) as u8).collect();
            assert_eq!(b64::decode(&b64::encode(&bytes)).unwrap(), bytes);
        }
        assert_eq!(b64::encode("客户".as_bytes()), "5a6i5oi3");
        assert_eq!(b64::decode("5a6i\n5oi3").unwrap(), "客户".as_bytes());
        assert_eq!(
            b64::decode("a$==").unwrap_err().code,
            "import.file_unreadable"
        );
        assert!(b64::decode("abcde").is_err());
    }

    #[test]
    fn customers_through_ipc_create_list_search_import_export() {
        let t = crate::test_ipc::TestApp::with_team();
        let crate::test_ipc::TestApp { w, dir, .. } = t;

        // A bad mobile in the second contact: the error names the field and the contact.
        let contacts = json!([
            {"name": "张三", "mobile": "138 0013 8000", "is_primary": true},
            {"name": "李四", "mobile": "12345"}
        ]);
        let input = json!({"input": {"customer": {"name": "华东贸易有限公司", "stage": "signed",
            "tier": "A", "annual_amount": 12_000_000}, "contacts": contacts, "tags": ["重点"]}});
        let err = invoke(&w, "customer_create", input.clone()).unwrap_err();
        assert_eq!(err["code"], "contact.mobile_invalid");
        assert_eq!(err["field"], "mobile");
        assert_eq!(err["params"]["index"], 1);

        let mut ok = input;
        ok["input"]["contacts"][1]["mobile"] = json!("+86 139-0013-9000");
        let made = invoke(&w, "customer_create", ok).unwrap();
        let id = made["customer"]["id"].as_i64().unwrap();
        assert!(
            made["customer"]["number"]
                .as_str()
                .unwrap()
                .starts_with("KH-")
        );
        assert_eq!(made["contacts"][1]["mobile"], "13900139000");

        let page = invoke(&w, "customers_list", json!({"query": {"stage": "signed"}})).unwrap();
        assert_eq!(page["total"], 1);
        assert_eq!(page["items"][0]["tags"][0]["name"], "重点");
        assert_eq!(page["items"][0]["name"], "华东贸易有限公司");

        let hits = invoke(&w, "customer_search", json!({"query": "华"})).unwrap();
        assert_eq!(hits["customers"][0]["id"], id);
        let hits = invoke(&w, "customer_search", json!({"query": "1390"})).unwrap();
        assert_eq!(hits["contacts"][0]["name"], "李四");

        let dups = invoke(
            &w,
            "customer_check_duplicates",
            json!({"probe": {"name": "华东贸易", "mobiles": [], "emails": []}}),
        )
        .unwrap();
        assert_eq!(dups[0]["reason"], "same_name");

        let history = invoke(&w, "customer_history", json!({"id": id})).unwrap();
        assert_eq!(history[0]["kind"], "created");

        // Import: a bad row stops it; a good file goes in, with progress.
        let bad = "客户名称,对接人姓名,联系电话,客户等级\n星河制造,王五,13800138001,A\n北辰物流,赵六,138,Z\n";
        let data = b64::encode(bad.as_bytes());
        let preview = invoke(
            &w,
            "customer_import_preview",
            json!({"data": data, "filename": "客户.csv"}),
        )
        .unwrap();
        assert_eq!(preview["total_rows"], 2);
        let errors = preview["errors"].as_array().unwrap();
        assert!(errors.iter().all(|e| e["row"] == 3), "{errors:?}");
        assert_eq!(errors.len(), 1, "one error per row: {errors:?}");
        let good = "客户名称,对接人姓名,联系电话,客户等级\n星河制造,王五,13800138001,A\n北辰物流,赵六,13800138002,B\n";
        let data = b64::encode(good.as_bytes());
        let preview = invoke(
            &w,
            "customer_import_preview",
            json!({"data": data, "filename": "客户.csv"}),
        )
        .unwrap();
        let report = invoke(
            &w,
            "customer_import_apply",
            json!({"data": data, "filename": "客户.csv", "mapping": preview["mapping"],
                "policy": "skip"}),
        )
        .unwrap();
        assert_eq!(report["committed"], true);
        assert_eq!(report["created"], 2);
        // The command answers once the rows are committed to the write-ahead log; the
        // background connection then copies them into the database file itself.
        let in_file = || -> Option<i64> {
            let copy = dir.path().join("copy.sqlite3");
            std::fs::copy(dir.path().join(rapport_core::db::DB_FILE), &copy).ok()?;
            let conn = rusqlite::Connection::open(&copy).ok()?;
            let n = conn
                .query_row(
                    "SELECT count(*) FROM customers WHERE name IN ('星河制造', '北辰物流')",
                    [],
                    |r| r.get(0),
                )
                .ok();
            drop(conn);
            std::fs::remove_file(&copy).ok()?;
            n
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while in_file() != Some(2) {
            assert!(
                std::time::Instant::now() < deadline,
                "the import never reached the database file"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }

        let out = invoke(
            &w,
            "customer_export",
            json!({"query": {}, "format": "csv", "layout": "table1"}),
        )
        .unwrap();
        let path = std::path::PathBuf::from(out["path"].as_str().unwrap());
        assert!(path.starts_with(dir.path().join("exports")));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("星河制造") && text.contains("华东贸易有限公司"));

        let archived = invoke(&w, "customer_archive", json!({"id": id})).unwrap();
        assert_eq!(archived["archived"], true);
        let page = invoke(&w, "customers_list", json!({"query": {}})).unwrap();
        assert_eq!(page["total"], 2);
    }

    /// Fill the data folder named by `RAPPORT_DEMO_DIR` with a team (admin / admin-pass-1, head
    /// head1 / head-pass-1, staff sales1 / staff-pass-1, all in Sales), a dozen customers with
    /// contacts and tags, one pending change request and one archived customer, to look at the
    /// customer screens:
    /// `RAPPORT_DEMO_DIR=/tmp/cudemo cargo test -p rapport customers_demo_data -- --ignored`.
    #[test]
    #[ignore]
    fn customers_demo_data() {
        use chrono::{NaiveDate, TimeDelta, Utc};
        use rapport_core::account::{self, Actor, NewUser};
        use rapport_core::customer::{
            self, ContactInput, CustomerInput, CustomerUpdate, NewCustomer, Stage, Tier,
        };
        use rapport_core::money::Money;
        use rapport_core::permission::Role;
        use rapport_core::team::{self, SetupInput};

        let dir = std::path::PathBuf::from(std::env::var("RAPPORT_DEMO_DIR").unwrap());
        std::fs::create_dir_all(&dir).unwrap();
        let mut conn = rapport_core::db::open(&dir.join(rapport_core::db::DB_FILE)).unwrap();
        let now = Utc::now();
        let input = SetupInput {
            company_name: "华东示例科技".into(),
            admin_username: "admin".into(),
            admin_display_name: "王管理".into(),
            admin_password: "admin-pass-1".into(),
            time_zone: "Asia/Shanghai".into(),
            locale: "zh-CN".into(),
            lunch_break: true,
        };
        let admin = team::setup(&mut conn, now, &input).unwrap();
        let sales = team::departments(&conn, &admin)
            .unwrap()
            .into_iter()
            .find(|d| d.code == "sales")
            .unwrap()
            .id;
        let user = |username: &str, name: &str, role: Role, password: &str| {
            let u = account::create_user_as(
                &conn,
                now,
                &admin,
                &NewUser {
                    username: username.into(),
                    display_name: name.into(),
                    role,
                    title: String::new(),
                    department_id: Some(sales),
                    phone: String::new(),
                    email: String::new(),
                    password: password.into(),
                },
            )
            .unwrap();
            Actor {
                user_id: u.id,
                username: username.into(),
                display_name: name.into(),
                role,
                department_id: Some(sales),
                locale: String::new(),
                must_change_password: false,
            }
        };
        let _head = user("head1", "陈经理", Role::Head, "head-pass-1");
        let staff = user("sales1", "刘销售", Role::Staff, "staff-pass-1");
        let contact = |name: &str, position: &str, mobile: &str, email: &str| ContactInput {
            name: name.into(),
            position: position.into(),
            mobile: mobile.into(),
            email: email.into(),
            ..Default::default()
        };
        type Row<'a> = (
            &'a str,
            &'a str,
            Stage,
            Tier,
            i64,
            &'a [&'a str],
            Option<i64>,
        );
        let rows: [Row; 12] = [
            (
                "华东贸易有限公司",
                "零售业",
                Stage::Signed,
                Tier::A,
                1_200_000,
                &["重点", "华东"],
                Some(3),
            ),
            (
                "星河制造集团",
                "制造业",
                Stage::Strategic,
                Tier::A,
                5_800_000,
                &["战略", "技术导向型"],
                Some(12),
            ),
            (
                "北辰物流股份有限公司",
                "物流业",
                Stage::Signed,
                Tier::B,
                360_000,
                &["华北"],
                Some(45),
            ),
            (
                "青禾软件",
                "信息技术",
                Stage::Potential,
                Tier::C,
                0,
                &["价格敏感"],
                None,
            ),
            (
                "中山集团有限公司",
                "制造业",
                Stage::Signed,
                Tier::B,
                880_000,
                &[],
                Some(95),
            ),
            (
                "张江生物医药",
                "医药",
                Stage::Potential,
                Tier::B,
                150_000,
                &["技术导向型"],
                Some(1),
            ),
            (
                "华为技术服务中心",
                "信息技术",
                Stage::Strategic,
                Tier::A,
                9_900_000,
                &["重点"],
                Some(0),
            ),
            (
                "南方餐饮连锁",
                "餐饮业",
                Stage::Churned,
                Tier::C,
                60_000,
                &["流失预警"],
                Some(200),
            ),
            (
                "东海船舶配件",
                "制造业",
                Stage::Signed,
                Tier::C,
                48_000,
                &[],
                Some(20),
            ),
            (
                "西湖文旅集团",
                "文化旅游",
                Stage::Potential,
                Tier::B,
                0,
                &["华东"],
                None,
            ),
            (
                "Acme Trading Co., Ltd.",
                "零售业",
                Stage::Signed,
                Tier::B,
                210_000,
                &["外资"],
                Some(8),
            ),
            (
                "金桥建材",
                "建筑业",
                Stage::Signed,
                Tier::C,
                75_500,
                &[],
                Some(33),
            ),
        ];
        let people = [
            "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周婷", "吴强",
            "Alice Wu", "郑凯",
        ];
        let mut ids = Vec::new();
        for (i, (name, industry, stage, tier, yuan, tags, contact_days)) in rows.iter().enumerate()
        {
            let owner = if i % 3 == 0 {
                admin.user_id
            } else {
                staff.user_id
            };
            let mut contacts = vec![contact(
                people[i],
                if i % 2 == 0 {
                    "采购经理"
                } else {
                    "总经理"
                },
                &format!("138{:08}", 10_000_000 + i * 7_654_321 % 90_000_000),
                &format!("contact{i}@example.cn"),
            )];
            contacts[0].is_primary = true;
            if i % 4 == 0 {
                contacts.push(contact(
                    "孙秘书",
                    "行政",
                    "",
                    &format!("office{i}@example.cn"),
                ));
            }
            let input = NewCustomer {
                customer: CustomerInput {
                    name: (*name).into(),
                    industry: (*industry).into(),
                    stage: *stage,
                    tier: *tier,
                    coop_start: NaiveDate::from_ymd_opt(2024, 1 + (i as u32 % 12), 5),
                    contract_end: NaiveDate::from_ymd_opt(2026, 12, 31),
                    annual_amount: Money(yuan * 100),
                    products: "CRM 年度服务".into(),
                    source: if i % 2 == 0 {
                        "展会"
                    } else {
                        "老客户介绍"
                    }
                    .into(),
                    next_followup_on: NaiveDate::from_ymd_opt(2026, 7, 1 + i as u32),
                    next_followup_plan: "回访续约意向".into(),
                    owner_user_id: Some(owner),
                    ..Default::default()
                },
                contacts,
                tags: tags.iter().map(|t| t.to_string()).collect(),
            };
            let made = customer::create_customer(&mut conn, now, &admin, &input).unwrap();
            let id = made.customer.id;
            if let Some(days) = contact_days {
                conn.execute(
                    "UPDATE customers SET last_contact_at = ?1 WHERE id = ?2",
                    rusqlite::params![(now - TimeDelta::days(*days)).timestamp(), id],
                )
                .unwrap();
            }
            ids.push(id);
        }
        // Staff raise the annual amount of their customer: a change request for the head.
        let d = customer::get_customer(&conn, &staff, ids[1]).unwrap();
        let c = &d.customer;
        let form = CustomerInput {
            name: c.name.clone(),
            industry: c.industry.clone(),
            stage: c.stage,
            tier: c.tier,
            coop_start: c.coop_start,
            contract_end: c.contract_end,
            annual_amount: Money(6_500_000 * 100),
            currency: c.currency.clone(),
            products: "CRM 年度服务 + 实施".into(),
            source: c.source.clone(),
            first_feedback: c.first_feedback.clone(),
            next_followup_on: c.next_followup_on,
            next_followup_plan: c.next_followup_plan.clone(),
            owner_user_id: c.owner_user_id,
            department_id: c.department_id,
        };
        let update = CustomerUpdate {
            version: d.customer.version,
            customer: form,
            contacts: d
                .contacts
                .iter()
                .map(rapport_core::customer::fields::contact_as_input)
                .collect(),
            tags: d.tags.iter().map(|t| t.name.clone()).collect(),
            reason: "客户追加实施服务，合同已签".into(),
        };
        let out = customer::update_customer(&mut conn, now, &staff, ids[1], &update).unwrap();
        assert_eq!(out.requested.len(), 1);
        customer::archive_customer(&mut conn, now, &admin, ids[7]).unwrap();
    }
}
