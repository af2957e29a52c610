-- Statuses and labels carry an English name beside the Vietnamese one (clients show it with
-- Accept-Language: en; NULL: none given, show `name`). The seeded defaults get theirs.
ALTER TABLE customer_statuses ADD COLUMN name_en text;
ALTER TABLE customer_labels ADD COLUMN name_en text;

UPDATE customer_statuses s SET name_en = d.name_en
FROM (VALUES ('new', 'New'), ('contacted', 'Contacted'), ('potential', 'Potential'),
             ('contract_closed', 'Contract closed'), ('refused', 'Refused'), ('wrong_number', 'Wrong number')
     ) AS d (key, name_en)
WHERE s.key = d.key AND s.name_en IS NULL;

UPDATE customer_labels l SET name_en = d.name_en
FROM (VALUES ('reputable', 'Reputable'), ('regular', 'Regular'), ('premium', 'Premium'),
             ('hot', 'Hot'), ('warm', 'Warm'), ('cold', 'Cold')
     ) AS d (key, name_en)
WHERE l.key = d.key AND l.name_en IS NULL;
