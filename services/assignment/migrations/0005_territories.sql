-- Territories (A-3, issue 13): distribution `by_province` gives each customer to a rep of the unit
-- its province is mapped to.
--
-- The province of each customer (its GSO code, one of the 34 units of 2025), kept from the
-- customers service's events like the owner; NULL: none given.
ALTER TABLE customer_refs ADD COLUMN province_code integer;

-- Which unit covers which province: one unit per province (admins map anywhere, managers within
-- their subtree). The unit's path and name are read from crmkit's unit directory
-- (`directory_units`, from identity events) when needed, so a moved or renamed unit needs no
-- update here.
CREATE TABLE province_territories (
    province_code integer PRIMARY KEY CHECK (province_code BETWEEN 1 AND 999),
    unit_id       uuid NOT NULL,
    updated_by    uuid NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
