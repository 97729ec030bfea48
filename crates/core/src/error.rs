//! The crate's one error type. Each variant maps to a stable `code` (a dotted string such as
//! `auth.bad_credentials`) that the UI looks up in its locale files; the English `message` is a
//! fallback for logs and the CLI.

use serde::Serialize;

/// Everything that can go wrong in the core, grouped by what the person can do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input that breaks a rule; `code` names the rule (e.g. `customer.name_required`), `field` the
    /// form field it concerns, so the UI can mark it.
    #[error("invalid input: {message}")]
    Invalid {
        /// Stable code for translation.
        code: &'static str,
        /// The form field concerned, if any.
        field: Option<&'static str>,
        /// English fallback text.
        message: String,
    },
    /// The actor's role does not allow the action.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// No one is logged in, or the session ended.
    #[error("not logged in")]
    Unauthenticated,
    /// Wrong user name or password (deliberately not saying which).
    #[error("wrong user name or password")]
    BadCredentials,
    /// Too many failed log-ins; try again after the given number of seconds.
    #[error("too many failed attempts; try again in {0} s")]
    Throttled(i64),
    /// The thing asked for does not exist (or is not visible to the actor).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The change conflicts with the current state (e.g. the team is already set up, a record was
    /// changed by someone else in the meantime).
    #[error("conflict: {message}")]
    Conflict {
        /// Stable code for translation.
        code: &'static str,
        /// English fallback text.
        message: String,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    /// A schema migration failed.
    #[error("migration error: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// A file could not be read or written.
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    /// One record of an all-or-nothing bulk change failed: the cause, and which record (its
    /// number, e.g. `FK-2026-00003`) so the person knows what to fix. The UI translates the cause
    /// and gets the record in `params.item`.
    #[error("{item}: {source}")]
    InItem {
        /// The record's number (or `#id` when it cannot be shown).
        item: String,
        /// What went wrong with it.
        source: Box<Error>,
    },
}

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::Invalid`] about one field.
    pub fn invalid(code: &'static str, field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            code,
            field: Some(field),
            message: message.into(),
        }
    }

    /// An [`Error::Conflict`].
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Error::Conflict {
            code,
            message: message.into(),
        }
    }

    /// Wrap `source` as the failure of the bulk change's record `item` ([`Error::InItem`]).
    pub fn in_item(item: impl Into<String>, source: Error) -> Self {
        Error::InItem {
            item: item.into(),
            source: Box::new(source),
        }
    }

    /// The stable code the UI translates.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InItem { source, .. } => source.code(),
            Error::Invalid { code, .. } | Error::Conflict { code, .. } => code,
            Error::Forbidden(_) => "auth.forbidden",
            Error::Unauthenticated => "auth.unauthenticated",
            Error::BadCredentials => "auth.bad_credentials",
            Error::Throttled(_) => "auth.throttled",
            Error::NotFound(_) => "not_found",
            Error::Db(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    || e.code == rusqlite::ErrorCode::DatabaseLocked =>
            {
                "db.busy"
            }
            Error::Db(_) => "db.error",
            Error::Migration(_) => "db.migration",
            Error::Io(_) => "io.error",
        }
    }

    /// What crosses the boundary to the UI or the CLI.
    pub fn to_payload(&self) -> ErrorPayload {
        if let Error::InItem { item, source } = self {
            let mut inner = source.to_payload();
            let mut params = match inner.params {
                serde_json::Value::Object(m) => m,
                _ => serde_json::Map::new(),
            };
            params.insert("item".into(), serde_json::json!(item));
            inner.params = serde_json::Value::Object(params);
            inner.message = self.to_string();
            return inner;
        }
        let (field, params) = match self {
            Error::Invalid { field, .. } => (*field, serde_json::Value::Null),
            Error::Throttled(s) => (None, serde_json::json!({ "seconds": s })),
            Error::NotFound(what) => (None, serde_json::json!({ "what": what })),
            _ => (None, serde_json::Value::Null),
        };
        ErrorPayload {
            code: self.code().to_string(),
            message: self.to_string(),
            field: field.map(str::to_string),
            params,
        }
    }
}

/// The serialisable form of an [`Error`]: `{code, message, field, params}`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorPayload {
    /// Stable code, looked up in the UI's locale files as `error.<code>`.
    pub code: String,
    /// English fallback text.
    pub message: String,
    /// The form field concerned, if any.
    pub field: Option<String>,
    /// Values the translated message interpolates (e.g. `seconds`).
    pub params: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_payload_carries_field() {
        let e = Error::invalid("user.name_required", "name", "name is required");
        let p = e.to_payload();
        assert_eq!(p.code, "user.name_required");
        assert_eq!(p.field.as_deref(), Some("name"));
        assert_eq!(Error::Throttled(30).to_payload().params["seconds"], 30);
        assert_eq!(Error::BadCredentials.code(), "auth.bad_credentials");
    }

    #[test]
    fn an_item_error_keeps_the_cause_and_names_the_item() {
        let e = Error::in_item("FK-2026-00003", Error::Throttled(5));
        let p = e.to_payload();
        assert_eq!(p.code, "auth.throttled");
        assert_eq!(p.params["item"], "FK-2026-00003");
        assert_eq!(p.params["seconds"], 5);
        assert!(p.message.starts_with("FK-2026-00003: "));
        let p = Error::in_item("#9", Error::invalid("a.b", "user_id", "x")).to_payload();
        assert_eq!(p.field.as_deref(), Some("user_id"));
        assert_eq!(p.params, serde_json::json!({"item": "#9"}));
    }
}
