-- Saved views of the customer list, per user: a name, the filters and sort (the list query as
-- JSON, paging left out) and the columns shown, in order.
CREATE TABLE customer_views (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    query       TEXT    NOT NULL,   -- JSON of customer::ListQuery (offset / limit ignored)
    columns     TEXT    NOT NULL,   -- JSON array of column ids (customer::views::COLUMNS)
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX customer_views_user_name ON customer_views(user_id, name COLLATE NOCASE);

-- The list's common sorts among active (or archived) customers walk an index rather than
-- sorting every row for each page of the virtualised list.
CREATE INDEX customers_list_number ON customers(archived, number);
CREATE INDEX customers_list_name ON customers(archived, name);
CREATE INDEX customers_list_amount ON customers(archived, annual_amount);
CREATE INDEX customers_list_last_contact ON customers(archived, last_contact_at);
CREATE INDEX customers_list_stage ON customers(archived, stage);
CREATE INDEX customers_list_tier ON customers(archived, tier);
