-- Plans: tiered call-back plans per customer, onboarding runs of newly signed customers, the
-- editable list of care holidays, the dated occurrences of birthdays and cooperation
-- anniversaries (so each year's reminder has a stable id), and the indexes the scheduler needs.
-- Instants are INTEGER Unix seconds (UTC); dates TEXT 'YYYY-MM-DD'.

-- One plan per customer and track: `owner` (the customer's owner, interval by value tier) and
-- `cs` (the optional monthly call-back by customer service, seed 3.1). `planned_on` is the date
-- computed from `base_on` + the interval; the open task may be due later (never in the past).
CREATE TABLE callback_plans (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    track        TEXT    NOT NULL CHECK (track IN ('owner','cs')),
    tier         TEXT    NOT NULL,
    base_on      TEXT    NOT NULL,
    planned_on   TEXT    NOT NULL,
    task_id      INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (customer_id, track)
);

-- Onboarding (template 一) started for a customer: once per customer, never twice. `skipped`
-- marks customers signed long before onboarding existed (recorded so they are not retried).
CREATE TABLE onboarding_runs (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL UNIQUE REFERENCES customers(id) ON DELETE CASCADE,
    signed_at    INTEGER NOT NULL,
    skipped      INTEGER NOT NULL DEFAULT 0,
    started_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
    started_at   INTEGER NOT NULL
);

-- Holidays on which owners greet their customers (节日关怀), each a dated row; editable.
CREATE TABLE care_holidays (
    id       INTEGER PRIMARY KEY,
    name_zh  TEXT    NOT NULL,
    name_en  TEXT    NOT NULL,
    day      TEXT    NOT NULL,
    UNIQUE (name_zh, day)
);
CREATE INDEX care_holidays_day ON care_holidays(day);
INSERT INTO care_holidays (name_zh, name_en, day) VALUES
    ('元旦',   'New Year''s Day',        '2026-01-01'),
    ('春节',   'Spring Festival',        '2026-02-17'),
    ('端午节', 'Dragon Boat Festival',   '2026-06-19'),
    ('中秋节', 'Mid-Autumn Festival',    '2026-09-25'),
    ('国庆节', 'National Day',           '2026-10-01'),
    ('元旦',   'New Year''s Day',        '2027-01-01'),
    ('春节',   'Spring Festival',        '2027-02-06'),
    ('端午节', 'Dragon Boat Festival',   '2027-06-09'),
    ('中秋节', 'Mid-Autumn Festival',    '2027-09-15'),
    ('国庆节', 'National Day',           '2027-10-01');

-- A birthday (ref = contact) or cooperation anniversary (ref = customer) in a given year, made
-- on first need so its reminder has an id of its own every year. No foreign key: a row is only
-- an identity, harmless once its contact is gone.
CREATE TABLE care_occurrences (
    id       INTEGER PRIMARY KEY,
    kind     TEXT    NOT NULL CHECK (kind IN ('birthday','anniversary')),
    ref_id   INTEGER NOT NULL,
    on_date  TEXT    NOT NULL,
    UNIQUE (kind, ref_id, on_date)
);

-- The scheduler's and the plans page's lookups.
CREATE INDEX plan_customers_stage ON customers(stage, archived);
CREATE INDEX plan_interactions_callback ON interactions(customer_id, occurred_at)
    WHERE channel = 'callback' AND deleted_at IS NULL;
CREATE INDEX plan_feedback_notified ON feedback_items(notified_stage)
    WHERE notified_stage <> 'on_track';
