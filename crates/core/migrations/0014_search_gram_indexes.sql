-- Importing 100k customers in ≤ 5 s (issue 3; see docs/benchmarks.md). The 1–2 character
-- grams of names (and initials prefixes) that answer short queries move from one b-tree row
-- per gram and customer (`search_grams`: 4.4 million rows for a 100k import, a third of its
-- search index build and most of the pages it commits) into one gram document per customer
-- and per contact in an FTS5 index, which builds its term lists in memory and writes them in
-- sorted runs.
--
-- Each gram is one token: `1` + gram where it starts the name, `0` + gram elsewhere (so
-- `first DESC` ordering is two look-ups, first the `1` token, then the `0` token). The
-- `ascii` tokenizer keeps every non-ASCII character and ASCII letters and digits (all a gram
-- holds) as token characters and splits on the spaces between grams; `detail=none` keeps only
-- which documents hold a token, all a single-token look-up needs; `content=''` with
-- `contentless_delete=1` stores no copy of the documents and still deletes by rowid.
-- Maintained by customer/search_index.rs. customer_grams: rowid = customer id (its name and
-- tags); contact_grams: rowid = contact id (its name).
CREATE VIRTUAL TABLE customer_grams USING fts5(
    grams, tokenize = 'ascii', detail = none, content = '', contentless_delete = 1);
CREATE VIRTUAL TABLE contact_grams USING fts5(
    grams, tokenize = 'ascii', detail = none, content = '', contentless_delete = 1);

-- The grams already indexed, one document per customer and per contact.
INSERT INTO customer_grams (rowid, grams)
    SELECT ref_id, group_concat(first || gram, ' ') FROM search_grams WHERE kind = 0
    GROUP BY ref_id;
INSERT INTO contact_grams (rowid, grams)
    SELECT ref_id, group_concat(first || gram, ' ') FROM search_grams WHERE kind = 1
    GROUP BY ref_id;
DROP TABLE search_grams;
