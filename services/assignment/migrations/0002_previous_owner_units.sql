-- A recall gives a customer back to its previous owner, in that owner's unit: keep the unit, so
-- that the customers service can place the customer even when the directory no longer knows the
-- previous owner (deactivated, or never a user: imported data).
ALTER TABLE customer_refs ADD COLUMN owner_unit_id uuid;
ALTER TABLE assignment_customers
    ADD COLUMN previous_owner_unit_id uuid,
    ADD COLUMN previous_owner_unit_path text;
