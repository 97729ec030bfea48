-- Feedback: two-level categories, routing rules by department code, feedback items with the
-- complaint fields of table 3 and their SLA clocks, lead and collaborating departments, an
-- append-only history, delay explanations and the round-robin cursor per department.
-- Instants are INTEGER Unix seconds (UTC); dates TEXT 'YYYY-MM-DD'; money INTEGER minor units.

CREATE TABLE feedback_categories (
    id             INTEGER PRIMARY KEY,
    parent_id      INTEGER REFERENCES feedback_categories(id),
    code           TEXT    NOT NULL UNIQUE,
    name_zh        TEXT    NOT NULL,
    name_en        TEXT    NOT NULL,
    definition_zh  TEXT    NOT NULL DEFAULT '',
    definition_en  TEXT    NOT NULL DEFAULT '',
    retired        INTEGER NOT NULL DEFAULT 0,   -- kept for old items, offered no more
    sort           INTEGER NOT NULL DEFAULT 0
);

INSERT INTO feedback_categories (id, parent_id, code, name_zh, name_en, definition_zh, definition_en, sort) VALUES
 (1, NULL, 'complaint',  '投诉', 'Complaint',  '客户对服务或产品表示不满。', 'The customer is unhappy with our service or product.', 1),
 (2, NULL, 'suggestion', '建议', 'Suggestion', '客户提出改进意见。', 'The customer proposes an improvement.', 2),
 (3, NULL, 'inquiry',    '咨询', 'Inquiry',    '客户提出疑问,需要解答。', 'The customer asks a question that needs an answer.', 3),
 (11, 1, 'service_quality',     '服务质量类', 'Service quality',
  '对服务过程的不满,例如回复太慢、态度不好、手续繁琐。',
  'Unhappy with how we served them: slow replies, an unfriendly tone, too many steps.', 1),
 (12, 1, 'product_function',    '产品功能类', 'Product function',
  '产品本身的问题,例如程序缺陷、功能达不到要求或缺少功能。',
  'A problem with the product itself: a bug, a feature that falls short or is missing.', 2),
 (21, 2, 'feature_improvement', '功能优化类', 'Feature improvement',
  '希望产品增加功能或改进界面和操作。',
  'Ideas for new features or a better interface and workflow.', 1),
 (22, 2, 'service_experience',  '服务体验类', 'Service experience',
  '希望服务方式更好,例如专属客服、定期培训。',
  'Ideas for better service, such as a dedicated contact or regular training.', 2),
 (31, 3, 'product_usage',       '产品使用类', 'Product usage',
  '关于如何使用产品的问题,例如操作步骤、参数含义。',
  'Questions on using the product: how to do something, what a setting means.', 1),
 (32, 3, 'cooperation_policy',  '合作政策类', 'Cooperation policy',
  '关于合作条件的问题,例如折扣规则、合同条款。',
  'Questions on commercial terms: discount rules, contract clauses.', 2);

-- Which departments (by code, so rules exist before the team is set up) a sub-category goes to;
-- the lowest sort leads by default.
CREATE TABLE feedback_routing (
    category_id      INTEGER NOT NULL REFERENCES feedback_categories(id),
    department_code  TEXT    NOT NULL,
    sort             INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (category_id, department_code)
);
INSERT INTO feedback_routing (category_id, department_code, sort) VALUES
 (11, 'cs', 0), (12, 'rnd', 0), (21, 'rnd', 0), (22, 'cs', 0), (31, 'cs', 0),
 (32, 'sales', 0), (32, 'finance', 1);

