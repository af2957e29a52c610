// The 34 provinces and centrally-run cities since 1 July 2025, by GSO code, as the customers service
// knows them (crm_customers.domain.provinces). The API has no endpoint that lists them; it accepts
// the code on create and update and answers `{code, name}`.
export const PROVINCES: { code: number; name: string }[] = [
  { code: 1, name: "Thành phố Hà Nội" }, { code: 4, name: "Cao Bằng" }, { code: 8, name: "Tuyên Quang" },
  { code: 11, name: "Điện Biên" }, { code: 12, name: "Lai Châu" }, { code: 14, name: "Sơn La" },
  { code: 15, name: "Lào Cai" }, { code: 19, name: "Thái Nguyên" }, { code: 20, name: "Lạng Sơn" },
  { code: 22, name: "Thành phố Quảng Ninh" }, { code: 24, name: "Thành phố Bắc Ninh" }, { code: 25, name: "Phú Thọ" },
  { code: 31, name: "Thành phố Hải Phòng" }, { code: 33, name: "Hưng Yên" }, { code: 37, name: "Ninh Bình" },
  { code: 38, name: "Thanh Hóa" }, { code: 40, name: "Nghệ An" }, { code: 42, name: "Hà Tĩnh" },
  { code: 44, name: "Quảng Trị" }, { code: 46, name: "Thành phố Huế" }, { code: 48, name: "Thành phố Đà Nẵng" },
  { code: 51, name: "Quảng Ngãi" }, { code: 52, name: "Gia Lai" }, { code: 56, name: "Khánh Hòa" },
  { code: 66, name: "Đắk Lắk" }, { code: 68, name: "Lâm Đồng" }, { code: 75, name: "Thành phố Đồng Nai" },
  { code: 79, name: "Thành phố Hồ Chí Minh" }, { code: 80, name: "Tây Ninh" }, { code: 82, name: "Đồng Tháp" },
  { code: 86, name: "Vĩnh Long" }, { code: 91, name: "An Giang" }, { code: 92, name: "Thành phố Cần Thơ" },
  { code: 96, name: "Cà Mau" },
];

/** Lower case without diacritics, so that "ha noi" finds "Hà Nội". */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}
