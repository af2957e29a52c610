/** Lowercase without Vietnamese accents: "Chi nhánh Đà Nẵng" -> "chi nhanh da nang" (search as people type). */
export function foldAccents(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

/** A key for a new configuration item from its name: "Thu nhập hàng tháng" -> "thu_nhap_hang_thang". */
export function keyFromName(name: string): string {
  const key = foldAccents(name).replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 63);
  return /^[a-z]/.test(key) ? key : `a_${key}`.slice(0, 63);
}
