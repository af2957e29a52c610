-- crmkit:no-transaction
-- Fills `search_words` (0028) from the customers that exist: one read of the table (no lock that
-- stops writes), then the distinct words. Rows written meanwhile add their own words (0028's
-- triggers); a run stopped half-way is run again (the words already there are skipped).
INSERT INTO search_words (word)
SELECT w FROM (SELECT DISTINCT w FROM customers, unnest(crm_vocabulary_words(name, company_name)) w) d
WHERE NOT EXISTS (SELECT FROM search_words s WHERE s.word = d.w);
ANALYZE search_words;
