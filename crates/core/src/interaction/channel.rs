//! The editable list of interaction channels (上门拜访, 电话, 回访, …). Codes are stable; names
//! change; archived channels stay on old records but are not offered for new ones.

use crate::account::Actor;
use crate::permission::Action;
use crate::team::audit;
use crate::validate::required_line;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

/// One channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// Stable code (`visit`, `phone`, `callback`, …).
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Not offered for new interactions.
    pub archived: bool,
}

/// A channel as the settings page sends it; a new code adds a channel.
pub type ChannelInput = Channel;

/// The channels in display order (archived ones only when asked).
pub fn channels(conn: &Connection, actor: &Actor, include_archived: bool) -> Result<Vec<Channel>> {
    actor.require(Action::InteractionView)?;
    let mut stmt = conn.prepare(
        "SELECT code, name_zh, name_en, archived FROM interaction_channels
         WHERE archived = 0 OR ?1 ORDER BY archived, sort, code",
    )?;
    let rows = stmt
        .query_map([include_archived], |r| {
            Ok(Channel {
                code: r.get(0)?,
                name_zh: r.get(1)?,
                name_en: r.get(2)?,
                archived: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Add a channel or rename / archive an existing one (team settings: admins).
pub fn save_channel(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &ChannelInput,
) -> Result<Channel> {
    actor.require(Action::TeamEdit)?;
    let code = input.code.trim();
    let valid = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(Error::invalid(
            "interaction.channel_code_invalid",
            "code",
            "use lower-case letters, digits or _ (at most 32)",
        ));
    }
    let name_zh = required_line("name_zh", &input.name_zh)?;
    let name_en = required_line("name_en", &input.name_en)?;
    let exists: Option<String> = conn
        .query_row(
            "SELECT code FROM interaction_channels WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        conn.execute(
            "UPDATE interaction_channels SET name_zh = ?1, name_en = ?2, archived = ?3 WHERE code = ?4",
            params![name_zh, name_en, input.archived, code],
        )?;
    } else {
        conn.execute(
            "INSERT INTO interaction_channels (code, name_zh, name_en, archived, sort)
             VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(sort), 0) + 1 FROM interaction_channels))",
            params![code, name_zh, name_en, input.archived],
        )?;
    }
    audit(
        conn,
        now,
        Some(actor.user_id),
        "interaction.channel_save",
        "interaction_channel",
        None,
        code,
    )?;
    Ok(Channel {
        code: code.to_string(),
        name_zh,
        name_en,
        archived: input.archived,
    })
}

/// Is `code` a channel, and is it archived? `None` when unknown.
pub(crate) fn channel_archived(conn: &Connection, code: &str) -> Result<Option<bool>> {
    Ok(conn
        .query_row(
            "SELECT archived FROM interaction_channels WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Fixture, t};

    #[test]
    fn seeded_channels_and_editing() {
        let f = Fixture::new();
        let list = channels(&f.conn, &f.staff1, false).unwrap();
        let codes: Vec<_> = list.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "visit",
                "online_meeting",
                "phone",
                "email",
                "im",
                "greeting",
                "trial_feedback",
                "callback",
                "other"
            ]
        );
        assert_eq!(list[0].name_zh, "上门拜访");
        assert_eq!(list[4].name_zh, "微信/即时通讯");
        let now = t(2024, 3, 1, 0, 0);
        let input = Channel {
            code: "exhibition".into(),
            name_zh: "展会".into(),
            name_en: "Trade fair".into(),
            archived: false,
        };
        assert!(matches!(
            save_channel(&f.conn, now, &f.staff1, &input).unwrap_err(),
            Error::Forbidden(_)
        ));
        save_channel(&f.conn, now, &f.admin, &input).unwrap();
        let bad = Channel {
            code: "../x".into(),
            ..input.clone()
        };
        assert_eq!(
            save_channel(&f.conn, now, &f.admin, &bad)
                .unwrap_err()
                .code(),
            "interaction.channel_code_invalid"
        );
        let archived = Channel {
            archived: true,
            ..input
        };
        save_channel(&f.conn, now, &f.admin, &archived).unwrap();
        assert_eq!(channels(&f.conn, &f.staff1, false).unwrap().len(), 9);
        let all = channels(&f.conn, &f.staff1, true).unwrap();
        assert_eq!(all.len(), 10);
        assert!(all.last().unwrap().archived);
    }
}
