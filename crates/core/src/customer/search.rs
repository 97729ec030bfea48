//! The global search box: customers and contacts by any substring of customer name, contact
//! name, phone, email or tag, by pinyin (full or initials) and by phone fragments. Queries of
//! three characters or more use the trigram index; shorter ones the gram index. Results are
//! grouped, limited, ranked (exact, then prefix, then the rest) and respect the actor's scope.

use super::model::{Stage, Tier};
use super::scope;
use super::search_index::{self, compact};
use crate::Result;
use crate::account::Actor;
use crate::permission::{Action, Scope};
use crate::validate::to_half_width;
use rusqlite::{Connection, params_from_iter, types::Value as SqlValue};
use serde::Serialize;

/// How many hits of each group a search returns at most.
pub const DEFAULT_LIMIT: usize = 20;
/// How many index matches are ranked per group (the most a broad query looks at).
const CANDIDATES: usize = 200;

/// A customer found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerHit {
    /// Id.
    pub id: i64,
    /// Number.
    pub number: String,
    /// Name.
    pub name: String,
    /// Stage.
    pub stage: Stage,
    /// Tier.
    pub tier: Tier,
}

/// A contact found, with its customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactHit {
    /// Contact id.
    pub id: i64,
    /// Customer id.
    pub customer_id: i64,
    /// Customer name.
    pub customer_name: String,
    /// Contact name.
    pub name: String,
    /// Mobile.
    pub mobile: String,
    /// Email.
    pub email: String,
}

/// Search results, grouped.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SearchResults {
    /// Customers, best first.
    pub customers: Vec<CustomerHit>,
    /// Contacts, best first.
    pub contacts: Vec<ContactHit>,
}

/// The query as matched: trimmed, half-width, lower-case; a phone-looking query loses its
/// spaces and dashes (`138 8` → `1388`).
pub fn normalise_query(q: &str) -> String {
    let q: String = q
        .trim()
        .chars()
        .map(to_half_width)
        .flat_map(char::to_lowercase)
        .collect();
    let phone_like = q.chars().any(|c| c.is_ascii_digit())
        && q.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+'));
    if phone_like {
        q.chars().filter(|c| c.is_ascii_digit()).collect()
    } else {
        q
    }
}

/// The two gram-index queries (FTS5 strings) for a short query `q` (normalised, 1–2
/// characters): its token where it starts a name and its token elsewhere
/// ([`search_index::gram_token`]). `None` when `q` holds a character no gram holds (grams are
/// the letters and digits of names), so that no gram can match.
fn gram_queries(q: &str) -> Option<(String, String)> {
    q.chars().all(char::is_alphanumeric).then(|| {
        (
            fts_phrase(&search_index::gram_token(q, true)),
            fts_phrase(&search_index::gram_token(q, false)),
        )
    })
}

