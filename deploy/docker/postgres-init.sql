-- Run once by the official postgres image on an empty data directory
-- (/docker-entrypoint-initdb.d), as the superuser. The same role, databases and extensions as
-- deploy/local/crm-local: role crm (password crm: the server is reachable only on the compose
-- network), one database per service owned by crm, unaccent + pg_trgm in each.
-- Each service applies its own migrations at start-up.

CREATE ROLE crm LOGIN PASSWORD 'crm';

CREATE DATABASE crm_gateway      OWNER crm ENCODING 'UTF8';
CREATE DATABASE crm_customers    OWNER crm ENCODING 'UTF8';
CREATE DATABASE crm_interactions OWNER crm ENCODING 'UTF8';
CREATE DATABASE crm_assignment   OWNER crm ENCODING 'UTF8';
CREATE DATABASE crm_compensation OWNER crm ENCODING 'UTF8';
CREATE DATABASE crm_import       OWNER crm ENCODING 'UTF8';

\connect crm_gateway
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

\connect crm_customers
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

\connect crm_interactions
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

\connect crm_assignment
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

\connect crm_compensation
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

\connect crm_import
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
