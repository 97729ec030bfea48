-- Foundation: the team, its departments and people, working hours and the holiday calendar,
-- free-form settings and an append-only audit log.
-- Conventions: instants are INTEGER Unix seconds (UTC); calendar dates are TEXT 'YYYY-MM-DD';
-- money is INTEGER minor units; user text is stored verbatim.

CREATE TABLE team (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT    NOT NULL,
    time_zone   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE departments (
    id            INTEGER PRIMARY KEY,
    code          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    head_user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    archived      INTEGER NOT NULL DEFAULT 0,
    sort          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE users (
    id                    INTEGER PRIMARY KEY,
    username              TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    display_name          TEXT    NOT NULL,
    role                  TEXT    NOT NULL CHECK (role IN ('admin','supervisor','head','staff','viewer')),
    title                 TEXT    NOT NULL DEFAULT '',
    department_id         INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    phone                 TEXT    NOT NULL DEFAULT '',
    email                 TEXT    NOT NULL DEFAULT '',
    locale                TEXT    NOT NULL DEFAULT '',
    password_hash         TEXT    NOT NULL,
    must_change_password  INTEGER NOT NULL DEFAULT 0,
    active                INTEGER NOT NULL DEFAULT 1,
    last_login_at         INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX users_department ON users(department_id);

-- Failed log-ins per (lower-cased) user name, known or not, so throttling reveals nothing.
CREATE TABLE login_throttle (
    username      TEXT    PRIMARY KEY,
    failures      INTEGER NOT NULL,
    locked_until  INTEGER NOT NULL DEFAULT 0
);

-- Weekly business hours: one row per working interval. weekday 1 = Monday … 7 = Sunday;
-- minutes from local midnight.
CREATE TABLE business_hours (
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minute  INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute    INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    PRIMARY KEY (weekday, start_minute),
    CHECK (end_minute > start_minute)
);

-- Exceptions to the weekly pattern: public holidays (a normally working day off) and make-up
-- working days (调休: a normally free day worked).
CREATE TABLE calendar_days (
    day     TEXT PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('holiday','workday')),
    name    TEXT NOT NULL DEFAULT '',
    source  TEXT NOT NULL DEFAULT 'user'
);

-- Team-wide settings as JSON values under stable keys (see team.rs for the keys).
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Who did what, for security-relevant actions. Never updated or deleted by the app.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    user_id    INTEGER,
    action     TEXT    NOT NULL,
    entity     TEXT    NOT NULL DEFAULT '',
    entity_id  INTEGER,
    detail     TEXT    NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
