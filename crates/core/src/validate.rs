//! Small checks and normalisations of typed text shared by every form: required fields, length
//! limits, full-width to half-width folding. Text is otherwise stored verbatim.

use crate::{Error, Result};

/// Longest single-line field (names, subjects, titles), in characters.
pub const MAX_LINE: usize = 200;
/// Longest multi-line field (notes, descriptions), in characters: about a long report's worth.
pub const MAX_TEXT: usize = 100_000;

/// Fold a full-width ASCII variant (as typed with a Chinese IME: `１２３`, `＠`, `　`) to its
/// half-width form; other characters are returned unchanged.
pub fn to_half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A required single-line field: trimmed, non-empty, at most [`MAX_LINE`] characters, no
/// control characters (a pasted newline in a name is a mistake, not data).
pub fn required_line(field: &'static str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::invalid(
            "field.required",
            field,
            format!("{field} is required"),
        ));
    }
    optional_line(field, v)
}

/// An optional single-line field: trimmed; empty is allowed.
pub fn optional_line(field: &'static str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.chars().count() > MAX_LINE {
        return Err(Error::invalid(
            "field.too_long",
            field,
            format!("{field} is longer than {MAX_LINE} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(
            "field.control_chars",
            field,
            format!("{field} contains control characters"),
        ));
    }
    Ok(v.to_string())
}

/// A free multi-line text (notes, descriptions): kept verbatim except for trailing white space,
/// at most [`MAX_TEXT`] characters.
pub fn text(field: &'static str, value: &str) -> Result<String> {
    let v = value.trim_end();
    if v.chars().count() > MAX_TEXT {
        return Err(Error::invalid(
            "field.too_long",
            field,
            format!("{field} is longer than {MAX_TEXT} characters"),
        ));
    }
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width() {
        let s: String = "１３８　＠Ａ".chars().map(to_half_width).collect();
        assert_eq!(s, "138 @A");
    }

    #[test]
    fn lines_are_checked_text_is_verbatim() {
        assert_eq!(required_line("name", "  华为 ").unwrap(), "华为");
        assert_eq!(
            required_line("name", " ").unwrap_err().code(),
            "field.required"
        );
        assert_eq!(
            required_line("name", "a\nb").unwrap_err().code(),
            "field.control_chars"
        );
        assert_eq!(
            optional_line("name", &"x".repeat(201)).unwrap_err().code(),
            "field.too_long"
        );
        let hostile = "<script>alert(1)</script>\n  line two";
        assert_eq!(text("note", hostile).unwrap(), hostile);
        assert!(text("note", &"长".repeat(MAX_TEXT + 1)).is_err());
    }
}
