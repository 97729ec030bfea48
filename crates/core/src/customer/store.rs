//! Storage of customers: create (with contacts and tags), read (with contacts, tags and
//! pending change requests) and edit with optimistic concurrency, key fields going through
//! change requests for staff. Every field change writes history; the search index follows.

use super::change_request::{self, ChangeRequest, key_fields};
use super::changes::{Change, apply_change, is_key_change};
use super::contact_rules::validate_contacts;
use super::fields::{
    CreatedSnapshot, SCALAR_FIELDS, clean_tags, contact_json, contact_value, scalar_value,
    validate_customer,
};
use super::history::{HistoryKind, NewEntry, record, record_created};
use super::model::{
    Contact, ContactInput, Customer, CustomerDetail, CustomerInput, CustomerUpdate, NewCustomer,
    Stage, Tier,
};
use super::number::NumberBlock;
use super::scope::can_see;
use super::tags::{customer_tags, ensure_tags};
use super::{dedupe, search_index};
use crate::account::Actor;
use crate::money::Money;
use crate::permission::{Action, Role, Scope, scope};
use crate::{Error, Result};
use chrono::{DateTime, Datelike, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The customers columns every read selects, in [`customer_from_row`]'s order.
pub(crate) const COLUMNS: &str = "c.id, c.number, c.name, c.industry, c.stage, c.tier, \
    c.coop_start, c.contract_end, c.annual_amount, c.currency, c.products, c.source, \
    c.first_feedback, c.next_followup_on, c.next_followup_plan, c.last_contact_at, \
    c.owner_user_id, c.department_id, c.archived, c.created_by, c.created_at, c.updated_by, \
    c.updated_at, c.version";

/// Map a row selected with [`COLUMNS`].
pub(crate) fn customer_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        number: r.get(1)?,
        name: r.get(2)?,
        industry: r.get(3)?,
        stage: Stage::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
        tier: Tier::parse(&r.get::<_, String>(5)?).unwrap_or_default(),
        coop_start: r.get(6)?,
        contract_end: r.get(7)?,
        annual_amount: Money(r.get(8)?),
        currency: r.get(9)?,
        products: r.get(10)?,
        source: r.get(11)?,
        first_feedback: r.get(12)?,
        next_followup_on: r.get(13)?,
        next_followup_plan: r.get(14)?,
        last_contact_at: r.get(15)?,
        owner_user_id: r.get(16)?,
        department_id: r.get(17)?,
        archived: r.get(18)?,
        created_by: r.get(19)?,
        created_at: r.get(20)?,
        updated_by: r.get(21)?,
        updated_at: r.get(22)?,
        version: r.get(23)?,
    })
}

/// One customer, no checks.
pub(crate) fn load(conn: &Connection, id: i64) -> Result<Customer> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customers c WHERE c.id = ?1"
    ))?
    .query_row([id], customer_from_row)
    .optional()?
    .ok_or(Error::NotFound("customer"))
}

/// One customer the actor may see; others are reported as not found (nothing leaks).
pub(crate) fn load_visible(conn: &Connection, actor: &Actor, id: i64) -> Result<Customer> {
    let c = load(conn, id)?;
    if can_see(actor, c.owner_user_id, c.department_id) {
        Ok(c)
    } else {
        Err(Error::NotFound("customer"))
    }
}

/// A stored customer's fields as the form would show them.
pub(crate) fn customer_as_input(c: &Customer) -> CustomerInput {
    CustomerInput {
        name: c.name.clone(),
        industry: c.industry.clone(),
        stage: c.stage,
        tier: c.tier,
        coop_start: c.coop_start,
        contract_end: c.contract_end,
        annual_amount: c.annual_amount,
        currency: c.currency.clone(),
        products: c.products.clone(),
        source: c.source.clone(),
        first_feedback: c.first_feedback.clone(),
        next_followup_on: c.next_followup_on,
        next_followup_plan: c.next_followup_plan.clone(),
        owner_user_id: c.owner_user_id,
        department_id: c.department_id,
    }
}

