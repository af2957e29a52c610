"""The typo budget of a search word and what may stand for it among the known words (domain.typos)."""
from __future__ import annotations

import itertools

import pytest
from rapidfuzz.distance import OSA

from crm_customers.domain.typos import MOST_ALTERNATIVES, alternatives, similar_prefixes, typo_budget
from crm_customers.store.search_words import Vocabulary

WORDS = ["nguyen", "nguyet", "van", "vanh", "an", "anh", "nam", "hong", "huong", "tra", "tran", "trang", "thi",
         "quynh"]
KNOWN = Vocabulary()
KNOWN.add(WORDS)


@pytest.mark.parametrize(("word", "budget"), [("a", 0), ("an", 0), ("van", 1), ("huong", 1), ("nguyen", 2),
                                              ("0912", 0), ("a1b2c3", 0)])
def test_budget_by_length_letters_only(word, budget):
    assert typo_budget(word) == budget


@pytest.mark.parametrize(("word", "found"), [
    ("vna", "van"),        # neighbours swapped: one typo
    ("tarn", "tran"),
    ("huogn", "huong"),
    ("nguyne", "nguyen"),  # two in a long word
    ("ngyuen", "nguyen"),
    ("quyhn", "quynh"),
    ("ngyu", "nguy"),      # a word still being typed: the start of a known word
    ("hongg", "hong "),    # a letter too many at the end: that word itself
    ("namm", "nam "),
])
def test_a_typo_finds_the_known_prefix(word, found):
    found_alternatives = similar_prefixes(word, KNOWN)
    assert found_alternatives[0] == word and found in found_alternatives


def test_nothing_beyond_the_budget_nor_in_short_words_and_numbers():
    assert "van" not in similar_prefixes("vxy", KNOWN)
    assert "tran" not in similar_prefixes("trxyz", KNOWN)
    assert similar_prefixes("an", KNOWN) == ["an"]
    assert similar_prefixes("0912", KNOWN) == ["0912"]


def test_one_letter_less_is_the_shorter_word_not_all_it_starts():
    assert "tra " in similar_prefixes("trag", KNOWN) and "tra" not in similar_prefixes("trag", KNOWN)


def test_closest_first_and_bounded():
    found = similar_prefixes("nguyxn", KNOWN)
    distances = [OSA.distance("nguyxn", alternative.rstrip()) for alternative in found]
    assert distances == sorted(distances) and distances[-1] == 2 and "nguyen" in found
    every = Vocabulary()
    every.add("".join(letters) for letters in itertools.product("abcdefghijklmnop", repeat=4))
    assert len(similar_prefixes("abc", every)) == MOST_ALTERNATIVES


def test_only_the_likely_typos_vary():
    assert alternatives(["pham", "tran", "huogn"], KNOWN) == [similar_prefixes("pham", KNOWN), ["tran"],
                                                               similar_prefixes("huogn", KNOWN)]
    varied = alternatives(["nguyen", "van", "an"], KNOWN)  # all known, nothing exact: any may be the typo
    assert varied == [similar_prefixes("nguyen", KNOWN), similar_prefixes("van", KNOWN), ["an"]]
    assert "vanh" in varied[1]
