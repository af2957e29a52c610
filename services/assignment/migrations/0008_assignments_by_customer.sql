-- GET /assignments?customer_id=: every assignment a customer was ever in (any state; the console
-- shows a lead's deadline on the customer's page). The primary key leads with the assignment and
-- the unique index holds open rows only, so without this a customer's history is a full scan.
CREATE INDEX assignment_customers_by_customer ON assignment_customers (customer_id);
