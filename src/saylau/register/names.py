"""Names across scripts: one match key for a Kazakh/Russian Cyrillic spelling and its Latin ones
(spec/register.md §3).

``match_key`` is for matching and indexing only, never for display: NFKC, casefold, one Cyrillic -> Latin
transliteration (Kazakh ә ғ қ ң ө ұ ү һ і and Russian ё й щ ъ ь э ю я included), the letters of the 2021
Kazakh Latin alphabet (ş, ç, ə, ı, ñ ...) spelled out, diacritics stripped, then one fold that maps the
common variant spellings to one form, applied to every Latin text (a transliteration included), so that
"Жұмабек", "Zhumabek", "Jumabek" and "Jūmabek" share a key:

    zh, j -> j    kh, h, x -> h    yu, iu -> iu    ya, ia -> ia    ye, yo -> e    y -> i    q -> k
    ng -> n       shch -> sh      ii -> i (Yuliya, Iuliia, Yulia; Evgenii, Yevgeniy, Evgeny)

The fold is repeated until nothing changes (each pass only shortens a word or removes an x, q or y), so
that the key of a key is itself.

The first spellings are ICAO Doc 9303 Part 3's transliteration of Cyrillic in machine-readable travel
documents (zh, kh, iu, ia: https://www.icao.int/publications/Documents/9303_p3_cons_en.pdf); older
documents and common usage give j, h, yu, ya. A key may join two different names (that is what a
match key does); the register's matching then compares the birth date too.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["NAME_MAX", "match_key", "normalise"]

NAME_MAX = 200  # a name field's longest length (characters), at the edge

_CYRILLIC: dict[str, str] = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "і": "i", "к": "k", "қ": "q", "л": "l", "м": "m",
    "н": "n", "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
# Latin letters that carry a sound, not an accent: spelled out before the accents are stripped
_LATIN: dict[str, str] = {"ş": "sh", "ç": "ch", "ə": "a", "ı": "i", "ñ": "ng", "ß": "ss", "đ": "d", "ł": "l"}
_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})
_FOLD: dict[str, str] = {
    "shch": "sh", "zh": "j", "kh": "h", "x": "h", "yu": "iu", "ya": "ia", "ye": "e", "yo": "e", "y": "i",
    "q": "k", "ng": "n", "ii": "i",
}  # fmt: skip
_FOLD_RE = re.compile("|".join(sorted(_FOLD, key=len, reverse=True)))
_NOT_LETTER = re.compile(r"[^a-z]+")


@functools.lru_cache(maxsize=1 << 16)  # names repeat: a register has far fewer spellings than persons
def normalise(text: str) -> str:
    """NFKC, casefold, runs of white space made one space, outer space removed: the form stored."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def match_key(text: str) -> str:
    """The key two spellings of one name share: Latin letters a-z and single spaces (spec/register.md §3)."""
    return " ".join(k for k in map(_word_key, normalise(text).split()) if k)


@functools.lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    """One normalised word's key (may be several words, or none, once signs become spaces)."""
    latin = word.translate(_TABLE)
    bare = "".join(c for c in unicodedata.normalize("NFD", latin) if not unicodedata.combining(c))
    words = _NOT_LETTER.sub(" ", bare.replace("'", "").replace("\u2019", "")).split()
    return " ".join(_fold(w) for w in words)


def _fold(word: str) -> str:
    while (folded := _FOLD_RE.sub(lambda m: _FOLD[m.group(0)], word)) != word:
        word = folded
    return word
