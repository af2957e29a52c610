/** A Vietnamese number as people write it (+84912345678 → 0912 345 678); any other as stored. */
export function localPhone(e164: string): string {
  const match = /^\+84(\d{9})$/.exec(e164);
  if (!match) return e164;
  const national = `0${match[1]}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}
