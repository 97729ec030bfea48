-- Importing 100k customers in ≤ 5 s (issue 3; see docs/benchmarks.md, session 13). The two
-- trigram indexes kept, for every trigram of every document, where in the document it stands
-- (FTS5's `detail=full`), so that a query of four characters or more could be matched as a
-- phrase of consecutive trigrams. They now keep only which documents hold a trigram
-- (`detail=none`): a query asks for documents holding all of its trigrams and checks the
-- stored document for the query itself (customer/search.rs), which is exact and reads few
-- documents. The positions were two thirds of the indexes' size and of the pages a large
-- import writes for them.
--
-- The tables are made again from their stored documents, in rowid order, with FTS5 buffering
-- 64 MB of entries before it writes a segment (as in a bulk build, search_index.rs), then its
-- default (1 MB) set again. Temporary copies hold the documents while the tables are remade.
CREATE TEMP TABLE customer_docs AS SELECT rowid AS id, doc FROM customer_fts;
CREATE TEMP TABLE contact_docs AS SELECT rowid AS id, doc FROM contact_fts;
DROP TABLE customer_fts;
DROP TABLE contact_fts;
CREATE VIRTUAL TABLE customer_fts USING fts5(doc, tokenize = 'trigram', detail = none);
CREATE VIRTUAL TABLE contact_fts USING fts5(doc, tokenize = 'trigram', detail = none);
INSERT INTO customer_fts (customer_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO contact_fts (contact_fts, rank) VALUES ('hashsize', 67108864);
INSERT INTO customer_fts (rowid, doc) SELECT id, doc FROM customer_docs ORDER BY id;
INSERT INTO contact_fts (rowid, doc) SELECT id, doc FROM contact_docs ORDER BY id;
INSERT INTO customer_fts (customer_fts, rank) VALUES ('hashsize', 1048576);
INSERT INTO contact_fts (contact_fts, rank) VALUES ('hashsize', 1048576);
DROP TABLE customer_docs;
DROP TABLE contact_docs;
