-- The full customer record (C-1, C-2) and its configuration (C-3 definitions, C-4 statuses,
-- labels, groups) with the default sets of a new installation.

CREATE TABLE customer_statuses (
    id          uuid PRIMARY KEY,
    key         text NOT NULL UNIQUE,
    name        text NOT NULL,
    position    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customer_labels (
    id          uuid PRIMARY KEY,
    key         text NOT NULL UNIQUE,
    name        text NOT NULL,
    category    text,  -- e.g. 'temperature' for cold / warm / hot
    position    integer NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customer_groups (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    description  text NOT NULL,
    created_by   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customer_groups_name_key ON customer_groups (lower(name));

-- Attribute definitions (C-3); their API comes later, values are validated against them already.
CREATE TABLE customer_attributes (
    id             uuid PRIMARY KEY,
    key            text NOT NULL UNIQUE,
    name           text NOT NULL,
    type           text NOT NULL,
    options        jsonb NOT NULL DEFAULT '[]',
    required       boolean NOT NULL DEFAULT false,
    display_order  integer NOT NULL DEFAULT 0,
    filterable     boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

INSERT INTO customer_statuses (id, key, name, position) VALUES
    (gen_random_uuid(), 'new', 'Mới', 1),
    (gen_random_uuid(), 'contacted', 'Đã liên hệ', 2),
    (gen_random_uuid(), 'potential', 'Tiềm năng', 3),
    (gen_random_uuid(), 'contract_closed', 'Đã chốt hợp đồng', 4),
    (gen_random_uuid(), 'refused', 'Từ chối', 5),
    (gen_random_uuid(), 'wrong_number', 'Sai số', 6);

INSERT INTO customer_labels (id, key, name, category, position) VALUES
    (gen_random_uuid(), 'reputable', 'Uy tín', NULL, 1),
    (gen_random_uuid(), 'regular', 'Thường xuyên', NULL, 2),
    (gen_random_uuid(), 'premium', 'Cao cấp', NULL, 3),
    (gen_random_uuid(), 'hot', 'Nóng', 'temperature', 4),
    (gen_random_uuid(), 'warm', 'Ấm', 'temperature', 5),
    (gen_random_uuid(), 'cold', 'Lạnh', 'temperature', 6);

ALTER TABLE customers
    ADD COLUMN birthday           date,
    ADD COLUMN province_code      integer,
    ADD COLUMN province_name      text,
    ADD COLUMN gender             text CHECK (gender IN ('male', 'female', 'other')),
    ADD COLUMN address            text,
    ADD COLUMN source             text,
    ADD COLUMN customer_type      text,
    ADD COLUMN company_name       text,
    ADD COLUMN tax_code           text,
    ADD COLUMN position           text,
    ADD COLUMN note               text,
    ADD COLUMN organization_size  text,
    ADD COLUMN founding_date      date,
    ADD COLUMN industry           text,
    ADD COLUMN description        text,
    ADD COLUMN contact_person     text,
    ADD COLUMN labels             text[] NOT NULL DEFAULT '{}',
    ADD COLUMN groups             uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN attributes         jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN holder_id          uuid,
    ADD COLUMN viewer_ids         uuid[] NOT NULL DEFAULT '{}',
    ADD COLUMN referred_by        uuid REFERENCES customers (id),
    ADD CONSTRAINT customers_status_fkey FOREIGN KEY (status) REFERENCES customer_statuses (key);

CREATE INDEX customers_labels ON customers USING gin (labels);
CREATE INDEX customers_groups ON customers USING gin (groups);
CREATE INDEX customers_viewers ON customers USING gin (viewer_ids);
CREATE INDEX customers_holder ON customers (holder_id) WHERE holder_id IS NOT NULL;
CREATE INDEX customers_referred_by ON customers (referred_by) WHERE referred_by IS NOT NULL;
CREATE INDEX customers_status ON customers (status);