CREATE TABLE feedback_items (
    id                         INTEGER PRIMARY KEY,
    number                     TEXT    NOT NULL UNIQUE,          -- FK-2026-00001
    customer_id                INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    contact_id                 INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    unknown_name               TEXT    NOT NULL DEFAULT '',      -- not yet a customer: link later
    unknown_phone              TEXT    NOT NULL DEFAULT '',
    channel                    TEXT    NOT NULL CHECK (channel IN ('phone_hotline','online_chat','email',
                                   'social_media','survey','callback','in_person','other')),
    category_id                INTEGER NOT NULL REFERENCES feedback_categories(id),
    priority                   TEXT    NOT NULL CHECK (priority IN ('urgent','important','normal')),
    status                     TEXT    NOT NULL DEFAULT 'new' CHECK (status IN
                                   ('new','in_progress','awaiting_customer','closed','duplicate')),
    description                TEXT    NOT NULL,
    -- Complaint fields (table 3).
    occurred_at                INTEGER,
    impact                     TEXT    NOT NULL DEFAULT '',
    customer_expectation       TEXT    NOT NULL DEFAULT '',
    investigation_result       TEXT    NOT NULL DEFAULT '',
    responsible_department_id  INTEGER REFERENCES departments(id) ON DELETE SET NULL,
    root_cause                 TEXT    NOT NULL DEFAULT '',
    solution                   TEXT    NOT NULL DEFAULT '',
    compensation_kind          TEXT    CHECK (compensation_kind IN ('refund','exchange','service_extension','other')),
    compensation_amount        INTEGER NOT NULL DEFAULT 0,
    -- Handling.
    assignee_user_id           INTEGER REFERENCES users(id) ON DELETE SET NULL,
    expected_resolution_date   TEXT,
    duplicate_of_id            INTEGER REFERENCES feedback_items(id),
    -- SLA: the targets copied from the policy at creation, the due instants and the elapsed
    -- durations as last computed, the stage and the next instant it may change.
    sla_targets                TEXT    NOT NULL,
    response_due_at            INTEGER NOT NULL,
    resolution_due_at          INTEGER NOT NULL,
    first_response_at          INTEGER,
    closed_at                  INTEGER,
    elapsed_calendar_secs      INTEGER NOT NULL DEFAULT 0,
    elapsed_business_secs      INTEGER NOT NULL DEFAULT 0,
    sla_stage                  TEXT    NOT NULL DEFAULT 'on_track',
    notified_stage             TEXT    NOT NULL DEFAULT 'on_track',
    next_check_at              INTEGER,
    was_late                   INTEGER NOT NULL DEFAULT 0,       -- sticky: late once, late in reports
    callback_due_at            INTEGER,
    satisfaction_score         INTEGER CHECK (satisfaction_score BETWEEN 1 AND 5),
    satisfied                  INTEGER,
    satisfaction_at            INTEGER,
    created_by                 INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL,
    version                    INTEGER NOT NULL DEFAULT 1,
    CHECK (customer_id IS NOT NULL OR unknown_name <> '')
);
CREATE INDEX feedback_items_status ON feedback_items(status, priority);
CREATE INDEX feedback_items_next_check ON feedback_items(next_check_at) WHERE next_check_at IS NOT NULL;
CREATE INDEX feedback_items_resolution_due ON feedback_items(resolution_due_at);
CREATE INDEX feedback_items_response_due ON feedback_items(response_due_at);
CREATE INDEX feedback_items_assignee ON feedback_items(assignee_user_id, status);
CREATE INDEX feedback_items_customer ON feedback_items(customer_id);
CREATE INDEX feedback_items_category ON feedback_items(category_id);
CREATE INDEX feedback_items_created ON feedback_items(created_at);
CREATE INDEX feedback_items_duplicate_of ON feedback_items(duplicate_of_id);

-- The departments handling an item: exactly one lead at most, any number of collaborators.
CREATE TABLE feedback_item_departments (
    item_id        INTEGER NOT NULL REFERENCES feedback_items(id),
    department_id  INTEGER NOT NULL REFERENCES departments(id),
    role           TEXT    NOT NULL CHECK (role IN ('lead','collaborator')),
    PRIMARY KEY (item_id, department_id)
);
CREATE UNIQUE INDEX feedback_item_one_lead ON feedback_item_departments(item_id) WHERE role = 'lead';
CREATE INDEX feedback_item_departments_dept ON feedback_item_departments(department_id, item_id);

-- Every step: who, when, from → to, comment. Append-only.
CREATE TABLE feedback_events (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES feedback_items(id),
    at           INTEGER NOT NULL,
    user_id      INTEGER REFERENCES users(id),
    kind         TEXT    NOT NULL,   -- created, status, responded, note, assigned, departments,
                                     -- details, delay_explained, satisfaction, merged
    from_status  TEXT,
    to_status    TEXT,
    comment      TEXT    NOT NULL DEFAULT '',
    data         TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX feedback_events_item ON feedback_events(item_id, at, id);
CREATE TRIGGER feedback_events_no_update BEFORE UPDATE ON feedback_events
BEGIN SELECT RAISE(ABORT, 'feedback history is append-only'); END;
CREATE TRIGGER feedback_events_no_delete BEFORE DELETE ON feedback_events
BEGIN SELECT RAISE(ABORT, 'feedback history is append-only'); END;

-- 延迟说明: reason and new completion date, kept for good.
CREATE TABLE feedback_delay_explanations (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES feedback_items(id),
    at             INTEGER NOT NULL,
    user_id        INTEGER REFERENCES users(id),
    reason         TEXT    NOT NULL,
    previous_date  TEXT,
    new_date       TEXT    NOT NULL
);
CREATE INDEX feedback_delay_item ON feedback_delay_explanations(item_id);
CREATE TRIGGER feedback_delay_no_update BEFORE UPDATE ON feedback_delay_explanations
BEGIN SELECT RAISE(ABORT, 'delay explanations are append-only'); END;
CREATE TRIGGER feedback_delay_no_delete BEFORE DELETE ON feedback_delay_explanations
BEGIN SELECT RAISE(ABORT, 'delay explanations are append-only'); END;

-- Who in a department got the last round-robin item.
CREATE TABLE feedback_round_robin (
    department_id  INTEGER PRIMARY KEY REFERENCES departments(id),
    last_user_id   INTEGER
);
