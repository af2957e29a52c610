-- crmkit:no-transaction
-- The trigram GIN of the search text goes (issue 14; docs/benchmarks.md "The typo fallback by
-- words"). It served the LIKE of common words and the phrase similarity of the typo fallback; the
-- words now have their keys in the prefix GIN (0011), common pairs walk the recency index (0019),
-- the typo fallback varies words on the prefix GIN (0028) and digits written in groups take their
-- keys too. Marked unusable on the benchmark stack, no plan of the 40 benchmark shapes changed and
-- the lists through the API took the same time (names, typos, labels; the rep's typos faster), while
-- every insert into customers stopped paying for it: a 20,000-row insert 4.2-5.3 s → 2.9-4.4 s, the
-- search trigger 2.7-3.1 → 1.6-2.5 s. It was the largest index of the search (293 MB at 1M).
DROP INDEX CONCURRENTLY IF EXISTS customer_search_doc;
