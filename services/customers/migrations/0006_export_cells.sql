-- CSV exports produced by PostgreSQL itself (C-13): `COPY (SELECT …) TO STDOUT (FORMAT csv)`
-- streams the file, so the formula-injection rule of `domain/cells.py` (`neutralise`) has to exist
-- in SQL as well. `crm_csv_cell(text)` is that rule, character for character: a text whose first
-- character — or first character after leading spaces, tabs, CR and LF (Python's
-- `str.lstrip(" \t\r\n")`) — is `=`, `+`, `-`, `@`, tab or CR gets a leading `'`. NULL stays
-- NULL. tests/test_cells.py checks that both agree on a table of tricky inputs.
--
-- A simple SQL function, IMMUTABLE and deliberately not STRICT (NULL gives NULL all the same):
-- the planner inlines it into the export query only then; called as a function it costs ~50x more
-- (measured: 60 s instead of ~1 s for 20 text columns × 1,000,000 rows). Its argument appears
-- several times in the body, so the export passes plain columns (computed once in a subquery).

CREATE OR REPLACE FUNCTION crm_csv_cell(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT CASE
            WHEN left(value, 1) IN ('=', '+', '-', '@', E'\t', E'\r')
              OR left(ltrim(value, E' \t\r\n'), 1) IN ('=', '+', '-', '@')
            THEN '''' || value
            ELSE value
        END
    $$;
