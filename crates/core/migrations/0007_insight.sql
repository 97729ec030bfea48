-- Insight: survey responses (NPS 0–10, CSAT 1–5) against a customer, optionally tied to an
-- interaction or a feedback item, and the indexes the dashboard's set-based queries need.
-- Instants are INTEGER Unix seconds (UTC).

CREATE TABLE survey_responses (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('nps','csat')),
    score           INTEGER NOT NULL,
    interaction_id  INTEGER REFERENCES interactions(id) ON DELETE SET NULL,
    feedback_id     INTEGER REFERENCES feedback_items(id) ON DELETE SET NULL,
    comment         TEXT    NOT NULL DEFAULT '',
    responded_at    INTEGER NOT NULL,
    source          TEXT    NOT NULL DEFAULT 'manual' CHECK (source IN ('manual','import')),
    recorded_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    recorded_at     INTEGER NOT NULL,
    CHECK ((kind = 'nps' AND score BETWEEN 0 AND 10) OR (kind = 'csat' AND score BETWEEN 1 AND 5))
);
CREATE INDEX survey_responses_time ON survey_responses(responded_at, kind);
CREATE INDEX survey_responses_customer ON survey_responses(customer_id, responded_at);

-- Dashboard look-ups: plan tasks by due date, closed feedback by closing instant.
CREATE INDEX insight_tasks_plan_due ON tasks(due_at) WHERE source_kind = 'plan';
CREATE INDEX insight_feedback_closed ON feedback_items(closed_at) WHERE closed_at IS NOT NULL;
