"""Vietnamese text written in the legacy 8-bit encodings TCVN3 (ABC, the ".Vn" fonts) and VNI
(the "VNI-" fonts), found in old spreadsheets, turned into Unicode.

Such a file shows, in Excel without the old font, "NguyÔn V¨n An" (TCVN3) or "Nguyeãn Vaên An" (VNI)
for "Nguyễn Văn An": the bytes were typed for a font, not for a code page, so the cell holds the
Windows-1252 / Latin-1 reading of them. Every such character is in U+0080…U+00FF, which gives a
cheap first test (a cell with any character above U+00FF, or only ASCII, is left alone: that is
almost every cell of a modern file).

Where the tables come from:
- TCVN3 = TCVN 5712:1993 "VN3", the subset the ABC fonts carry: glibc iconv's TCVN5712-1 table for
  the bytes 0xA1…0xFF (lowercase letters with their marks, and Ă Â Ê Ô Ơ Ư Đ at 0xA1…0xA7), without
  the capitals that only VN1 places there (VN3 fonts draw capitals from a second font, the same
  codes: a capital with a tone mark comes out lowercase, and is put back in capitals when the rest of
  the word is). Cross-checked against the TCVN3 table of an independent converter (VBKey).
- VNI = VNI-Windows: a base letter followed by a mark byte (a + ù = á, a + â = â, a + ê = ă,
  e + ã = ễ …; the marks of capitals are the bytes 0x20 lower), and single bytes for ơ ư đ ì í ỉ ĩ ị ỵ
  (and their capitals). Cross-checked against the VNI table of the same converter.

Deciding: a text is converted only when, read as it is, some word is not a Vietnamese syllable
(or not a word at all: "V¨n") while, converted, every word containing a non-ASCII letter is one.
Real Latin-1 text ("José", "Müller", "café") and Unicode Vietnamese that happens to stay within
Latin-1 ("Lâm", "Tú", "Hà") are kept: both read as they are, or fail after conversion.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# TCVN3 (VN3): byte → Unicode. 0xA1-0xA7 capitals, the rest lowercase letters with their marks.
_TCVN3_BYTES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ",
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ",
    0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ",
    0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ", 0xE5: "ồ",
    0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ",
    0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
TCVN3 = {chr(byte): text for byte, text in _TCVN3_BYTES.items()}

# VNI-Windows, lowercase: the mark bytes that follow a base vowel, by (base, mark) → letter.
_VNI_TONES = {"ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}  # ` ' ? ~ .
_VNI_CIRCUMFLEX = {"â": "", "à": "\u0300", "á": "\u0301", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_BREVE = {"ê": "", "è": "\u0300", "é": "\u0301", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_SINGLE = {"ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ì": "ì", "Ì": "Ì", "í": "í",
               "Í": "Í", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ"}


def _upper_mark(mark: str) -> str:
    """The VNI mark byte used after a capital: 0x20 lower (ù 0xF9 → Ù 0xD9)."""
    return chr(ord(mark) - 0x20)


def _vni_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for lower_base in ("a", "e", "o", "u", "y", "ơ", "ư"):
        for mark, tone in _VNI_TONES.items():
            pairs[lower_base + mark] = unicodedata.normalize("NFC", lower_base + tone)
    for lower_base in ("a", "e", "o"):
        for mark, tone in _VNI_CIRCUMFLEX.items():
            pairs[lower_base + mark] = unicodedata.normalize("NFC", lower_base + "\u0302" + tone)
    for mark, tone in _VNI_BREVE.items():
        pairs["a" + mark] = unicodedata.normalize("NFC", "a\u0306" + tone)
    for key, letter in list(pairs.items()):
        base, mark = key[0], key[1]
        pairs[base.upper() + _upper_mark(mark)] = letter.upper()
    # ơ / ư are single bytes themselves (ô, ö), so their toned forms are three characters in VNI
    # reading: "ô" + "ù" → ớ; rewrite those keys to the raw characters.
    raw = {"ơ": "ô", "ư": "ö", "Ơ": "Ô", "Ư": "Ö"}
    return {raw.get(key[0], key[0]) + key[1]: letter for key, letter in pairs.items()}


VNI_PAIRS = _vni_pairs()
# one pass, pairs before single bytes (the ô of "oâ" must not become ơ afterwards)
_VNI_UNITS = {**_VNI_SINGLE, **VNI_PAIRS}
_VNI_UNIT = re.compile("|".join(sorted((re.escape(k) for k in _VNI_UNITS), key=len, reverse=True)))

# A Vietnamese syllable without its tone mark (lowercase): initial consonant, vowel nucleus, final
# consonant, with the rules that tell real syllables from the strings a wrong table gives ("trũnh",
# "coõng"): a nucleus ending in a semivowel (ai, ao, ươi …) or ia/ua/ưa takes no final consonant;
# ă, â, iê, yê, uô, ươ, oă, uâ, uyê need one; nh/ch only follow a, ê, i, y (anh, ênh, inh, uynh).
_INITIAL = "ngh|ng|nh|ch|gh|gi|kh|ph|qu(?![ouư])|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_OPEN = ("oai|oay|oao|oeo|uây|uôi|ươi|ươu|iêu|yêu|uyu|uya|"
         "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu")
_CLOSED_ONLY = "uyê|iê|yê|uô|ươ|oă|uâ|ă|â"
_EITHER = "oa|oe|uê|uơ|a|e|ê|o|ô|u|ư"
_SYLLABLE = re.compile(
    f"(?:{_INITIAL})?(?:(?:{_OPEN})|(?:{_CLOSED_ONLY})(?:c|k|m|n|p|t|ng)"
    f"|(?:oa|uê|uy|a|ê|i|y)(?:ch|nh)|(?:{_EITHER})(?:c|k|m|n|p|t|ng)?|(?:uy|i|ơ)(?:m|n|p|t)?|y)")
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# the words of a text: runs of anything but spaces and ASCII punctuation (legacy letters are often
# symbols in Latin-1: "¨", "µ", "¸")
_WORD = re.compile(r"[^\s!-/:-@\[-`{-~]+")


def is_vietnamese_word(word: str) -> bool:
    """A Vietnamese syllable (any case, at most one tone mark, placed where Vietnamese puts it), or
    a word of ASCII letters/digits."""
    if word.isascii():
        return True
    if any(char.isupper() for char in word[1:]) and any(char.islower() for char in word):
        return False  # "TuÊn", "NguyÔn": a TCVN3 lowercase letter that Latin-1 reads as a capital
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [index for index, char in enumerate(decomposed) if char in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(char for char in decomposed if char not in _TONES))
    if _SYLLABLE.fullmatch(bare) is None:
        return False
    return not tones or _tone_well_placed(bare, unicodedata.normalize("NFC", decomposed))


_VOWELS = set("aăâeêioôơuưy")


def _tone_well_placed(bare: str, word: str) -> bool:
    """The tone of a syllable ending in a vowel pair sits on the first of a semivowel ending
    (báu, mía, mứa — never "baù", "miá"), except after qu (quá) and in the old-style oà, oé, uý."""
    if len(bare) < 2 or bare[-2] not in _VOWELS or bare[-1] not in _VOWELS:
        return True
    toned_last = word[-1] != bare[-1]
    if bare[-1] in "iou":
        return not toned_last
    if bare[-1] == "a" and bare[-2] in "iưu":
        return not toned_last or bare.endswith("qua")
    return True


# a character no TCVN3/VNI text read as Windows-1252 can hold: the text is Unicode already
_BEYOND_LEGACY = re.compile("[^\x00-\xff" + re.escape(bytes(range(0x80, 0xA0)).decode("cp1252", "ignore")) + "]")


def _judged(word: str) -> bool:
    """A word that says something about the encoding: it has a letter or a Latin-1 symbol (a legacy
    letter); "–", "…", "№" alone do not."""
    return any(char.isalpha() or "\u0080" <= char <= "\u00ff" for char in word)


def _all_words_vietnamese(text: str) -> bool:
    return all(is_vietnamese_word(word) for word in _WORD.findall(text) if _judged(word))


def _restore_capitals(original: str, converted: str) -> str:
    """TCVN3 capitals with tone marks come from a second font, the same codes as lowercase: a
    converted word whose other letters are all capitals is written in capitals, and in a name whose
    other words are capitalised the converted word is too."""
    before = list(_WORD.finditer(original))
    after = list(_WORD.finditer(converted))
    if len(before) != len(after) or not after:
        return converted
    letters = [char for char in original if char.isascii() and char.isalpha()]
    all_capitals = len(letters) >= 2 and all(char.isupper() for char in letters)
    # a name ("Huúnh Ngäc ¸nh"): every other word starts with a capital, so does the converted one
    title_case = sum(match.group()[:1].isupper() for match in after) >= max(2, len(after) - 1)
    pieces, position = [], 0
    for old, new in zip(before, after):
        word = new.group()
        ascii_letters = [char for char in old.group() if char.isascii() and char.isalpha()]
        if (len(ascii_letters) >= 2 or all_capitals) and all(char.isupper() for char in ascii_letters):
            word = word.upper()
        elif title_case and word[:1].islower() and old.group()[:1] != word[:1]:
            word = word[:1].upper() + word[1:]
        pieces += [converted[position:new.start()], word]
        position = new.end()
    return "".join(pieces) + converted[position:]


def from_tcvn3(text: str) -> str:
    converted = "".join(TCVN3.get(char, char) for char in text)
    return _restore_capitals(text, converted)


def from_vni(text: str) -> str:
    return _VNI_UNIT.sub(lambda match: _VNI_UNITS[match.group(0)], text)


def _leftover_legacy(text: str) -> bool:
    """A character a conversion should have consumed: Latin-1 symbols no Vietnamese word has."""
    return any("\u0080" <= char <= "\u00ff" and not char.isalpha() for char in text)


_CONVERSIONS = {"tcvn3": from_tcvn3, "vni": from_vni}


def _readings(text: str) -> dict[str, str]:
    """The conversions of `text` that read as Vietnamese, by encoding."""
    readings = {}
    for encoding, convert in _CONVERSIONS.items():
        converted = unicodedata.normalize("NFC", convert(text))
        if converted != text and not _leftover_legacy(converted) and _all_words_vietnamese(converted):
            readings[encoding] = converted
    return readings


def might_be_legacy(text: str) -> bool:
    """Whether `text` could be TCVN3/VNI at all: not ASCII, nothing beyond Windows-1252."""
    return not text.isascii() and _BEYOND_LEGACY.search(text) is None


def fix_legacy_vietnamese(text: str) -> tuple[str, bool]:
    """`text` converted from TCVN3 or VNI when it is one (NFC), and whether it was converted.
    A text that reads as Vietnamese (or anything but Vietnamese) as it is stays as it is."""
    if not might_be_legacy(text) or (_all_words_vietnamese(text) and not _leftover_legacy(text)):
        return text, False
    readings = _readings(text)
    if not readings:
        return text, False
    # both read as Vietnamese (rare): VNI spends two bytes on most letters, so its reading is shorter
    return min(readings.values(), key=len), True


class LegacyFixer:
    """`fix_legacy_vietnamese` with the file as context, and the count of converted cells.

    A short cell can read as Vietnamese both as it is and converted ("Vò" is a word; in TCVN3 it is
    "Vũ"); alone it is kept. Once `EVIDENCE` cells of the file were certainly in one encoding, such
    cells are read in that encoding too (a file is typed with one font)."""

    EVIDENCE = 3

    def __init__(self) -> None:
        self.converted = 0
        self._seen: dict[str, int] = {"tcvn3": 0, "vni": 0}

    def _dominant(self) -> str | None:
        encoding = max(self._seen, key=lambda name: self._seen[name])
        return encoding if self._seen[encoding] >= self.EVIDENCE else None

    def fix(self, text: str) -> str:
        if not might_be_legacy(text):
            return text
        certain, readings = _classify(text)
        if not readings or (not certain and self._dominant() is None):
            return text  # no legacy reading, or one that is no more likely than the text as it is
        if certain:
            encoding = min(readings, key=lambda name: len(readings[name]))
            self._seen[encoding] += 1
        else:
            encoding = self._dominant() or ""
            if encoding not in readings:
                return text
        self.converted += 1
        return readings[encoding]


@lru_cache(maxsize=65_536)
def _classify(text: str) -> tuple[bool, dict[str, str]]:
    """(whether `text` certainly is legacy: it does not read as it is, its Vietnamese readings).
    Cached: a sheet repeats its values (genders, provinces, statuses, family names)."""
    certain = _leftover_legacy(text) or not _all_words_vietnamese(text)
    return certain, _readings(text)
