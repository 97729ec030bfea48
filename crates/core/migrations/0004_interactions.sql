-- Interactions with customers (who talked to whom, how, about what), their append-only edit
-- history, attachments in a content-addressed store, tasks (待办) and call-script templates (话术).

-- The editable list of ways a contact happens. `code` is stable (filters, call-back detection);
-- names are shown; archived channels stay on old records but are not offered for new ones.
CREATE TABLE interaction_channels (
    code      TEXT    PRIMARY KEY,
    name_zh   TEXT    NOT NULL,
    name_en   TEXT    NOT NULL,
    archived  INTEGER NOT NULL DEFAULT 0,
    sort      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO interaction_channels (code, name_zh, name_en, sort) VALUES
    ('visit',          '上门拜访',        'Visit',            1),
    ('online_meeting', '线上会议',        'Online meeting',   2),
    ('phone',          '电话',            'Phone',            3),
    ('email',          '邮件',            'Email',            4),
    ('im',             '微信/即时通讯',   'WeChat / IM',      5),
    ('greeting',       '节日问候',        'Holiday greeting', 6),
    ('trial_feedback', '产品试用反馈',    'Trial feedback',   7),
    ('callback',       '回访',            'Call-back',        8),
    ('other',          '其他',            'Other',            9);

CREATE TABLE interactions (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    occurred_at     INTEGER NOT NULL,
    channel         TEXT    NOT NULL REFERENCES interaction_channels(code),
    subject         TEXT    NOT NULL,
    key_points      TEXT    NOT NULL DEFAULT '',
    customer_needs  TEXT    NOT NULL DEFAULT '',
    commitments     TEXT    NOT NULL DEFAULT '',
    next_step       TEXT    NOT NULL DEFAULT '',
    satisfaction    INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    -- The feedback item this contact concerns. Deliberately a plain INTEGER without a foreign
    -- key: the feedback table is created by a later migration (feedback branch), which may add
    -- the constraint by rebuilding this table or check it in Rust.
    feedback_id     INTEGER,
    created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    updated_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at      INTEGER NOT NULL,
    -- Soft delete: a removed record leaves the timeline but keeps its history.
    deleted_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    deleted_at      INTEGER,
    version         INTEGER NOT NULL DEFAULT 1   -- optimistic concurrency
);
CREATE INDEX interactions_customer ON interactions(customer_id, occurred_at);
CREATE INDEX interactions_occurred ON interactions(occurred_at);
CREATE INDEX interactions_feedback ON interactions(feedback_id);

-- Participants on the customer's side.
CREATE TABLE interaction_contacts (
    interaction_id  INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    contact_id      INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, contact_id)
);
CREATE INDEX interaction_contacts_contact ON interaction_contacts(contact_id);

-- Participants on our side.
CREATE TABLE interaction_users (
    interaction_id  INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (interaction_id, user_id)
);
CREATE INDEX interaction_users_user ON interaction_users(user_id);

-- Every change to an interaction: the whole record before and after, as JSON. Append-only while
-- the customer exists; once a customer is erased (row deleted) its history may be purged.
-- No foreign keys, so the trail outlives the record.
CREATE TABLE interaction_history (
    id              INTEGER PRIMARY KEY,
    interaction_id  INTEGER NOT NULL,
    customer_id     INTEGER NOT NULL,
    at              INTEGER NOT NULL,
    user_id         INTEGER,
    change          TEXT    NOT NULL CHECK (change IN ('create','update','delete')),
    old_json        TEXT,
    new_json        TEXT
);
CREATE INDEX interaction_history_interaction ON interaction_history(interaction_id, id);
CREATE INDEX interaction_history_customer ON interaction_history(customer_id);
CREATE TRIGGER interaction_history_no_update BEFORE UPDATE ON interaction_history
BEGIN SELECT RAISE(ABORT, 'interaction history is append-only'); END;
CREATE TRIGGER interaction_history_no_delete BEFORE DELETE ON interaction_history
WHEN EXISTS (SELECT 1 FROM customers WHERE id = OLD.customer_id)
BEGIN SELECT RAISE(ABORT, 'interaction history is append-only'); END;

-- Content-addressed files: one row and one file (<data_dir>/attachments/ab/cdef…) per distinct
-- content. How many attachments use a blob is computed, never stored, so it cannot drift.
CREATE TABLE attachment_blobs (
    hash        TEXT    PRIMARY KEY CHECK (length(hash) = 64),  -- SHA-256, lower-case hex
    size        INTEGER NOT NULL CHECK (size >= 0),
    created_at  INTEGER NOT NULL
);

CREATE TABLE interaction_attachments (
    id              INTEGER PRIMARY KEY,
    interaction_id  INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    blob_hash       TEXT    NOT NULL REFERENCES attachment_blobs(hash),
    original_name   TEXT    NOT NULL,   -- display only, never a path
    mime_type       TEXT    NOT NULL,
    size            INTEGER NOT NULL,
    added_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
    added_at        INTEGER NOT NULL
);
CREATE INDEX interaction_attachments_interaction ON interaction_attachments(interaction_id);
CREATE INDEX interaction_attachments_blob ON interaction_attachments(blob_hash);

