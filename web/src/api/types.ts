// The shapes of the API the console reads (the OpenAPI document at /api/openapi.json is the reference).
export interface Customer {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  birthday: string | null;
  province: { code: string; name: string } | null;
  gender: string | null;
  address: string | null;
  source: string | null;
  customer_type: string | null;
  company_name: string | null;
  tax_code: string | null;
  position: string | null;
  note: string | null;
  party_type: string;
  lifecycle: string;
  status: string;
  labels: string[];
  groups: string[];
  attributes: Record<string, unknown>;
  owner_id: string | null;
  owner_unit_id: string | null;
  holder_id: string | null;
  viewer_ids: string[];
  referred_by: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}
