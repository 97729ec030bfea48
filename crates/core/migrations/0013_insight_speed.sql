-- The dashboard on a large data set (issue 7: every figure recomputed in ≤ 150 ms; see
-- docs/benchmarks.md). Each figure now reads one compact index range and aggregates it,
-- instead of looking every row of the period up in its table (and its customer, and its lead
-- department).

-- The lead department of a feedback item, copied onto the item so the timeliness figures need
-- no look-up per item. Triggers keep the copy equal to the 'lead' row of
-- feedback_item_departments on every path that adds, changes or removes it, whoever writes it.
ALTER TABLE feedback_items ADD COLUMN lead_department_id INTEGER;
UPDATE feedback_items SET lead_department_id = (
    SELECT department_id FROM feedback_item_departments fd
    WHERE fd.item_id = feedback_items.id AND fd.role = 'lead')
WHERE id IN (SELECT item_id FROM feedback_item_departments WHERE role = 'lead');

CREATE TRIGGER feedback_lead_department_insert AFTER INSERT ON feedback_item_departments
WHEN NEW.role = 'lead'
BEGIN
    UPDATE feedback_items SET lead_department_id = NEW.department_id WHERE id = NEW.item_id;
END;

CREATE TRIGGER feedback_lead_department_delete AFTER DELETE ON feedback_item_departments
WHEN OLD.role = 'lead'
BEGIN
    UPDATE feedback_items SET lead_department_id = (
        SELECT department_id FROM feedback_item_departments
        WHERE item_id = OLD.item_id AND role = 'lead')
    WHERE id = OLD.item_id;
END;

CREATE TRIGGER feedback_lead_department_update AFTER UPDATE ON feedback_item_departments
BEGIN
    UPDATE feedback_items SET lead_department_id = (
        SELECT department_id FROM feedback_item_departments
        WHERE item_id = feedback_items.id AND role = 'lead')
    WHERE id IN (OLD.item_id, NEW.item_id);
END;

-- The newest call-back of each customer, kept on the customer (as its open feedback count is)
-- for the churn-risk rule, which otherwise reads every call-back ever logged. Triggers keep it
-- right whenever a call-back is logged, edited, moved to another customer, deleted or restored.
ALTER TABLE customers ADD COLUMN last_callback_at INTEGER;
UPDATE customers SET last_callback_at = (
    SELECT max(x.occurred_at) FROM interactions x
    WHERE x.customer_id = customers.id AND x.channel = 'callback' AND x.deleted_at IS NULL)
WHERE id IN (SELECT customer_id FROM interactions WHERE channel = 'callback' AND deleted_at IS NULL);

CREATE TRIGGER customers_last_callback_insert AFTER INSERT ON interactions
WHEN NEW.channel = 'callback' AND NEW.deleted_at IS NULL
BEGIN
    UPDATE customers SET last_callback_at = NEW.occurred_at
    WHERE id = NEW.customer_id AND (last_callback_at IS NULL OR last_callback_at < NEW.occurred_at);
END;

CREATE TRIGGER customers_last_callback_update
AFTER UPDATE OF customer_id, channel, occurred_at, deleted_at ON interactions
WHEN (OLD.channel = 'callback' AND OLD.deleted_at IS NULL)
  OR (NEW.channel = 'callback' AND NEW.deleted_at IS NULL)
BEGIN
    UPDATE customers SET last_callback_at = (
        SELECT max(x.occurred_at) FROM interactions x
        WHERE x.customer_id = customers.id AND x.channel = 'callback' AND x.deleted_at IS NULL)
    WHERE id IN (OLD.customer_id, NEW.customer_id);
END;

CREATE TRIGGER customers_last_callback_delete AFTER DELETE ON interactions
WHEN OLD.channel = 'callback' AND OLD.deleted_at IS NULL
BEGIN
    UPDATE customers SET last_callback_at = (
        SELECT max(x.occurred_at) FROM interactions x
        WHERE x.customer_id = customers.id AND x.channel = 'callback' AND x.deleted_at IS NULL)
    WHERE id = OLD.customer_id;
END;

-- The feedback of a period with every column the volume, timeliness and complaint figures
-- and the viewer's scope read: one range of this index, no table look-up.
CREATE INDEX insight_feedback_period ON feedback_items(created_at, status, category_id, channel,
    lead_department_id, response_due_at, first_response_at, closed_at, was_late,
    elapsed_business_secs, customer_id, assignee_user_id, created_by);

-- Open items by status: the overdue count now and the open complaints of the churn-risk rule.
CREATE INDEX insight_feedback_open ON feedback_items(status, resolution_due_at, category_id,
    customer_id, assignee_user_id, created_by);

-- Survey answers of a period with their customer (scoped views, and the recent ones of the
-- churn-risk rule), covered; and counted per kind, score and month when every customer is in
-- view.
CREATE INDEX insight_survey_period ON survey_responses(responded_at, kind, score, customer_id);
CREATE INDEX insight_survey_score ON survey_responses(kind, score, responded_at);

-- Customers with everything the scope, the tiers, the stage × tier counts and the churn-risk
-- rule read, so one pass over this index serves them all.
CREATE INDEX insight_customers ON customers(archived, stage, tier, owner_user_id, department_id,
    created_at, last_contact_at, coop_start, last_callback_at);

-- Plan tasks due in a period with their status and customer (replaces the due-date-only index).
DROP INDEX insight_tasks_plan_due;
CREATE INDEX insight_tasks_plan ON tasks(due_at, status, customer_id) WHERE source_kind = 'plan';
