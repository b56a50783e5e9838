"""Romanisation and phonetic keys for Armenian names written in any script.

The registry holds the same names in Armenian script, in Russian Cyrillic and in many Latin
spellings (Eastern passport style, Russian-derived, Western Armenian and diaspora forms). No
standard transliterator unifies them, so this module is hand-written:

``romanize`` turns any of those scripts into readable lowercase ASCII Latin, for display and
ranking. ``name_key``, ``family_name_key`` and ``patronymic_key`` turn a name into a short
phonetic key that is equal for the usual renderings of one name and different for different
names: Հովհաննիսյան, Оганесян, Hovhannisyan and Hovannisian all give ``OnsYAN``.

How a key is built, word by word, from the romanised text:

1. Family names: the surname ending (-yan, -ian, -jan, -ean, -yants, -ianz, -ян, -յան...) is
   cut off and replaced by the fixed token ``YAN``. Other names: a final i/y is cut off
   (Yuri = Юрий; the Armenian genitive Աշոտի, which is how patronymics are written, = Ashot).
2. The start of the word: (h)o(v)(h|g) before a vowel becomes ``O`` (Hovhannisyan, Ovanesyan,
   Оганесян, Ohanyan); "vo" becomes ``O`` (Voskanyan, Осканян); h before a vowel is dropped
   (Harutyunyan, Арутюнян); an initial vowel keeps its quality as one capital letter
   (``A E I O U Y``), "ye" being ``E`` (Yeghiazaryan, Егиазарян, Eghiazaryan).
3. Consonants fold into classes: affricates (ch, tch, ts, tz, dz, dj, dzh, j, c, and zh, which
   Latin spellings write as j: Zhanna/Janna) -> ``C``; velars (k, g, kh, gh, q, x and h)
   -> ``K``; sh -> ``S``; b/p/ph -> ``P`` and d/t/th -> ``T`` (Western voicing: Hagopian,
   Bedrosian, Kevork). s z v m n l r f stay. Every other vowel (and y) becomes ``a``;
   doubled symbols collapse (nn, ss, vowel runs).
4. A velar between two vowels is dropped. Russian renders an Armenian h between vowels
   either as г (Шагинян, Ваганян, Ваге) or not at all (Анаит, Саакян, Гоар), and г is also
   Armenian g and gh (Григорян, Погосян); only dropping the velar there makes all of these
   agree. The price is that names differing only by such a velar share a key (Vahanyan and
   Vanyan, Soghomonyan and Simonyan); ranking and the other fields of a record tell them
   apart.
5. Armenian drops the unstressed vowel of a name's last syllable when an ending follows
   (Սարգիս -> Սարգսյան, Խաչատուր -> Խաչատրյան, Մկրտիչ -> Մկրտչյան), while Russian and Western
   spellings often keep it (Саркисян, Sarkissian, Khachaturian, Mkrtichyan). So a last vowel
   between single consonants at the end of the word is dropped, provided another vowel or a
   cluster of three consonants comes before it: Sargis, Sarkiss(ian) and Sargs(yan) all give
   ``sarKs``, while Poghos keeps its only vowel.

Known limits: the Russian Г for an initial Armenian h (Гамлет, Гайк, Гадрут, beside Hamlet,
Hayk, Hadrut) and the Western vowel inserted between consonants (Mekhitarian) are not
bridged; Ефремян (ф for փ) stays apart from Епремян.

Everything is precompiled (translation tables, regular expressions) and keys of single words
are cached, because the keys are computed for every record of every import.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["family_name_key", "name_key", "patronymic_key", "romanize"]

# --- romanisation -------------------------------------------------------------------------

# Eastern Armenian, lowercase. ու, initial ե/ո/և are handled before the table (see romanize).
_ARMENIAN = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y",
    "թ": "t", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h",
    "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o",
    "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
    # ligatures
    "ﬓ": "mn", "ﬔ": "me", "ﬕ": "mi", "ﬖ": "vn", "ﬗ": "mkh",
    # apostrophe, emphasis, exclamation, question, abbreviation marks, modifier half ring
    "՚": "", "՛": "", "՜": "", "՞": "", "՟": "", "ՙ": "",
    # comma, full stop, hyphen
    "՝": " ", "։": " ", "֊": " ",
}  # fmt: skip

# Russian (with the Ukrainian and Belarusian extra letters), lowercase. Initial е is handled
# before the table.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip

# Latin letters that a plain accent-stripping would get wrong: Azerbaijani (ə ı ğ ş ç x),
# scholarly Armenian transliteration (č š ž ǰ ł ġ ǧ) and a few ligatures.
_LATIN = {
    "ə": "e", "ı": "i", "ğ": "gh", "ş": "sh", "ç": "ch", "ö": "o", "ü": "u", "x": "kh",
    "č": "ch", "š": "sh", "ž": "zh", "ǰ": "j", "ł": "gh", "ġ": "gh", "ǧ": "gh",
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th",
}  # fmt: skip

# Apostrophes and aspiration marks are dropped (Mkrtch'yan, T‘adevosyan).
_APOSTROPHES = "'`´‘’‚‛ʹʻʼʽʾʿˈˊˋ′"

_TABLE = str.maketrans({**_ARMENIAN, **_CYRILLIC, **_LATIN, **dict.fromkeys(_APOSTROPHES, "")})
_ASCII_TABLE = str.maketrans({"x": "kh", **dict.fromkeys("'`", "")})

# Letters only Azerbaijani uses among the registry's scripts: where they appear, c reads "j"
# (Xocavənd, Kəlbəcər) and x always reads "kh". Elsewhere x between vowels is "ks"
# (Alexander, Alexanian) and "kh" otherwise (Xankendi, Xramort, Zabux).
_AZERBAIJANI = re.compile("[əığş]")
_X_BETWEEN_VOWELS = re.compile("(?<=[aeiouy])x(?=[aeiouy])")
# ə starting a word is written "a" in English forms (Əsgəran: Asgaran, Həsənriz: Hasanriz);
# elsewhere "e" (Xankəndi: Khankendi).
_INITIAL_SCHWA = re.compile(r"(?<!\w)(h?)ə")

_ARMENIAN_CONSONANTS = "բգդզթժլխծկհձղճմյնշչպջռսվտրցփքֆ"
_CYRILLIC_CONSONANTS = "бвгджзйклмнпрстфхцчшщ"
# ե reads "ye" at the start of a word and after a vowel (Երևան, Միքայել).
_ARMENIAN_YE = re.compile(f"(?<![{_ARMENIAN_CONSONANTS}])ե")
# ո reads "vo" at the start of a word (Ոսկանյան); ու has been replaced before.
_ARMENIAN_VO = re.compile(r"(?<!\w)ո")
_ARMENIAN_YEV = re.compile(r"(?<!\w)և")
# е reads "ye" at the start of a word and after a vowel or a sign (Егиазарян, Андреевич).
_CYRILLIC_YE = re.compile(f"(?<![{_CYRILLIC_CONSONANTS}])е")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def romanize(text: str) -> str:
    """Readable lowercase ASCII Latin for a name or place name in any of the registry's scripts.

    Armenian script is read with Eastern values, Russian Cyrillic in the usual passport style,
    Azerbaijani letters as their sounds (x -> kh, ə -> e, ş -> sh); other accents are removed.
    Apostrophes are dropped; hyphens and other punctuation become spaces; whitespace collapses.
    """
    lowered = text.lower()
    if lowered.isascii():
        if "x" in lowered:
            lowered = _X_BETWEEN_VOWELS.sub("ks", lowered)
        latin = lowered.translate(_ASCII_TABLE)
    else:
        if _AZERBAIJANI.search(lowered):
            lowered = _INITIAL_SCHWA.sub(r"\1a", lowered.replace("c", "j"))
        elif "x" in lowered:
            lowered = _X_BETWEEN_VOWELS.sub("ks", lowered)
        if "ւ" in lowered:
            lowered = lowered.replace("ու", "u")
        if "ե" in lowered:
            lowered = _ARMENIAN_YE.sub("ye", lowered)
        if "ո" in lowered:
            lowered = _ARMENIAN_VO.sub("vo", lowered)
        if "և" in lowered:
            lowered = _ARMENIAN_YEV.sub("yev", lowered)
        if "е" in lowered:
            lowered = _CYRILLIC_YE.sub("ye", lowered)
        latin = lowered.translate(_TABLE)
        if not latin.isascii():
            decomposed = unicodedata.normalize("NFKD", latin)
            latin = decomposed.encode("ascii", "ignore").decode("ascii")
    if latin.isalnum():  # one word, the usual case
        return latin
    return _NOT_ALNUM.sub(" ", latin).strip()


# --- keys ---------------------------------------------------------------------------------

_VOWELS = "aeiouy"

# Hovhannisyan, Hovannisian, Ovanesyan, Oganesyan, Ohanyan: all "O" + the following vowel.
_O_START = re.compile(r"h?ov?[hg]?(?=[aeiouy])")
_VOWEL_RUN = re.compile(r"[aeiouy]+")
_FINAL_I = re.compile(r"(?:(?<=[aeiouy])h)?[iy]+$")
# t + ch after a consonant is two sounds (Mkrtchyan, Мкртчян: տ + չ); after a vowel "tch" is
# one (Khatchadour, Hratch).
_TCH_AFTER_CONSONANT = re.compile(r"(?<=[^aeiouy])tch")

# Longest first; the replacements are capitals, so they are never matched again.
_DIGRAPHS = (
    ("dzh", "C"),
    ("tch", "C"),
    ("ch", "C"),
    ("ts", "C"),
    ("tz", "C"),
    ("dz", "C"),
    ("dj", "C"),
    ("zh", "C"),  # ժ joins the affricates: Zhanna = Janna, Mezhlumyan = Mejlumyan
    ("sh", "S"),
    ("kh", "K"),
    ("gh", "K"),
    ("th", "T"),
    ("ph", "P"),
    ("ck", "K"),
)
_SYMBOLS = str.maketrans(
    {
        **dict.fromkeys(_VOWELS, "a"),
        **dict.fromkeys("kgqhx", "K"),
        **dict.fromkeys("cj", "C"),
        **dict.fromkeys("bp", "P"),
        **dict.fromkeys("dt", "T"),
        "w": "v",
    }
)
_VELARS_BETWEEN_VOWELS = re.compile(r"(?<=a)K+(?=a)")
# A symbol followed by the same symbol is deleted: doubled letters and vowel runs collapse.
_DOUBLED = re.compile(r"(.)(?=\1)")

# Surname endings: -yan -ian -jan -ean -an, optionally with -ts/-tz/-c/-z (-yants, -ianz).
_SUFFIX_TAILS = frozenset(("", "ts", "tz", "c", "z"))
_SUFFIX_GLIDES = "yije"
_MIN_STEM = 2
_SUFFIX_TOKEN = "YAN"
# A sole vowel is reduced only after a cluster (Mkrtich: Mə-kər-tich); Poghos, Sahak keep it.
_MIN_CLUSTER_BEFORE_SOLE_VOWEL = 3


def _surname_stem(word: str) -> str | None:
    """The word without its surname ending, or None when it has none."""
    end = word.rfind("an")
    if end < 0 or word[end + 2 :] not in _SUFFIX_TAILS:
        return None
    if end > 0 and word[end - 1] in _SUFFIX_GLIDES:
        end -= 1
    return word[:end] if end >= _MIN_STEM else None


def _initial_vowel(run: str) -> str:
    """The class of a word-initial vowel run: "ye", "e", "ie" -> E; "ya", "yu" -> Y."""
    if run[0] in "yi" and len(run) > 1:
        return "E" if run[1] == "e" else "Y"
    return run[0].upper()


@lru_cache(maxsize=1 << 16)
def _word_key(word: str, family: bool) -> str:
    """Key of one romanised word ([a-z0-9]+)."""
    suffix = ""
    if family:
        stem = _surname_stem(word)
        if stem is not None:
            word, suffix = stem, _SUFFIX_TOKEN
    elif word[-1] in "iy" and len(stripped := _FINAL_I.sub("", word)) >= 2:
        # A final i/y is not part of the key: Yuri = Yuriy = Юрий, Zaruhi = Заруи, Ani != Anna,
        # and the Armenian genitive (the patronymic Աշոտի, Ashoti; Արայի, Arayi) is the name.
        word = stripped

    # The start of the word; an initial vowel is kept as a capital letter of its own.
    prefix = ""
    if word.startswith(("ou", "hou")):
        prefix, word = "U", word[word.index("u") + 1 :]
    elif start := _O_START.match(word):
        prefix, word = "O", word[start.end() :]
    elif word.startswith("vo"):
        prefix, word = "O", word[2:]
    else:
        if word[:1] == "h" and word[1:2] in _VOWELS:
            word = word[1:]
        if run := _VOWEL_RUN.match(word):
            prefix = _initial_vowel(run.group())
            word = word[run.end() :]

    if "tch" in word:
        word = _TCH_AFTER_CONSONANT.sub("tC", word)
    for digraph, symbol in _DIGRAPHS:
        if digraph in word:
            word = word.replace(digraph, symbol)
    # While folding, the initial vowel stands as a plain vowel "a" at the front.
    key = word.translate(_SYMBOLS)
    if prefix:
        key = "a" + key
    if "K" in key:
        key = _VELARS_BETWEEN_VOWELS.sub("", key)
    key = _DOUBLED.sub("", key)

    # Reduce the vowel of the last syllable: ...C a C at the end -> ...C C.
    vowels = key.count("a")
    if (
        len(key) >= 3
        and key[-2] == "a"
        and key[-1] != "a"
        and key[-3] != "a"
        and (vowels >= 2 or key.index("a") >= _MIN_CLUSTER_BEFORE_SOLE_VOWEL)
    ):
        key = key[:-2] + key[-1]
        if key[-1] == key[-2]:
            key = key[:-1]

    if prefix:
        key = prefix + key[1:]
    return key + suffix


def _keys(text: str, family: bool) -> str:
    words = romanize(text).split()
    if len(words) == 1:
        return _word_key(words[0], family)
    return " ".join([_word_key(word, family) for word in words])


def name_key(text: str) -> str:
    """Phonetic key of a given name or a place name; one key per word, joined by spaces.

    name_key("Hovhannes") == name_key("Оганес") == name_key("Հովհաննես");
    name_key("Xankəndi") == name_key("Ханкенди") == name_key("Khankendi").
    """
    return _keys(text, False)


def family_name_key(text: str) -> str:
    """Phonetic key of a family name: as ``name_key``, and all surname endings agree.

    family_name_key("Hovhannisyan") == family_name_key("Оганесян") ==
    family_name_key("Hovannisian") == family_name_key("Հովհաննիսյան").
    """
    return _keys(text, True)


# Russian patronymics (and their Latin spellings): the name's stem is what is left.
_RUSSIAN_PATRONYMIC = re.compile(r"(?<=[a-z]{2})(?:[oe]vich|[oe]vitch|[oe]vna)$")
# -ich/-ichna come from names ending in -a/-ya (Lukich from Luka, Ilyich from Ilya): the
# stem gets its "a" back. Only after vowel + consonant or after y, so that the Armenian
# name Mkrtich is not mistaken for a patronymic.
_RUSSIAN_ICH = re.compile(r"(?<=[aeiouy][b-df-hj-np-tv-z]|[a-z]y)ich(?:na)?$")


def _patronymic_stem(word: str) -> str:
    stem, count = _RUSSIAN_PATRONYMIC.subn("", word)
    if count:
        return stem
    # The Armenian genitive (Աշոտի) needs nothing here: a final i is never part of a key.
    return _RUSSIAN_ICH.sub("a", word)


def patronymic_key(text: str) -> str:
    """The ``name_key`` of the father's given name, whichever way the patronymic is written.

    patronymic_key("Ашотович") == patronymic_key("Աշոտի") == patronymic_key("Ashotovna")
    == name_key("Ashot"). A bare given name is keyed as it is.
    """
    return " ".join([_word_key(_patronymic_stem(word), False) for word in romanize(text).split()])