/// A customer's contacts, primary first.
pub(crate) fn contacts_of(conn: &Connection, customer_id: i64) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, customer_id, name, position, mobile, landline, email, birthday, notes,
                is_primary
         FROM contacts WHERE customer_id = ?1 ORDER BY is_primary DESC, id",
    )?;
    let rows = stmt
        .query_map([customer_id], |r| {
            Ok(Contact {
                id: r.get(0)?,
                customer_id: r.get(1)?,
                name: r.get(2)?,
                position: r.get(3)?,
                mobile: r.get(4)?,
                landline: r.get(5)?,
                email: r.get(6)?,
                birthday: r.get(7)?,
                notes: r.get(8)?,
                is_primary: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Insert one validated contact.
pub(crate) fn insert_contact(
    conn: &Connection,
    customer_id: i64,
    c: &ContactInput,
    primary: bool,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO contacts (customer_id, name, position, mobile, landline, email, birthday,
                               notes, is_primary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        customer_id,
        c.name,
        c.position,
        c.mobile,
        c.landline,
        c.email,
        c.birthday,
        c.notes,
        primary
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The detail page of a customer already checked for visibility.
pub(crate) fn detail(conn: &Connection, customer: Customer) -> Result<CustomerDetail> {
    let id = customer.id;
    Ok(CustomerDetail {
        contacts: contacts_of(conn, id)?,
        tags: customer_tags(conn, id)?,
        pending_changes: change_request::pending_for(conn, id)?,
        customer,
    })
}

/// Read one customer with contacts, tags and pending change requests.
pub fn get_customer(conn: &Connection, actor: &Actor, id: i64) -> Result<CustomerDetail> {
    actor.require(Action::CustomerView)?;
    let c = load_visible(conn, actor, id)?;
    detail(conn, c)
}

/// The year customer numbers are counted in: the team's local year.
pub(crate) fn local_year(conn: &Connection, now: DateTime<Utc>) -> Result<i32> {
    let tz = crate::calendar::store::parse_time_zone(&crate::team::time_zone(conn)?)?;
    Ok(now.with_timezone(&tz).year())
}

/// Check an owner: an active user the actor may hand customers to (staff: themselves; heads:
/// their department). Returns the owner's department.
pub(crate) fn check_owner(conn: &Connection, actor: &Actor, owner: i64) -> Result<Option<i64>> {
    let dept: Option<Option<i64>> = conn
        .prepare_cached("SELECT department_id FROM users WHERE id = ?1 AND active = 1")?
        .query_row([owner], |r| r.get(0))
        .optional()?;
    let Some(dept) = dept else {
        return Err(Error::invalid(
            "customer.owner_invalid",
            "owner_user_id",
            "choose an active user as owner",
        ));
    };
    let allowed = match scope(actor.role) {
        Scope::All => true,
        Scope::Department => {
            owner == actor.user_id || (dept.is_some() && dept == actor.department_id)
        }
        Scope::Own => owner == actor.user_id,
    };
    if !allowed {
        return Err(Error::Forbidden(
            "the owner is outside the actor's scope".into(),
        ));
    }
    Ok(dept)
}

/// Create a customer with its contacts and tags, numbered, in one transaction. The owner
/// defaults to the actor and the department to the owner's department.
pub fn create_customer(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    input: &NewCustomer,
) -> Result<CustomerDetail> {
    actor.require(Action::CustomerCreate)?;
    let tx = conn.transaction()?;
    let mut lookups = InsertLookups::per_row(local_year(&tx, now)?);
    let id = insert_customer(&tx, now, actor, &mut lookups, input, HistoryKind::Created)?;
    tx.commit()?;
    detail(conn, load(conn, id)?)
}

/// What inserting customers looks up once per distinct value instead of once per row: the
/// owners' departments, tag ids and, for bulk inserts, the customer-number counter (imports
/// spent seconds on these per-row queries). Valid inside one transaction, in which nothing
/// else changes users or tags.
pub(crate) struct InsertLookups {
    year: i32,
    block: Option<NumberBlock>,
    owner_depts: HashMap<i64, Option<i64>>,
    tag_ids: HashMap<String, i64>,
}

impl InsertLookups {
    /// For single inserts: each number is taken from the counter when the row is written.
    pub(crate) fn per_row(year: i32) -> Self {
        Self {
            year,
            block: None,
            owner_depts: HashMap::new(),
            tag_ids: HashMap::new(),
        }
    }

    /// For bulk inserts: numbers come from a [`NumberBlock`]; [`Self::finish`] must run before
    /// the transaction commits.
    pub(crate) fn bulk(conn: &Connection, year: i32) -> Result<Self> {
        Ok(Self {
            block: Some(NumberBlock::begin(conn, year)?),
            ..Self::per_row(year)
        })
    }

    /// Store the counter of a bulk insert's numbers.
    pub(crate) fn finish(self, conn: &Connection) -> Result<()> {
        match self.block {
            Some(b) => b.finish(conn),
            None => Ok(()),
        }
    }

    fn number(&mut self, conn: &Connection) -> Result<String> {
        match &mut self.block {
            Some(b) => Ok(b.next_number()),
            None => super::number::next_customer_number(conn, self.year),
        }
    }

    /// [`check_owner`], remembered per owner once it passed (the actor is the same for the
    /// whole transaction).
    fn owner_dept(&mut self, conn: &Connection, actor: &Actor, owner: i64) -> Result<Option<i64>> {
        if let Some(d) = self.owner_depts.get(&owner) {
            return Ok(*d);
        }
        let d = check_owner(conn, actor, owner)?;
        self.owner_depts.insert(owner, d);
        Ok(d)
    }

    /// The ids of these tag names, creating missing tags ([`ensure_tags`]) once per name.
    fn tag_ids(&mut self, conn: &Connection, names: &[String]) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(names.len());
        for n in names {
            let id = match self.tag_ids.get(n) {
                Some(id) => *id,
                None => {
                    let id = ensure_tags(conn, std::slice::from_ref(n))?[0];
                    self.tag_ids.insert(n.clone(), id);
                    id
                }
            };
            ids.push(id);
        }
        Ok(ids)
    }
}

/// The body of [`create_customer`], also used by imports (inside their transaction).
pub(crate) fn insert_customer(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    lookups: &mut InsertLookups,
    input: &NewCustomer,
    kind: HistoryKind,
) -> Result<i64> {
    let id = insert_customer_unindexed(conn, now, actor, lookups, input, kind)?;
    search_index::index(conn, id)?;
    Ok(id)
}

/// [`insert_customer`] without the search index: for bulk imports, which index every new
/// customer at once at the end ([`search_index::index_from`]) in the same transaction.
pub(crate) fn insert_customer_unindexed(
    conn: &Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    lookups: &mut InsertLookups,
    input: &NewCustomer,
    kind: HistoryKind,
) -> Result<i64> {
    let mut fields = validate_customer(&input.customer)?;
    let contacts = validate_contacts(&input.contacts)?;
    let tags = clean_tags(&input.tags)?;
    let owner = fields.owner_user_id.unwrap_or(actor.user_id);
    let owner_dept = lookups.owner_dept(conn, actor, owner)?;
    fields.owner_user_id = Some(owner);
    fields.department_id = fields.department_id.or(owner_dept);
    let number = lookups.number(conn)?;
    let t = now.timestamp();
    conn.prepare_cached(
        "INSERT INTO customers (number, name, name_key, industry, stage, tier, coop_start,
            contract_end, annual_amount, currency, products, source, first_feedback,
            next_followup_on, next_followup_plan, owner_user_id, department_id, created_by,
            created_at, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?18, ?19)",
    )?
    .execute(params![
        number,
        fields.name,
        dedupe::name_key(&fields.name),
        fields.industry,
        fields.stage.as_str(),
        fields.tier.as_str(),
        fields.coop_start,
        fields.contract_end,
        fields.annual_amount.0,
        fields.currency,
        fields.products,
        fields.source,
        fields.first_feedback,
        fields.next_followup_on,
        fields.next_followup_plan,
        fields.owner_user_id,
        fields.department_id,
        actor.user_id,
        t
    ])?;
    let id = conn.last_insert_rowid();
    for c in &contacts {
        insert_contact(conn, id, c, c.is_primary)?;
    }
    let mut tag_insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id) VALUES (?1, ?2)",
    )?;
    for tag_id in lookups.tag_ids(conn, &tags)? {
        tag_insert.execute(params![id, tag_id])?;
    }
    record_created(
        conn,
        now,
        Some(actor.user_id),
        id,
        kind,
        &CreatedSnapshot::new(&fields, &number, &contacts, &tags),
    )?;
    Ok(id)
}

/// What an edit did: the record now, and the change requests it filed instead of saving.
#[derive(Debug, Clone, Serialize)]
pub struct UpdateOutcome {
    /// The customer after the edit.
    pub customer: CustomerDetail,
    /// Fields saved at once.
    pub applied: Vec<String>,
    /// Key-field changes waiting for approval.
    pub requested: Vec<ChangeRequest>,
}

/// Edit a customer. Refused with `customer.changed_elsewhere` unless `input.version` is the
/// stored version (no silent overwrite). When staff change a key field, a change request is
/// filed (reason required) and the rest saves at once; heads, supervisors and admins save key
/// fields directly (they are the approvers), and every change is in the history either way.
pub fn update_customer(
    conn: &mut Connection,
    now: DateTime<Utc>,
    actor: &Actor,
    id: i64,
    input: &CustomerUpdate,
) -> Result<UpdateOutcome> {
    actor.require(Action::CustomerEdit)?;
    let tx = conn.transaction()?;
    let cur = load_visible(&tx, actor, id)?;
    if cur.version != input.version {
        return Err(Error::conflict(
            "customer.changed_elsewhere",
            "someone else changed this customer meanwhile; reload and edit again",
        ));
    }
    if cur.archived {
        return Err(Error::conflict(
            "customer.archived",
            "restore the customer before editing it",
        ));
    }
    let mut new = validate_customer(&input.customer)?;
    new.owner_user_id = new.owner_user_id.or(cur.owner_user_id);
    new.department_id = new.department_id.or(cur.department_id);
    if new.owner_user_id != cur.owner_user_id
        && let Some(o) = new.owner_user_id
    {
        check_owner(&tx, actor, o)?;
    }
    let contacts = validate_contacts(&input.contacts)?;
    let tags = clean_tags(&input.tags)?;
    let existing = contacts_of(&tx, id)?;
    for c in &contacts {
        if let Some(cid) = c.id
            && !existing.iter().any(|e| e.id == cid)
        {
            return Err(Error::NotFound("contact"));
        }
    }

    let old = customer_as_input(&cur);
    let mut changes: Vec<Change> = Vec::new();
    for f in SCALAR_FIELDS {
        let (o, n) = (scalar_value(&old, f), scalar_value(&new, f));
        if o != n {
            changes.push(Change::new(f, None, o, n));
        }
    }
    let old_tags = super::changes::tags_value(
        &customer_tags(&tx, id)?
            .into_iter()
            .map(|t| t.name)
            .collect::<Vec<_>>(),
    );
    let new_tags = super::changes::tags_value(&tags);
    if old_tags != new_tags {
        changes.push(Change::new("tags", None, old_tags, new_tags));
    }
    let old_primary = existing.iter().find(|e| e.is_primary).map(|e| e.id);
    for e in &existing {
        let e_in = super::fields::contact_as_input(e);
        match contacts.iter().find(|c| c.id == Some(e.id)) {
            Some(c) => {
                for f in [
                    "contact_name",
                    "contact_position",
                    "contact_phone",
                    "contact_email",
                    "contact_birthday",
                    "contact_notes",
                ] {
                    let (o, n) = (contact_value(&e_in, f), contact_value(c, f));
                    if o != n {
                        changes.push(Change::new(f, Some(e.id), o, n));
                    }
                }
            }
            None => changes.push(Change::new(
                "contact_removed",
                Some(e.id),
                contact_json(&e_in),
                Value::Null,
            )),
        }
    }

    let direct = actor.role != Role::Staff;
    let keys = key_fields(&tx)?;
    let (mut requested, applied): (Vec<Change>, Vec<Change>) = changes
        .into_iter()
        .partition(|c| !direct && is_key_change(c, &keys, old_primary, &existing));
    let primary_is_key =
        !direct && old_primary.is_some() && keys.iter().any(|k| k == "primary_contact");

    search_index::unindex(&tx, id)?;
    let mut applied_names: Vec<String> = Vec::new();
    // New contacts are saved at once, never primary while the primary change awaits approval.
    let mut new_primary: Option<i64> = contacts.iter().find(|c| c.is_primary).and_then(|c| c.id);
    for c in contacts.iter().filter(|c| c.id.is_none()) {
        let cid = insert_contact(&tx, id, c, false)?;
        if c.is_primary {
            new_primary = Some(cid);
        }
        let v = contact_json(c);
        record(
            &tx,
            now,
            Some(actor.user_id),
            id,
            HistoryKind::Updated,
            NewEntry {
                field: "contact_added",
                contact_id: Some(cid),
                new_value: Some(&v),
                ..Default::default()
            },
        )?;
        applied_names.push("contact_added".into());
    }
    let mut applied = applied;
    if new_primary != old_primary {
        let ch = Change::new(
            "primary_contact",
            None,
            json!(old_primary),
            json!(new_primary),
        );
        if primary_is_key {
            requested.push(ch);
        } else {
            applied.push(ch);
        }
    }
    require_reason(&requested, &input.reason)?;
    let reason = crate::validate::text("reason", &input.reason)?;
    // The primary moves before contacts are removed, so one primary always remains.
    applied.sort_by_key(|c| c.field != "primary_contact");
    for ch in &applied {
        apply_recorded(&tx, now, actor.user_id, id, ch)?;
        applied_names.push(ch.field.clone());
    }
    let mut filed = Vec::new();
    for ch in &requested {
        filed.push(request_recorded(&tx, now, actor.user_id, id, ch, &reason)?);
    }
    if !applied_names.is_empty() {
        touch(&tx, now, actor.user_id, id)?;
    }
    search_index::index(&tx, id)?;
    tx.commit()?;
    let requested = filed
        .into_iter()
        .map(|cr| change_request::load_request(conn, cr))
        .collect::<Result<Vec<_>>>()?;
    Ok(UpdateOutcome {
        customer: detail(conn, load(conn, id)?)?,
        applied: applied_names,
        requested,
    })
}

/// Key-field changes become requests only with a reason a head can judge.
pub(crate) fn require_reason(requested: &[Change], reason: &str) -> Result<()> {
    if !requested.is_empty() && reason.trim().is_empty() {
        return Err(Error::invalid(
            "change_request.reason_required",
            "reason",
            "give a reason for changing key fields",
        ));
    }
    Ok(())
}

/// Save one change at once and write it to the customer's history (inside the caller's
/// transaction): the one way a direct edit, single or bulk, reaches the record.
pub(crate) fn apply_recorded(
    conn: &Connection,
    now: DateTime<Utc>,
    user_id: i64,
    id: i64,
    ch: &Change,
) -> Result<()> {
    apply_change(conn, id, ch)?;
    record(
        conn,
        now,
        Some(user_id),
        id,
        HistoryKind::Updated,
        NewEntry {
            field: &ch.field,
            contact_id: ch.contact_id,
            old_value: Some(&ch.old),
            new_value: Some(&ch.new),
            change_request_id: None,
        },
    )
}

/// File a change request for one key-field change and write the request to the history
/// (inside the caller's transaction); returns the request's id.
pub(crate) fn request_recorded(
    conn: &Connection,
    now: DateTime<Utc>,
    user_id: i64,
    id: i64,
    ch: &Change,
    reason: &str,
) -> Result<i64> {
    let cr = change_request::file(conn, now, user_id, id, ch, reason)?;
    record(
        conn,
        now,
        Some(user_id),
        id,
        HistoryKind::Requested,
        NewEntry {
            field: &ch.field,
            contact_id: ch.contact_id,
            old_value: Some(&ch.old),
            new_value: Some(&ch.new),
            change_request_id: Some(cr),
        },
    )?;
    Ok(cr)
}

/// Mark a customer as changed: new version, editor and time.
pub(crate) fn touch(conn: &Connection, now: DateTime<Utc>, user_id: i64, id: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE customers SET version = version + 1, updated_by = ?1, updated_at = ?2 WHERE id = ?3",
    )?
    .execute(params![user_id, now.timestamp(), id])?;
    Ok(())
}
