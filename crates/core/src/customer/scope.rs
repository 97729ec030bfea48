//! Record-level visibility of customers: staff see their own, heads their department's (and
//! their own), everyone else all. Shared by every read and write of this module.

use crate::account::Actor;
use crate::permission::{Scope, scope};
use rusqlite::types::Value as SqlValue;

/// May `actor` see (and, with the right action, touch) a customer with this owner and
/// department?
pub fn can_see(actor: &Actor, owner: Option<i64>, department: Option<i64>) -> bool {
    match scope(actor.role) {
        Scope::All => true,
        Scope::Department => {
            owner == Some(actor.user_id)
                || (actor.department_id.is_some() && department == actor.department_id)
        }
        Scope::Own => owner == Some(actor.user_id),
    }
}

/// An SQL condition (starting with ` AND`) restricting `alias` (the customers table) to what
/// `actor` sees, with its parameters appended to `params`.
pub fn sql_filter(actor: &Actor, alias: &str, params: &mut Vec<SqlValue>) -> String {
    match scope(actor.role) {
        Scope::All => String::new(),
        Scope::Department => {
            params.push(SqlValue::Integer(actor.user_id));
            params.push(match actor.department_id {
                Some(d) => SqlValue::Integer(d),
                None => SqlValue::Null,
            });
            format!(
                " AND ({alias}.owner_user_id = ?{} OR {alias}.department_id = ?{})",
                params.len() - 1,
                params.len()
            )
        }
        Scope::Own => {
            params.push(SqlValue::Integer(actor.user_id));
            format!(" AND {alias}.owner_user_id = ?{}", params.len())
        }
    }
}
