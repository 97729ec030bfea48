-- Speed for the customer list and the dashboard on a large data set (docs/benchmarks.md).

-- The list's "has open feedback" filter and its count read a count kept on the customer row
-- instead of probing feedback_items for every customer. Triggers keep it right on every path
-- that creates, reopens, closes, moves (merge) or deletes an item, whoever writes it.
ALTER TABLE customers ADD COLUMN open_feedback INTEGER NOT NULL DEFAULT 0;
UPDATE customers SET open_feedback = (
    SELECT count(*) FROM feedback_items f
    WHERE f.customer_id = customers.id AND f.status IN ('new', 'in_progress', 'awaiting_customer'));

CREATE TRIGGER customers_open_feedback_insert AFTER INSERT ON feedback_items
WHEN NEW.customer_id IS NOT NULL AND NEW.status IN ('new', 'in_progress', 'awaiting_customer')
BEGIN
    UPDATE customers SET open_feedback = open_feedback + 1 WHERE id = NEW.customer_id;
END;

CREATE TRIGGER customers_open_feedback_delete AFTER DELETE ON feedback_items
WHEN OLD.customer_id IS NOT NULL AND OLD.status IN ('new', 'in_progress', 'awaiting_customer')
BEGIN
    UPDATE customers SET open_feedback = open_feedback - 1 WHERE id = OLD.customer_id;
END;

CREATE TRIGGER customers_open_feedback_update AFTER UPDATE OF status, customer_id ON feedback_items
BEGIN
    UPDATE customers SET open_feedback = open_feedback - 1
    WHERE id = OLD.customer_id AND OLD.status IN ('new', 'in_progress', 'awaiting_customer');
    UPDATE customers SET open_feedback = open_feedback + 1
    WHERE id = NEW.customer_id AND NEW.status IN ('new', 'in_progress', 'awaiting_customer');
END;

CREATE INDEX customers_list_open_feedback ON customers(archived, open_feedback);

-- Filter by industry, sorted by any column through the amount: a range read, not a sort.
CREATE INDEX customers_list_industry_amount ON customers(archived, industry, annual_amount);

-- Sorts on the remaining list columns walk an index instead of sorting 100k rows.
CREATE INDEX customers_list_owner ON customers(archived, owner_user_id);
CREATE INDEX customers_list_department ON customers(archived, department_id);
CREATE INDEX customers_list_created ON customers(archived, created_at);
CREATE INDEX customers_list_next_followup ON customers(archived, next_followup_on);
CREATE INDEX customers_list_contract_end ON customers(archived, contract_end);
CREATE INDEX customers_list_coop_start ON customers(archived, coop_start);
CREATE INDEX customers_list_industry ON customers(archived, industry);
CREATE INDEX customers_list_source ON customers(archived, source);

-- The dashboard's call-backs logged in a period: only call-back rows, by time.
CREATE INDEX insight_callbacks_time ON interactions(occurred_at, customer_id)
    WHERE channel = 'callback' AND deleted_at IS NULL;

-- Statistics for the new indexes (the planner otherwise ignores or misjudges them next to the
-- analysed old ones); customers is small enough to analyse in a fraction of a second.
ANALYZE customers;
