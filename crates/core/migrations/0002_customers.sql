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
CREATE INDEX customers_name ON customers(name);
CREATE INDEX customers_archived_updated ON customers(archived, updated_at);
CREATE INDEX contacts_mobile ON contacts(mobile) WHERE mobile <> '';
CREATE INDEX contacts_email ON contacts(email COLLATE NOCASE) WHERE email <> '';

-- The editable list of industries offered in the customer form (制造业, 零售业, …).
CREATE TABLE industries (
    id    INTEGER PRIMARY KEY,
    name  TEXT    NOT NULL UNIQUE,
    sort  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO industries (name, sort) VALUES
    ('制造业', 1), ('零售业', 2), ('批发业', 3), ('信息技术', 4), ('金融业', 5),
    ('建筑业', 6), ('物流运输', 7), ('教育', 8), ('医疗健康', 9), ('餐饮酒店', 10),
    ('房地产', 11), ('能源化工', 12), ('农业', 13), ('政府及公共事业', 14), ('其他', 15);

-- Free, coloured labels; many per customer.
CREATE TABLE tags (
    id      INTEGER PRIMARY KEY,
    name    TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    colour  TEXT    NOT NULL DEFAULT '#888888'
);

CREATE TABLE customer_tags (
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag_id       INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX customer_tags_tag ON customer_tags(tag_id, customer_id);

-- Key-field changes waiting for (or decided by) a department head or an admin. Values are JSON.
CREATE TABLE change_requests (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    field             TEXT    NOT NULL,
    contact_id        INTEGER,              -- for contact fields; no FK: the contact may go
    old_value         TEXT    NOT NULL,
    new_value         TEXT    NOT NULL,
    reason            TEXT    NOT NULL,
    requested_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    requested_at      INTEGER NOT NULL,
    status            TEXT    NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending','approved','rejected')),
    decided_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    decided_at        INTEGER,
    decision_comment  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX change_requests_customer ON change_requests(customer_id, status);
CREATE INDEX change_requests_pending ON change_requests(status, requested_at);

-- Every change of every field of a customer. Append-only: rows are never edited or deleted,
-- except through the two permits below, which exist only inside the transaction of a merge
-- (history moves to the survivor: only customer_id may change) or an erasure (PIPL).
-- customer_id has no foreign key: the history of a merged customer outlives its row.
CREATE TABLE customer_history (
    id                 INTEGER PRIMARY KEY,
    customer_id        INTEGER NOT NULL,
    at                 INTEGER NOT NULL,
    user_id            INTEGER REFERENCES users(id) ON DELETE SET NULL,
    kind               TEXT    NOT NULL CHECK (kind IN
                       ('created','updated','archived','restored','merged','approved','rejected',
                        'requested','imported','reviewed')),
    field              TEXT    NOT NULL DEFAULT '',
    contact_id         INTEGER,
    old_value          TEXT,
    new_value          TEXT,
    change_request_id  INTEGER
);
CREATE INDEX customer_history_customer ON customer_history(customer_id, id);

CREATE TABLE customer_history_permits (
    customer_id  INTEGER NOT NULL,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('merge','erase')),
    PRIMARY KEY (customer_id, purpose)
);
CREATE TRIGGER customer_history_no_update BEFORE UPDATE ON customer_history
WHEN NOT (
    NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.user_id IS OLD.user_id AND NEW.kind = OLD.kind
    AND NEW.field = OLD.field AND NEW.contact_id IS OLD.contact_id
    AND NEW.old_value IS OLD.old_value AND NEW.new_value IS OLD.new_value
    AND NEW.change_request_id IS OLD.change_request_id
    AND EXISTS (SELECT 1 FROM customer_history_permits
                WHERE customer_id = OLD.customer_id AND purpose = 'merge'))
BEGIN SELECT RAISE(ABORT, 'customer history is append-only'); END;
CREATE TRIGGER customer_history_no_delete BEFORE DELETE ON customer_history
WHEN NOT EXISTS (SELECT 1 FROM customer_history_permits
                 WHERE customer_id = OLD.customer_id AND purpose = 'erase')
BEGIN SELECT RAISE(ABORT, 'customer history is append-only'); END;

-- Instant search. Per customer and per contact one document (names, number, phones, emails,
-- tags, pinyin in full and initials) in a trigram index for queries of 3 characters or more;
-- grams of 1 and 2 characters of names and pinyin initials for shorter queries. Maintained by
-- customer/search_index.rs. kind 0 = customer, 1 = contact; first = 1 when the gram starts
-- the name (ranked first).
CREATE VIRTUAL TABLE customer_fts USING fts5(doc, tokenize = 'trigram');
CREATE VIRTUAL TABLE contact_fts USING fts5(doc, tokenize = 'trigram');
CREATE TABLE search_grams (
    gram    TEXT    NOT NULL,
    kind    INTEGER NOT NULL,
    first   INTEGER NOT NULL,
    ref_id  INTEGER NOT NULL,
    PRIMARY KEY (gram, kind, first, ref_id)
) WITHOUT ROWID;

-- Quarter-end reviews (清查): one per quarter, one item per active customer at opening.
CREATE TABLE quarter_reviews (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    quarter    INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    opened_at  INTEGER NOT NULL,
    opened_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    closed_at  INTEGER,
    UNIQUE (year, quarter)
);
CREATE TABLE review_items (
    review_id      INTEGER NOT NULL REFERENCES quarter_reviews(id) ON DELETE CASCADE,
    customer_id    INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    owner_user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    outcome        TEXT CHECK (outcome IN ('active','renewed','churned','stage_change')),
    new_stage      TEXT,
    note           TEXT    NOT NULL DEFAULT '',
    confirmed_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    confirmed_at   INTEGER,
    PRIMARY KEY (review_id, customer_id)
);
CREATE INDEX review_items_owner ON review_items(review_id, owner_user_id);
