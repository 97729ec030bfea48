-- Customers: master records, contacts, tags, key-field change requests and the append-only
-- history of every change.

-- Gap-free yearly counters for human-readable numbers (KH-2026-00001). A number is never
-- reused: counters only go up, even when a customer is erased.
CREATE TABLE sequences (
    name  TEXT    NOT NULL,
    year  INTEGER NOT NULL,
    last  INTEGER NOT NULL,
    PRIMARY KEY (name, year)
);

CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY,
    number              TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    name_key            TEXT    NOT NULL DEFAULT '',  -- normalised name for duplicate detection
    industry            TEXT    NOT NULL DEFAULT '',
    stage               TEXT    NOT NULL DEFAULT 'potential'
                        CHECK (stage IN ('potential','signed','strategic','churned')),
    tier                TEXT    NOT NULL DEFAULT 'C' CHECK (tier IN ('A','B','C')),
    coop_start          TEXT,                 -- date
    contract_end        TEXT,                 -- date
    annual_amount       INTEGER NOT NULL DEFAULT 0,  -- minor units (fen)
    currency            TEXT    NOT NULL DEFAULT 'CNY',
    products            TEXT    NOT NULL DEFAULT '',
    source              TEXT    NOT NULL DEFAULT '',
    first_feedback      TEXT    NOT NULL DEFAULT '',
    next_followup_on    TEXT,                 -- date
    next_followup_plan  TEXT    NOT NULL DEFAULT '',
    last_contact_at     INTEGER,              -- derived from the newest interaction
    owner_user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    department_id       INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    archived            INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at          INTEGER NOT NULL,
    updated_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at          INTEGER NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1   -- optimistic concurrency: no silent overwrite
);
CREATE INDEX customers_owner ON customers(owner_user_id);
CREATE INDEX customers_department ON customers(department_id);
CREATE INDEX customers_name_key ON customers(name_key);

CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    position     TEXT    NOT NULL DEFAULT '',
    mobile       TEXT    NOT NULL DEFAULT '',   -- normalised 11 digits
    landline     TEXT    NOT NULL DEFAULT '',
    email        TEXT    NOT NULL DEFAULT '',
    birthday     TEXT,                          -- date (year may be 1904 when unknown)
    notes        TEXT    NOT NULL DEFAULT '',
    is_primary   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_customer ON contacts(customer_id);
CREATE UNIQUE INDEX contacts_one_primary ON contacts(customer_id) WHERE is_primary = 1;
