//! Record-level access shared by the modules that hang off customers (interactions, tasks,
//! templates): which customers an actor may see and work on, per [`permission::scope`].
//!
//! Staff work on the customers they own, heads on their department's customers (and any they own
//! themselves), everyone else on all. A customer outside the scope is reported as not found, so
//! its existence is not revealed.

use crate::account::Actor;
use crate::permission::{self, Scope};
use crate::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// The few customer fields the modules in this file's care rely on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CustomerRef {
    pub id: i64,
    pub name: String,
    pub owner_user_id: Option<i64>,
    pub department_id: Option<i64>,
    pub archived: bool,
}

/// An SQL condition on a customers row aliased `alias` that is true when the actor may see it.
/// Only integers from the actor are inlined, so the text is safe to splice into a query.
pub(crate) fn customer_condition(actor: &Actor, alias: &str) -> String {
    match permission::scope(actor.role) {
        Scope::All => "1".to_string(),
        Scope::Own => format!("{alias}.owner_user_id = {}", actor.user_id),
        Scope::Department => match actor.department_id {
            Some(d) => format!(
                "({alias}.department_id = {d} OR {alias}.owner_user_id = {})",
                actor.user_id
            ),
            None => format!("{alias}.owner_user_id = {}", actor.user_id),
        },
    }
}

/// Is this customer within the actor's scope?
pub(crate) fn customer_in_scope(actor: &Actor, c: &CustomerRef) -> bool {
    match permission::scope(actor.role) {
        Scope::All => true,
        Scope::Own => c.owner_user_id == Some(actor.user_id),
        Scope::Department => {
            c.owner_user_id == Some(actor.user_id)
                || (actor.department_id.is_some() && c.department_id == actor.department_id)
        }
    }
}

/// Load a customer the actor may see, or [`Error::NotFound`].
pub(crate) fn visible_customer(
    conn: &Connection,
    actor: &Actor,
    customer_id: i64,
) -> Result<CustomerRef> {
    let c = conn
        .query_row(
            "SELECT id, name, owner_user_id, department_id, archived FROM customers WHERE id = ?1",
            [customer_id],
            |r| {
                Ok(CustomerRef {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    owner_user_id: r.get(2)?,
                    department_id: r.get(3)?,
                    archived: r.get(4)?,
                })
            },
        )
        .optional()?
        .ok_or(Error::NotFound("customer"))?;
    if customer_in_scope(actor, &c) {
        Ok(c)
    } else {
        Err(Error::NotFound("customer"))
    }
}

/// A user's department, or `None` when the user has none; [`Error::NotFound`] when no such user.
pub(crate) fn user_department(conn: &Connection, user_id: i64) -> Result<Option<i64>> {
    conn.query_row(
        "SELECT department_id FROM users WHERE id = ?1",
        [user_id],
        |r| r.get::<_, Option<i64>>(0),
    )
    .optional()?
    .ok_or(Error::NotFound("user"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::Fixture;

    #[test]
    fn scope_follows_roles() {
        let f = Fixture::new();
        // Staff 1 owns customer 1 (department 1), staff 2 owns customer 2 (department 2).
        assert!(visible_customer(&f.conn, &f.staff1, f.cust1).is_ok());
        assert_eq!(
            visible_customer(&f.conn, &f.staff1, f.cust2)
                .unwrap_err()
                .code(),
            "not_found"
        );
        assert!(visible_customer(&f.conn, &f.head1, f.cust1).is_ok());
        assert!(visible_customer(&f.conn, &f.head1, f.cust1b).is_ok());
        assert!(visible_customer(&f.conn, &f.head1, f.cust2).is_err());
        for all in [&f.admin, &f.supervisor, &f.viewer] {
            assert!(visible_customer(&f.conn, all, f.cust2).is_ok());
        }
        assert!(visible_customer(&f.conn, &f.admin, 9999).is_err());
    }
}
