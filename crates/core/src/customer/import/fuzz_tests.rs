//! Hostile files: the import parsers fed arbitrary bytes, damaged workbooks and CSV text with
//! quotes, line breaks, formulas and overlong cells (proptest). Nothing may panic, and every
//! refusal — of the whole file or of one row — must carry a code the UI can translate (a key
//! `error.<code>` in both locale files) and a non-empty English message.

use super::{detect_mapping, preview, read_sheet};
use crate::customer::tests::team;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const EN: &str = include_str!("../../../../../ui/src/locales/en.json");
const ZH: &str = include_str!("../../../../../ui/src/locales/zh-CN.json");

/// The code has a translation in both locales.
fn translated(code: &str) -> bool {
    let key = format!("\"error.{code}\"");
    EN.contains(&key) && ZH.contains(&key)
}

fn assert_clear(e: &crate::Error) {
    assert!(
        translated(e.code()),
        "error code {} has no translation",
        e.code()
    );
    assert!(
        !e.to_string().trim().is_empty(),
        "empty message for {}",
        e.code()
    );
}

/// A small valid workbook, to damage.
fn workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["客户名称", "联系电话", "合同金额"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..6u32 {
        ws.write_string(r, 0, format!("公司{r}")).unwrap();
        ws.write_string(r, 1, format!("1380000000{r}")).unwrap();
        ws.write_number(r, 2, f64::from(r) * 1000.5).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_as_csv_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Err(e) = read_sheet(&bytes, "客户.csv") {
            assert_clear(&e);
        }
    }

    #[test]
    fn arbitrary_bytes_as_xlsx_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let e = read_sheet(&bytes, "客户.xlsx").expect_err("random bytes are no workbook");
        assert_clear(&e);
    }

    #[test]
    fn damaged_workbooks_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = workbook();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if truncate {
            let n = cut.index(bytes.len());
            bytes.truncate(n);
        }
        if let Err(e) = read_sheet(&bytes, "book.xlsx") {
            assert_clear(&e);
        }
    }
}

/// A cell of hostile text: quotes, separators, line breaks, formulas, CJK, very long values.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\PC]{0,12}",
        "[=+@-][A-Za-z0-9(),!|' ]{0,16}",
        "\"[a-z,\\n\"]{0,10}\"?",
        "1[3-9][0-9]{9}",
        "[0-9]{1,12}(\\.[0-9]{1,4})?万?",
        "(19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,3}",
        Just("x".repeat(5000)),
        Just("\u{202E}gpj.exe".to_string()),
        Just(String::new()),
    ]
}

#[test]
fn hostile_csv_rows_are_previewed_with_clear_row_errors() {
    let t = team();
    let header = "客户名称,所属行业,合作产品/服务,合同金额,对接人姓名,职位,联系电话,邮箱,首次合作日期,合作期限,客户标签,信息来源,首次合作反馈,后续维护责任人,联系方式,最后跟进时间,下次跟进计划,价值等级,合作阶段";
    let rows = proptest::collection::vec(proptest::collection::vec(cell(), 0..22), 1..8);
    let mut runner = TestRunner::new(Config::with_cases(150));
    runner
        .run(&rows, |rows| {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(header.split(',')).unwrap();
            for r in &rows {
                // The csv writer insists on equal lengths; pad ragged rows, as files often are.
                let mut r = r.clone();
                r.resize(19, String::new());
                w.write_record(&r).unwrap();
            }
            let bytes = w.into_inner().unwrap();
            match preview(&t.conn, &t.admin, &bytes, "hostile.csv", None) {
                Ok(p) => {
                    let sheet = read_sheet(&bytes, "hostile.csv").unwrap();
                    assert_eq!(p.total_rows, sheet.rows.len());
                    for e in &p.errors {
                        assert!(
                            translated(&e.code),
                            "row error code {} has no translation",
                            e.code
                        );
                        assert!(!e.message.trim().is_empty());
                        assert!(
                            e.row >= 2 && e.row <= sheet.row_numbers.last().copied().unwrap_or(1)
                        );
                    }
                }
                Err(e) => assert_clear(&e),
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn ragged_and_header_only_files_are_explained() {
    let t = team();
    for (bytes, code) in [
        (&b"\xEF\xBB\xBF"[..], "import.empty_file"),
        (&b"foo,bar\n1,2\n"[..], "import.name_column_missing"),
        (&b"\"unterminated,quote\n"[..], "import.name_column_missing"),
    ] {
        let e = preview(&t.conn, &t.admin, bytes, "a.csv", None).unwrap_err();
        assert_eq!(e.code(), code);
        assert_clear(&e);
    }
    let sheet = read_sheet("客户名称\n甲\n乙,多余,列\n".as_bytes(), "a.csv").unwrap();
    assert_eq!(sheet.rows.len(), 2);
    assert_eq!(
        detect_mapping(&sheet.headers).column_of(super::ImportField::Name),
        Some(0)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Whatever the text, the CSV cell never starts with a character a spreadsheet would run
    /// as a formula, and the original text follows the apostrophe unchanged.
    #[test]
    fn neutralised_cells_never_start_a_formula(s in "[=+@\\t\\r-]?[\\PC]{0,20}") {
        let out = crate::customer::export::neutralise(&s);
        prop_assert!(!out.starts_with(['=', '+', '-', '@', '\t', '\r']));
        let quoted = format!("'{}", s);
        prop_assert!(out == s || out == quoted);
    }
}

#[test]
fn exports_neutralise_every_formula_prefix() {
    use crate::customer::export::{ExportLayout, export_csv, export_xlsx};
    use crate::customer::model::{CustomerInput, NewCustomer};
    use calamine::{Reader, Xlsx, open_workbook_from_rs};
    let mut t = team();
    let payloads = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,1)",
    ];
    for p in payloads {
        let input = NewCustomer {
            customer: CustomerInput {
                name: p.to_string(),
                ..Default::default()
            },
            ..Default::default()
        };
        let admin = t.admin.clone();
        crate::customer::create_customer(
            &mut t.conn,
            crate::customer::tests::now(),
            &admin,
            &input,
        )
        .unwrap();
    }
    let q = crate::customer::ListQuery::default();
    let now = crate::customer::tests::now();
    let csv = export_csv(&t.conn, now, &t.admin, &q, ExportLayout::Table1).unwrap();
    let mut rdr = csv::ReaderBuilder::new().from_reader(&csv[3..]);
    let names: Vec<String> = rdr
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_string())
        .collect();
    for p in payloads {
        assert!(
            names.contains(&format!("'{p}")),
            "{p} not neutralised in {names:?}"
        );
        assert!(!names.contains(&p.to_string()));
    }
    let xlsx = export_xlsx(&t.conn, now, &t.admin, &q, ExportLayout::Table1).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let formulas = wb.worksheet_formula(&sheet).unwrap();
    assert!(
        formulas.cells().all(|(_, _, f)| f.is_empty()),
        "the workbook holds a formula"
    );
    let values = wb.worksheet_range(&sheet).unwrap();
    for p in payloads {
        // In XLSX the text stays verbatim: a string cell is never evaluated.
        assert!(
            values
                .rows()
                .any(|r| r[0] == calamine::Data::String(p.to_string())),
            "{p} not stored as a string"
        );
    }
}
