//! Tests of attaching, deduplicating, limiting and removing files.

use super::*;
use crate::interaction::{InteractionInput, log_interaction};
use crate::testutil::{Fixture, t};
use std::fs;

struct Setup {
    f: Fixture,
    /// Where the user's files are (the picker's side).
    src: tempfile::TempDir,
    /// The app's data folder.
    data: tempfile::TempDir,
    interaction: i64,
}

fn now() -> DateTime<Utc> {
    t(2024, 3, 1, 9, 0)
}

fn setup() -> Setup {
    let mut f = Fixture::new();
    let staff1 = f.staff1.clone();
    let input = InteractionInput {
        occurred_at: t(2024, 3, 1, 2, 0),
        channel: "visit".into(),
        subject: "新增采购需求".into(),
        key_points: String::new(),
        customer_needs: String::new(),
        commitments: String::new(),
        next_step: String::new(),
        satisfaction: None,
        feedback_id: None,
        contact_ids: vec![],
        user_ids: vec![],
    };
    let i = log_interaction(&mut f.conn, now(), &staff1, f.cust1, &input, &[]).unwrap();
    Setup {
        f,
        src: tempfile::tempdir().unwrap(),
        data: tempfile::tempdir().unwrap(),
        interaction: i.id,
    }
}

impl Setup {
    fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let p = self.src.path().join(name);
        fs::write(&p, content).unwrap();
        p
    }

    fn add(&self, path: &Path) -> Result<Attachment> {
        add_file(
            &self.f.conn,
            self.data.path(),
            now(),
            &self.f.staff1,
            self.interaction,
            path,
        )
    }

    fn blob_rows(&self) -> i64 {
        self.f
            .conn
            .query_row("SELECT count(*) FROM attachment_blobs", [], |r| r.get(0))
            .unwrap()
    }

    /// Every file under the data folder, relative.
    fn files(&self) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            for e in fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, base, out);
                } else {
                    out.push(p.strip_prefix(base).unwrap().to_string_lossy().into_owned());
                }
            }
        }
        let mut out = Vec::new();
        walk(self.data.path(), self.data.path(), &mut out);
        out.sort();
        out
    }
}

