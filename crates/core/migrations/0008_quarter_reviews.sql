-- Quarter-end reviews (清查): when a review closes on its own, and which change request a
-- confirmation filed (a stage change or churn confirmed by staff waits for approval).
ALTER TABLE quarter_reviews ADD COLUMN closes_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_items ADD COLUMN change_request_id INTEGER;
CREATE INDEX review_items_customer ON review_items(customer_id);