-- Tasks (待办). `source_kind` (manual, interaction, feedback, plan, onboarding, care, review, …)
-- is checked in Rust so later modules can add kinds without rebuilding the table;
-- `source_id` points into the table the kind names.
CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY,
    title            TEXT    NOT NULL,
    notes            TEXT    NOT NULL DEFAULT '',
    owner_user_id    INTEGER NOT NULL REFERENCES users(id),
    due_at           INTEGER NOT NULL,
    customer_id      INTEGER REFERENCES customers(id) ON DELETE CASCADE,
    source_kind      TEXT    NOT NULL DEFAULT 'manual',
    source_id        INTEGER,
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','cancelled')),
    completion_note  TEXT    NOT NULL DEFAULT '',
    completed_at     INTEGER,
    completed_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    snoozed_until    INTEGER,
    created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tasks_owner ON tasks(owner_user_id, status, due_at);
CREATE INDEX tasks_customer ON tasks(customer_id);
CREATE INDEX tasks_source ON tasks(source_kind, source_id);
CREATE INDEX tasks_status_due ON tasks(status, due_at);

-- Call-script templates (话术), one per purpose and language, seeded below and editable.
CREATE TABLE call_scripts (
    id          INTEGER PRIMARY KEY,
    purpose     TEXT    NOT NULL,
    locale      TEXT    NOT NULL CHECK (locale IN ('zh-CN','en')),
    title       TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    updated_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at  INTEGER,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (purpose, locale)
);
INSERT INTO call_scripts (purpose, locale, title, body) VALUES
('first_contact', 'zh-CN', '签约后首次联系',
'{联系人}{职位}您好，我是{我的名字}，今后由我负责{客户名称}的日常对接。
感谢贵司选择与我们合作！想跟您约个时间，了解一下贵司的使用场景和上线安排，方便我们提前准备培训和资料。
平时有任何问题，随时打我电话 {我的电话}，微信同号。'),
('first_contact', 'en', 'First contact after signing',
'Hello {contact}, this is {my_name}. I will be your day-to-day contact for {customer} from now on.
Thank you for choosing to work with us! Could we find a time to go through how your team plans to use the product and your rollout timeline, so we can prepare training and materials in advance?
You can reach me any time at {my_phone}.'),
('regular_callback', 'zh-CN', '定期回访',
'{联系人}{职位}您好，我是{我的名字}。距离上次沟通（{上次回访日期}）有一段时间了，想跟您了解一下最近的使用情况：
1. 产品用起来是否顺手，有没有遇到不方便的地方？
2. 贵司近期业务上有没有新的安排或需求，我们可以提前配合？
3. 对我们的服务还有哪些可以改进的？
占用您几分钟，非常感谢！'),
('regular_callback', 'en', 'Regular call-back',
'Hello {contact}, this is {my_name}. It has been a while since we last spoke ({last_callback_date}), so I would like to hear how things are going:
1. Is the product working well for you, or is anything getting in the way?
2. Are there new plans or needs at {customer} we could help prepare for?
3. Is there anything we could do better in our service?
Thank you for your time!'),
('complaint_soothing', 'zh-CN', '投诉安抚',
'{联系人}{职位}您好，我是{客户名称}的对接人{我的名字}。您反映的情况我已经详细记录，给您带来不便，非常抱歉。
我们已经安排专人处理，会在约定时间内给您明确答复，处理过程中有任何进展我都会第一时间告诉您。
如果期间还有其他情况，请直接联系我：{我的电话}。'),
('complaint_soothing', 'en', 'Calming a complaint',
'Hello {contact}, this is {my_name}, your contact person for {customer}. I have written down everything you told us, and I am sorry for the trouble this has caused.
A colleague is already working on it, and you will have a clear answer within the agreed time. I will let you know as soon as there is any progress.
If anything else comes up in the meantime, please call me directly at {my_phone}.'),
('complaint_result', 'zh-CN', '投诉处理结果告知',
'{联系人}{职位}您好，我是{我的名字}。关于您之前反映的问题，现在向您同步处理结果：
【在此填写处理结果与后续措施】
请问这个结果您是否认可？如果还有不满意的地方，请告诉我，我们会继续跟进。感谢您对{客户名称}与我们合作的耐心和支持。'),
('complaint_result', 'en', 'Complaint outcome',
'Hello {contact}, this is {my_name}. I am calling to tell you how the issue you raised has been resolved:
[Describe the outcome and any follow-up measures here]
Does this resolve things for you? If anything is still not right, please tell me and we will keep working on it. Thank you for your patience.'),
('satisfaction_callback', 'zh-CN', '满意度回访',
'{联系人}{职位}您好，我是{我的名字}。想请您花一分钟，对我们最近的服务打个分：1 到 5 分，5 分为非常满意。
您觉得哪些地方做得好，哪些地方还需要改进？您的意见我们会认真落实，谢谢！'),
('satisfaction_callback', 'en', 'Satisfaction call-back',
'Hello {contact}, this is {my_name}. Could you spare a minute to rate our recent service from 1 to 5, where 5 means very satisfied?
What went well, and what should we improve? We will act on what you tell us. Thank you!'),
('holiday_greeting', 'zh-CN', '节日问候',
'{联系人}{职位}您好！节日将至，{我的名字}代表团队向您和{客户名称}的各位同事致以问候，感谢一直以来的信任与支持。
祝您节日愉快，工作顺利，身体健康！'),
('holiday_greeting', 'en', 'Holiday greeting',
'Dear {contact}, with the holidays coming up, {my_name} and the whole team would like to send our warm wishes to you and everyone at {customer}, and thank you for your trust.
Happy holidays!');