/// An FTS5 string matching `q` as one token (the gram indexes' tokens).
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// The trigram-index query for `q` (3 characters or more): every trigram of `q`, all required.
/// The trigram indexes record which documents hold a trigram, not where (migration 0017), so
/// a document holding them all may still not hold `q` (`1388` has `138` and `388`, and so has
/// `1380388`): [`trigram_conditions`] checks the stored document as well.
pub(super) fn trigram_query(q: &str) -> String {
    let chars: Vec<char> = q.chars().collect();
    let mut trigrams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    trigrams.sort_unstable();
    trigrams.dedup();
    trigrams
        .iter()
        .map(|t| fts_phrase(t))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The SQL conditions selecting the rows of `customer_fts` and of `contact_fts` whose document
/// holds `q` (3 characters or more); pushes their parameters onto `params`. A three-character
/// `q` is its one trigram, which the index answers exactly; a longer one is looked for in the
/// stored document too.
fn trigram_conditions(q: &str, params: &mut Vec<SqlValue>) -> (String, String) {
    params.push(SqlValue::Text(trigram_query(q)));
    let n = params.len();
    let one_trigram = q.chars().count() == 3;
    if !one_trigram {
        params.push(SqlValue::Text(q.to_string()));
    }
    let condition = |table: &str| {
        if one_trigram {
            format!("{table} MATCH ?{n}")
        } else {
            format!("{table} MATCH ?{n} AND instr({table}.doc, ?{}) > 0", n + 1)
        }
    };
    (condition("customer_fts"), condition("contact_fts"))
}

fn rank(name: &str, q: &str) -> u8 {
    let n = name.to_lowercase();
    let c = compact(name);
    if n == q || c == q {
        return 0;
    }
    if n.starts_with(q) || c.starts_with(q) {
        return 1;
    }
    let forms = super::search_index::NameForms::of(name);
    if forms.initials.starts_with(q) || forms.full.starts_with(q) {
        2
    } else {
        3
    }
}

/// Search customers and contacts.
pub fn search(
    conn: &Connection,
    actor: &Actor,
    query: &str,
    limit: usize,
) -> Result<SearchResults> {
    actor.require(Action::CustomerView)?;
    let q = normalise_query(query);
    let limit = limit.clamp(1, 100);
    if q.is_empty() {
        return Ok(SearchResults::default());
    }
    let short = q.chars().count() < 3;
    let scoped = crate::permission::scope(actor.role) != Scope::All;

    let mut params: Vec<SqlValue> = Vec::new();
    let scope_sql = scope::sql_filter(actor, "c", &mut params);
    let n = params.len();
    // Candidate ids: from the index for the whole team; by scanning the documents of the
    // actor's own (few) customers otherwise, which stays exact for any query length.
    let (cust_sql, cont_sql) = if scoped {
        params.push(SqlValue::Text(q.clone()));
        (
            format!(
                "SELECT c.id, c.number, c.name, c.stage, c.tier FROM customers c
                 JOIN customer_fts f ON f.rowid = c.id
                 WHERE +c.archived = 0 {scope_sql}
                   AND (instr(f.doc, ?{q}) > 0
                        OR EXISTS (SELECT 1 FROM contacts k JOIN contact_fts cf ON cf.rowid = k.id
                                   WHERE k.customer_id = c.id AND instr(cf.doc, ?{q}) > 0))
                 LIMIT {CANDIDATES}",
                q = n + 1
            ),
            format!(
                "SELECT k.id, k.customer_id, c.name, k.name, k.mobile, k.email FROM contacts k
                 JOIN customers c ON c.id = k.customer_id JOIN contact_fts f ON f.rowid = k.id
                 WHERE +c.archived = 0 {scope_sql} AND instr(f.doc, ?{}) > 0 LIMIT {CANDIDATES}",
                n + 1
            ),
        )
    } else if short {
        // Names the query starts first, then the rest, each newest (highest id) first: a broad
        // query ranks a sample of its matches, the newest ones.
        let candidates = |table: &str| match gram_queries(&q) {
            Some(_) => format!(
                "SELECT DISTINCT ref_id FROM (
                   SELECT * FROM (SELECT 1 AS first, rowid AS ref_id FROM {table}
                                  WHERE {table} MATCH ?1 ORDER BY rowid DESC LIMIT {CANDIDATES})
                   UNION ALL
                   SELECT * FROM (SELECT 0, rowid FROM {table}
                                  WHERE {table} MATCH ?2 ORDER BY rowid DESC LIMIT {CANDIDATES})
                   ORDER BY first DESC, ref_id DESC LIMIT {CANDIDATES})"
            ),
            None => "SELECT NULL AS ref_id WHERE 0".to_string(),
        };
        if let Some((starts, within)) = gram_queries(&q) {
            params.push(SqlValue::Text(starts));
            params.push(SqlValue::Text(within));
        }
        (
            format!(
                "SELECT c.id, c.number, c.name, c.stage, c.tier FROM ({}) g
                 JOIN customers c ON c.id = g.ref_id WHERE +c.archived = 0",
                candidates("customer_grams")
            ),
            format!(
                "SELECT k.id, k.customer_id, c.name, k.name, k.mobile, k.email FROM ({}) g
                 JOIN contacts k ON k.id = g.ref_id JOIN customers c ON c.id = k.customer_id
                 WHERE +c.archived = 0",
                candidates("contact_grams")
            ),
        )
    } else {
        let (customer_match, contact_match) = trigram_conditions(&q, &mut params);
        (
            format!(
                "SELECT c.id, c.number, c.name, c.stage, c.tier FROM
                   (SELECT * FROM (SELECT rowid AS id FROM customer_fts
                                   WHERE {customer_match} LIMIT {CANDIDATES})
                    UNION
                    SELECT k.customer_id FROM
                      (SELECT rowid AS id FROM contact_fts WHERE {contact_match}
                       LIMIT {CANDIDATES}) cf
                    JOIN contacts k ON k.id = cf.id) f
                 JOIN customers c ON c.id = f.id WHERE +c.archived = 0"
            ),
            format!(
                "SELECT k.id, k.customer_id, c.name, k.name, k.mobile, k.email FROM
                   (SELECT rowid AS id FROM contact_fts WHERE {contact_match}
                    LIMIT {CANDIDATES}) f
                 JOIN contacts k ON k.id = f.id JOIN customers c ON c.id = k.customer_id
                 WHERE +c.archived = 0"
            ),
        )
    };
    let mut customers: Vec<(u8, CustomerHit)> = conn
        .prepare_cached(&cust_sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(CustomerHit {
                id: r.get(0)?,
                number: r.get(1)?,
                name: r.get(2)?,
                stage: Stage::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
                tier: Tier::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
            })
        })?
        .map(|h| h.map(|h| (rank(&h.name, &q), h)))
        .collect::<rusqlite::Result<_>>()?;
    if !scoped {
        // Names that start with the query rank first even when the index returned only a
        // sample of a broad match.
        let mut stmt = conn.prepare_cached(
            "SELECT c.id, c.number, c.name, c.stage, c.tier FROM customers c
             WHERE c.name >= ?1 AND c.name < ?2 AND +c.archived = 0 ORDER BY c.name LIMIT ?3",
        )?;
        let prefix = stmt.query_map(
            rusqlite::params![
                query.trim(),
                {
                    let mut u = query.trim().to_string();
                    u.push(char::MAX);
                    u
                },
                limit as i64
            ],
            |r| {
                Ok(CustomerHit {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    name: r.get(2)?,
                    stage: Stage::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
                    tier: Tier::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
                })
            },
        )?;
        for h in prefix {
            let h = h?;
            if !customers.iter().any(|(_, c)| c.id == h.id) {
                customers.push((rank(&h.name, &q).min(1), h));
            }
        }
    }
    customers.sort_by(|a, b| {
        (a.0, a.1.name.chars().count(), &a.1.name).cmp(&(b.0, b.1.name.chars().count(), &b.1.name))
    });
    customers.truncate(limit);

    let mut contacts: Vec<(u8, ContactHit)> = conn
        .prepare_cached(&cont_sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok(ContactHit {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                customer_name: r.get(2)?,
                name: r.get(3)?,
                mobile: r.get(4)?,
                email: r.get(5)?,
            })
        })?
        .map(|h| {
            h.map(|h| {
                let r = if h.mobile.starts_with(&q) || h.email.to_lowercase().starts_with(&q) {
                    1
                } else {
                    rank(&h.name, &q)
                };
                (r, h)
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    contacts.sort_by(|a, b| (a.0, &a.1.name, a.1.id).cmp(&(b.0, &b.1.name, b.1.id)));
    contacts.truncate(limit);
    Ok(SearchResults {
        customers: customers.into_iter().map(|(_, h)| h).collect(),
        contacts: contacts.into_iter().map(|(_, h)| h).collect(),
    })
}

/// An SQL condition (with its one parameter) selecting the customers whose search document,
/// or one of whose contacts' documents, matches `q` — for the list's text filter. `None` when
/// `q` is empty.
pub(crate) fn list_condition(q: &str, params: &mut Vec<SqlValue>) -> Option<String> {
    let q = normalise_query(q);
    if q.is_empty() {
        return None;
    }
    // Each query length has its pair of indexes: one over customers, one over contacts.
    let (customer_index, customer_match, contact_index, contact_match) = if q.chars().count() >= 3 {
        let (customer_match, contact_match) = trigram_conditions(&q, params);
        ("customer_fts", customer_match, "contact_fts", contact_match)
    } else {
        let Some((starts, within)) = gram_queries(&q) else {
            // A character no gram holds (grams are letters and digits): nothing matches.
            return Some("0".to_string());
        };
        params.push(SqlValue::Text(format!("{starts} OR {within}")));
        let n = params.len();
        (
            "customer_grams",
            format!("customer_grams MATCH ?{n}"),
            "contact_grams",
            format!("contact_grams MATCH ?{n}"),
        )
    };
    Some(format!(
        "(c.id IN (SELECT rowid FROM {customer_index} WHERE {customer_match})
          OR c.id IN (SELECT k.customer_id FROM contacts k WHERE k.id IN
             (SELECT rowid FROM {contact_index} WHERE {contact_match})))"
    ))
}
