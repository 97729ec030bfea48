-- Importing 100k customers in ≤ 5 s (issue 3; see docs/benchmarks.md). A customer's trigram
-- document (`customer_fts`) held a copy of each of its contacts' documents after its own
-- lines, so every contact was tokenised twice; searches now look in `contact_fts` for the
-- contacts' part (customer/search.rs). This cuts that copy off the stored documents: the
-- contacts' documents joined in contact id order, as the search index wrote them, are
-- removed from the end of the customer's document where they are found there. A document
-- that does not end with them (none should) is left whole: it only matches more.
--
-- The table is made again from the shortened documents rather than updated in place: FTS5
-- keeps each replaced entry in the index as a deletion until its segments merge, and would
-- tokenise every document twice (old and new). As in a bulk build (search_index.rs), FTS5
-- buffers 64 MB of entries before it writes a segment while the documents go in, then its
-- default (1 MB) is set again.
CREATE TEMP TABLE contact_suffix AS
    SELECT k.customer_id AS id, group_concat(cf.doc, '' ORDER BY k.id) AS suffix
    FROM contacts k JOIN contact_fts cf ON cf.rowid = k.id
    GROUP BY k.customer_id;
CREATE TEMP TABLE customer_docs AS
    SELECT f.rowid AS id,
           CASE WHEN length(s.suffix) > 0 AND length(f.doc) > length(s.suffix)
                     AND substr(f.doc, length(f.doc) - length(s.suffix) + 1) = s.suffix
                THEN substr(f.doc, 1, length(f.doc) - length(s.suffix))
                ELSE f.doc END AS doc
    FROM customer_fts f LEFT JOIN contact_suffix s ON s.id = f.rowid;
DROP TABLE customer_fts;
CREATE VIRTUAL TABLE customer_fts USING fts5(doc, tokenize = 'trigram');
INSERT INTO customer_fts (customer_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO customer_fts (rowid, doc) SELECT id, doc FROM customer_docs ORDER BY id;
INSERT INTO customer_fts (customer_fts, rank) VALUES ('hashsize', 1048576);
DROP TABLE customer_docs;
DROP TABLE contact_suffix;
