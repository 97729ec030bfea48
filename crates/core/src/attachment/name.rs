//! What we show for an attached file: a cleaned-up display name and a MIME type guessed from
//! its extension. The name is only ever displayed — files are stored under their content hash —
//! but it is still cleaned so it cannot mislead (right-to-left overrides hiding `.exe`),
//! break a list (control characters) or overflow the layout.

/// Longest display name kept, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Shown when nothing usable is left of a name.
pub const FALLBACK_NAME: &str = "attachment";

/// Characters that reorder or hide text: bidirectional overrides, embeddings and isolates, and
/// zero-width marks.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}'
    )
}

/// The name to display for a file called `raw` (a file name or a whole path, from any OS):
/// its last path component, without control and bidi-format characters, trimmed of spaces and
/// trailing dots, at most [`MAX_NAME_CHARS`] characters (the extension kept), never empty.
pub fn display_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_invisible_format(*c))
        .collect();
    let cleaned = cleaned.trim().trim_end_matches(['.', ' ']).trim_start();
    if cleaned.is_empty() || cleaned.chars().all(|c| c == '.') {
        return FALLBACK_NAME.to_string();
    }
    if cleaned.chars().count() <= MAX_NAME_CHARS {
        return cleaned.to_string();
    }
    // Keep a short extension visible: "很长的名字…….pdf".
    let ext = extension(cleaned)
        .filter(|e| e.chars().count() <= 16)
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    let keep = MAX_NAME_CHARS - ext.chars().count() - 1;
    let stem: String = cleaned.chars().take(keep).collect();
    format!("{stem}…{ext}")
}

/// The extension of a name (after the last dot, not counting a leading dot), if any.
fn extension(name: &str) -> Option<&str> {
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() {
        None
    } else {
        Some(ext)
    }
}

/// Known extensions and their MIME types: the documents, images, recordings and archives people
/// attach to customer contacts.
const TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ppt", "application/vnd.ms-powerpoint"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("wps", "application/vnd.ms-works"),
    ("et", "application/vnd.ms-excel"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("txt", "text/plain"),
    ("md", "text/markdown"),
    ("csv", "text/csv"),
    ("rtf", "application/rtf"),
    ("html", "text/html"),
    ("htm", "text/html"),
    ("json", "application/json"),
    ("xml", "application/xml"),
    ("eml", "message/rfc822"),
    ("msg", "application/vnd.ms-outlook"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("bmp", "image/bmp"),
    ("heic", "image/heic"),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("svg", "image/svg+xml"),
    ("mp3", "audio/mpeg"),
    ("m4a", "audio/mp4"),
    ("wav", "audio/wav"),
    ("amr", "audio/amr"),
    ("silk", "audio/silk"),
    ("mp4", "video/mp4"),
    ("mov", "video/quicktime"),
    ("zip", "application/zip"),
    ("rar", "application/vnd.rar"),
    ("7z", "application/x-7z-compressed"),
];

/// The MIME type for a display name, from its extension (case-insensitive);
/// `application/octet-stream` when unknown.
pub fn guess_mime(name: &str) -> &'static str {
    extension(name)
        .map(str::to_ascii_lowercase)
        .and_then(|e| TYPES.iter().find(|(x, _)| *x == e).map(|(_, m)| *m))
        .unwrap_or("application/octet-stream")
}

/// The name's extension, lower-cased, when it is one of our known types (so it is safe to put
/// in a file name); `None` otherwise.
pub fn known_extension(name: &str) -> Option<&'static str> {
    let ext = extension(name)?.to_ascii_lowercase();
    TYPES.iter().find(|(x, _)| *x == ext).map(|(x, _)| *x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_become_harmless_display_names() {
        assert_eq!(display_name("会议纪要.docx"), "会议纪要.docx");
        assert_eq!(display_name("../../etc/passwd"), "passwd");
        assert_eq!(display_name("/etc/shadow"), "shadow");
        assert_eq!(display_name("C:\\Users\\li\\报价单.pdf"), "报价单.pdf");
        assert_eq!(display_name("..\\..\\evil.txt"), "evil.txt");
        assert_eq!(display_name("a\0b.txt"), "ab.txt");
        assert_eq!(display_name("line\nbreak\r.txt"), "linebreak.txt");
        // Right-to-left override hiding an executable behind "exe.pdf" read backwards.
        let rtl = display_name("invoice\u{202E}fdp.exe");
        assert_eq!(rtl, "invoicefdp.exe");
        assert_eq!(guess_mime(&rtl), "application/octet-stream");
        assert_eq!(
            display_name("CON"),
            "CON",
            "a reserved device name is only text here"
        );
        assert_eq!(display_name("report.pdf. . "), "report.pdf");
        for empty in ["", "   ", ".", "..", "/", "a/", "\u{202E}", "...."] {
            assert_eq!(display_name(empty), FALLBACK_NAME, "{empty:?}");
        }
        let long = format!("{}.pdf", "长".repeat(1000));
        let shown = display_name(&long);
        assert_eq!(shown.chars().count(), MAX_NAME_CHARS);
        assert!(shown.ends_with("….pdf"));
    }

    #[test]
    fn mime_from_extension() {
        assert_eq!(guess_mime("纪要.PDF"), "application/pdf");
        assert_eq!(guess_mime("截图.png"), "image/png");
        assert_eq!(guess_mime("语音.amr"), "audio/amr");
        assert_eq!(guess_mime("noext"), "application/octet-stream");
        assert_eq!(guess_mime(".bashrc"), "application/octet-stream");
        assert_eq!(guess_mime("x.unknown"), "application/octet-stream");
        assert_eq!(known_extension("报价.XLSX"), Some("xlsx"));
        assert_eq!(known_extension("x.pdf/../../y"), None);
        assert_eq!(known_extension("x.exe"), None);
    }
}