#[test]
fn same_file_is_stored_once_and_goes_with_its_last_reference() {
    let s = setup();
    let a = s
        .add(&s.file("会议纪要.docx", b"minutes of 2024-03-01"))
        .unwrap();
    let b = s
        .add(&s.file("纪要副本.docx", b"minutes of 2024-03-01"))
        .unwrap();
    let c = s.add(&s.file("截图.PNG", b"\x89PNG fake")).unwrap();
    assert_eq!(a.hash, b.hash);
    assert_ne!(a.hash, c.hash);
    assert_eq!(a.original_name, "会议纪要.docx");
    assert_eq!(b.original_name, "纪要副本.docx");
    assert_eq!(
        a.mime_type,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(c.mime_type, "image/png");
    assert_eq!(a.size, 21);
    assert_eq!(a.added_by, Some(s.f.staff1.user_id));
    assert_eq!(s.blob_rows(), 2);
    assert_eq!(
        s.files().len(),
        2,
        "one file per distinct content: {:?}",
        s.files()
    );

    let listed = list(&s.f.conn, &s.f.staff1, s.interaction).unwrap();
    assert_eq!(listed, vec![a.clone(), b.clone(), c.clone()]);
    let counted =
        crate::interaction::get_interaction(&s.f.conn, &s.f.staff1, s.interaction).unwrap();
    assert_eq!(counted.attachments, 3);

    let path = blob_path(&s.f.conn, s.data.path(), &s.f.staff1, a.id).unwrap();
    assert!(path.starts_with(s.data.path().join("attachments")));
    assert_eq!(fs::read(&path).unwrap(), b"minutes of 2024-03-01");
    let opened = open_copy(&s.f.conn, s.data.path(), &s.f.staff1, a.id).unwrap();
    assert_eq!(opened.extension().unwrap(), "docx");
    assert_eq!(fs::read(&opened).unwrap(), b"minutes of 2024-03-01");

    // Removing references keeps the blob, even the last one: older backups refer to it.
    remove(&s.f.conn, &s.f.staff1, a.id).unwrap();
    assert!(path.is_file());
    assert_eq!(s.blob_rows(), 2);
    assert_eq!(
        blob_path(&s.f.conn, s.data.path(), &s.f.staff1, a.id)
            .unwrap_err()
            .code(),
        "not_found"
    );
    remove(&s.f.conn, &s.f.staff1, b.id).unwrap();
    assert!(path.is_file());
    assert_eq!(s.blob_rows(), 2);
    assert_eq!(
        remove(&s.f.conn, &s.f.staff1, b.id).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn size_limit_is_configurable_and_refuses_cleanly() {
    let s = setup();
    assert_eq!(max_bytes(&s.f.conn).unwrap(), 50 * 1024 * 1024);
    assert!(matches!(
        set_max_bytes(&s.f.conn, now(), &s.f.staff1, 10).unwrap_err(),
        Error::Forbidden(_)
    ));
    assert_eq!(
        set_max_bytes(&s.f.conn, now(), &s.f.admin, 0)
            .unwrap_err()
            .code(),
        "attachment.limit_invalid"
    );
    set_max_bytes(&s.f.conn, now(), &s.f.admin, 10).unwrap();
    assert_eq!(max_bytes(&s.f.conn).unwrap(), 10);
    let e = s.add(&s.file("big.pdf", &[1u8; 11])).unwrap_err();
    assert_eq!(e.code(), "attachment.too_large");
    assert!(s.files().is_empty(), "nothing stored: {:?}", s.files());
    assert_eq!(s.blob_rows(), 0);
    assert!(
        list(&s.f.conn, &s.f.staff1, s.interaction)
            .unwrap()
            .is_empty()
    );
    s.add(&s.file("ok.pdf", &[1u8; 10])).unwrap();
}

#[test]
fn hostile_names_never_become_paths() {
    let s = setup();
    let long = format!("{}.pdf", "x".repeat(240));
    let on_disk = [
        ("CON", "CON"),
        ("invoice\u{202E}fdp.exe", "invoicefdp.exe"),
        ("..\\..\\evil.txt", "evil.txt"),
        (long.as_str(), ""),
    ];
    for (i, (name, shown)) in on_disk.iter().enumerate() {
        let a = s
            .add(&s.file(name, format!("file {i}").as_bytes()))
            .unwrap();
        if !shown.is_empty() {
            assert_eq!(a.original_name, *shown);
        } else {
            assert_eq!(a.original_name.chars().count(), name::MAX_NAME_CHARS);
            assert!(a.original_name.ends_with(".pdf"));
        }
    }
    let given = [
        ("../../etc/passwd", "passwd"),
        ("/tmp/absolute/报价单.pdf", "报价单.pdf"),
        ("a\0b.txt", "ab.txt"),
        ("C:\\Windows\\system32\\CON", "CON"),
        ("..", "attachment"),
        ("\u{202E}\u{2066}", "attachment"),
    ];
    let src = s.file("plain.bin", b"given names");
    for (raw, shown) in given {
        let a = add_file_named(
            &s.f.conn,
            s.data.path(),
            now(),
            &s.f.staff1,
            s.interaction,
            &src,
            raw,
        )
        .unwrap();
        assert_eq!(a.original_name, shown, "{raw:?}");
    }
    // Only content-hash files exist in the data folder, nothing named after the user's text.
    for f in s.files() {
        let parts: Vec<_> = f.split('/').collect();
        assert_eq!(parts.len(), 3, "{f}");
        assert_eq!(parts[0], "attachments");
        assert!(blob::is_hash(&format!("{}{}", parts[1], parts[2])), "{f}");
    }
    assert_eq!(s.files().len(), 5);
}

#[test]
fn scope_and_roles() {
    let s = setup();
    let src = s.file("a.pdf", b"a");
    let a = s.add(&src).unwrap();
    let (f, data) = (&s.f, s.data.path());
    // Staff of another department neither attach nor see.
    assert_eq!(
        add_file(&f.conn, data, now(), &f.staff2, s.interaction, &src)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(
        list(&f.conn, &f.staff2, s.interaction).unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        blob_path(&f.conn, data, &f.staff2, a.id)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(
        remove(&f.conn, &f.staff2, a.id).unwrap_err().code(),
        "not_found"
    );
    // Viewers read and open, but do not attach or remove.
    assert!(matches!(
        add_file(&f.conn, data, now(), &f.viewer, s.interaction, &src).unwrap_err(),
        Error::Forbidden(_)
    ));
    assert!(matches!(
        remove(&f.conn, &f.viewer, a.id).unwrap_err(),
        Error::Forbidden(_)
    ));
    assert_eq!(list(&f.conn, &f.viewer, s.interaction).unwrap().len(), 1);
    assert!(blob_path(&f.conn, data, &f.viewer, a.id).is_ok());
    // The head of the department attaches to their staff's interaction.
    add_file(
        &f.conn,
        data,
        now(),
        &f.head1,
        s.interaction,
        &s.file("b.pdf", b"b"),
    )
    .unwrap();
    // Unknown interaction, and a missing source file.
    assert_eq!(
        add_file(&f.conn, data, now(), &f.admin, 999, &src)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(
        s.add(&s.src.path().join("missing.pdf")).unwrap_err().code(),
        "io.error"
    );
}

#[test]
fn garbage_collection_after_erasure() {
    let s = setup();
    let a = s.add(&s.file("a.pdf", b"to be erased")).unwrap();
    let stray = s
        .data
        .path()
        .join("attachments")
        .join("00")
        .join("0".repeat(62));
    fs::create_dir_all(stray.parent().unwrap()).unwrap();
    fs::write(&stray, b"left by a crash").unwrap();
    // Erasing the customer cascades to its interactions and their attachment rows.
    s.f.conn
        .execute("DELETE FROM customers WHERE id = ?1", [s.f.cust1])
        .unwrap();
    assert!(matches!(
        collect_garbage(&s.f.conn, s.data.path(), now(), &s.f.staff1).unwrap_err(),
        Error::Forbidden(_)
    ));
    let removed = collect_garbage(&s.f.conn, s.data.path(), now(), &s.f.admin).unwrap();
    assert_eq!(removed, 2);
    assert_eq!(s.blob_rows(), 0);
    assert!(!blob::path_of(s.data.path(), &a.hash).unwrap().exists());
    assert!(s.files().is_empty());
    // With the customer gone, its interaction history may be purged (PIPL erasure).
    s.f.conn
        .execute(
            "DELETE FROM interaction_history WHERE customer_id = ?1",
            [s.f.cust1],
        )
        .unwrap();
}

#[test]
fn erasing_a_customer_through_the_app_removes_its_files() {
    let mut s = setup();
    let a = s.add(&s.file("合同.pdf", b"personal data")).unwrap();
    let file = blob::path_of(s.data.path(), &a.hash).unwrap();
    assert!(file.is_file());
    let number: String =
        s.f.conn
            .query_row(
                "SELECT number FROM customers WHERE id = ?1",
                [s.f.cust1],
                |r| r.get(0),
            )
            .unwrap();
    let admin = s.f.admin.clone();
    crate::customer::erase_customer_and_files(
        &mut s.f.conn,
        s.data.path(),
        now(),
        &admin,
        s.f.cust1,
        &number,
    )
    .unwrap();
    assert!(!file.exists());
    assert_eq!(s.blob_rows(), 0);
}
