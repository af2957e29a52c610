-- The units of the organisation every service may keep from identity events (`unit.created`,
-- `unit.updated`): id, name and path (the path of unit ids, crmkit.auth.unit_path), to check a unit
-- id a request names and to show its name (issue 13: territories).
CREATE TABLE IF NOT EXISTS directory_units (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    path        text NOT NULL,
    changed_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS directory_units_path ON directory_units (path text_pattern_ops);
