-- Search, lists and visibility at 10 million customers (C-6, C-7, C-9).
--
-- * `crm_fold(text)`: lower case, no diacritics, đ/Đ → d. IMMUTABLE wrapper over unaccent (the
--   extension's own function is only STABLE because its dictionary could change), so that it can
--   be used in a generated column and an index.
-- * `search_doc`: the folded words of a customer's name, company, e-mail and tax code in one
--   column (generated, so every write keeps it current), with a trigram GIN index: word-prefix
--   (`LIKE '% word%'`) and typo-tolerant (`<%` word similarity) search without diacritics.
-- * `phone_rev`: the digits of the E.164 phone reversed, with a pattern index: a phone suffix of
--   4+ digits is an index range scan (`phone_rev LIKE '876543%'`).
-- * keyset indexes for the sortable columns used by default (created_at, updated_at, name) on the
--   live rows; the owner index of 0001 serves `mine`; the unit-path index serves manager subtrees.
-- * a jsonb_path_ops GIN index on attributes for `attr.<key>=` filters (containment).

CREATE OR REPLACE FUNCTION crm_unaccent(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, value) $$;

CREATE OR REPLACE FUNCTION crm_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(public.crm_unaccent(translate(value, 'đĐÐ', 'dDD'))) $$;

-- ' nguyen van an cong ty dai phat van a example vn 0100109106 001 ': words separated by single
-- spaces with a space at both ends, so that a word prefix is LIKE '% word%'.
CREATE OR REPLACE FUNCTION crm_search_text(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ' ' || btrim(regexp_replace(public.crm_fold(value), '[^a-z0-9]+', ' ', 'g')) || ' ' $$;

ALTER TABLE customers
    ADD COLUMN search_doc text GENERATED ALWAYS AS (
        public.crm_search_text(coalesce(name, '') || ' ' || coalesce(company_name, '') || ' '
                               || coalesce(email, '') || ' ' || coalesce(tax_code, ''))
    ) STORED,
    ADD COLUMN phone_rev text GENERATED ALWAYS AS (reverse(regexp_replace(phone, '[^0-9]', '', 'g'))) STORED;

CREATE INDEX customers_search_doc ON customers USING gin (search_doc gin_trgm_ops) WHERE deleted_at IS NULL;
CREATE INDEX customers_phone_rev ON customers (phone_rev text_pattern_ops) WHERE deleted_at IS NULL;
CREATE INDEX customers_attributes ON customers USING gin (attributes jsonb_path_ops) WHERE deleted_at IS NULL;

CREATE INDEX customers_live_created ON customers (created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX customers_live_updated ON customers (updated_at, id) WHERE deleted_at IS NULL;
-- Names sort in Vietnamese order (ICU), as the list sorts them.
CREATE INDEX customers_live_name ON customers ((name COLLATE "vi-x-icu"), id) WHERE deleted_at IS NULL;
-- Reps' lists: what they hold and what they own, by the default sort.
CREATE INDEX customers_holder_created ON customers (holder_id, created_at, id) WHERE holder_id IS NOT NULL;
-- Manager subtrees use customers_unit_path of 0001 (byte-wise range, see visible_sql); a
-- (owner_unit_path, created_at) index was measured and left out: never chosen, 3x the size.
