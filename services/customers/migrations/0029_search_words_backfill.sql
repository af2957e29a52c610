-- crmkit:no-transaction
-- Fills `search_words` (0028) from the customers that exist: one read of the table (no lock that
-- stops writes), then the distinct words. Rows written meanwhile add their own words (0028's
-- triggers); a run stopped half-way is run again (ON CONFLICT).
INSERT INTO search_words (word)
SELECT DISTINCT w FROM customers, unnest(crm_vocabulary_words(name, company_name)) w
ORDER BY w
ON CONFLICT DO NOTHING;
ANALYZE search_words;
