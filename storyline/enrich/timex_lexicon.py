"""The words of English time expressions, as data and as regular-expression pieces, and
the small parsers that read them ("twenty-four" → 24, "Sept." → 9, "nineteen ninety-six" →
1996). Shared by the rules in temporal.py.
"""

from __future__ import annotations

import re

# -- lexicon ---------------------------------------------------------------------------------

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
SEASON_CODES = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "overnight": "NI",
}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-first": 21,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
    "dozen": 12,
    "a dozen": 12,
    "thousand": 1000,
    "two thousand": 2000,
}
VAGUE_AMOUNTS = (
    "several",
    "a few",
    "few",
    "many",
    "some",
    "a number of",
)
UNIT_CODES = {
    "second": "S",
    "minute": "M",
    "hour": "H",
    "day": "D",
    "week": "W",
    "fortnight": "W",
    "month": "M",
    "quarter": "Q",
    "year": "Y",
    "decade": "E",
    "century": "C",
    "weekend": "WE",
}
# mod attribute of TimeML for the modifiers kept inside a span
MODIFIERS = {
    "about": "APPROX",
    "around": "APPROX",
    "nearly": "APPROX",
    "almost": "APPROX",
    "roughly": "APPROX",
    "approximately": "APPROX",
    "some": "APPROX",
    "close to": "APPROX",
    "more than": "MORE_THAN",
    "over": "MORE_THAN",
    "just over": "MORE_THAN",
    "less than": "LESS_THAN",
    "under": "LESS_THAN",
    "just under": "LESS_THAN",
    "fewer than": "LESS_THAN",
    "at least": "EQUAL_OR_MORE",
    "no less than": "EQUAL_OR_MORE",
    "at most": "EQUAL_OR_LESS",
    "up to": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS",
}

_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
NUMBER = (
    rf"(?:\d+(?:\.\d+)?(?:\s1/2)?|(?:{_TENS})(?:[- ](?:{_ONES}))?|{_TEENS}|{_ONES}|a\shundred|"
    rf"(?:a\s)?dozen|a|an)(?:\s(?:and\s)?a\shalf)?"
)
AMOUNT = rf"(?:{NUMBER}|several|a\sfew|few|a\scouple\sof|couple\sof|many|a\snumber\sof)"
UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|quarters?|years?|decades?|"
    r"century|centuries)"
)
MODIFIER = (
    r"(?:just\sover|just\sunder|more\sthan|less\sthan|fewer\sthan|at\sleast|at\smost|up\sto|"
    r"no\smore\sthan|no\sless\sthan|close\sto|nearly|almost|roughly|approximately|over|under)"
)
MONTH = (
    r"(?:Jan(?:uary|\.)|Feb(?:ruary|\.)|Mar(?:ch|\.)|Apr(?:il|\.)|May|June?|July?|Aug(?:ust|\.)|"
    r"Sep(?:t(?:ember|\.)|\.)|Oct(?:ober|\.)|Nov(?:ember|\.)|Dec(?:ember|\.)|"
    r"Jan|Feb|Apr|Aug|Sept?|Oct|Nov|Dec)"
)
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
SPOKEN_YEAR = (
    rf"(?:nineteen[- ](?:(?:{_TENS})(?:[- ](?:{_ONES}))?|{_TEENS})|the\syear\stwo\sthousand|"
    rf"two\sthousand(?:\sand\s(?:{_ONES}|{_TEENS}))?)"
)
ANY_YEAR = rf"(?:{YEAR}|{SPOKEN_YEAR})"
SEASON = r"(?:spring|summer|fall|autumn|winter)"
PART = r"(?:morning|afternoon|evening|night)"
CLOCK = r"(?:\d{1,2}(?::\d{2})?\s?(?:a\.m\.?|p\.m\.?|am\b|pm\b)|noon|midnight|midday)"
ZONE = r"(?:\s(?:EST|EDT|CST|CDT|PST|PDT|GMT|UTC))"
EDGE = r"(?:(?:early|late|mid)[- ]?|the\s(?:end|beginning|start|middle)\sof\s|(?:earlier|later)\s)"


# -- small parsers ---------------------------------------------------------------------------


def month_number(word: str) -> int:
    return MONTHS[word.lower()[:3]]


def weekday_number(word: str) -> int:
    return WEEKDAYS[word.lower()[:3]]


def day_number(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def number_value(words: str) -> float | None:
    """ "two" → 2, "twenty-four" → 24, "5 1/2" → 5.5, "several" → None (vague)."""
    text = words.lower().strip()
    half = 0.5 if re.search(r"(?:and )?a half$|1/2$", text) else 0.0
    text = re.sub(r"\s*(?:(?:and )?a half|1/2)$", "", text).strip()
    if text in ("a couple of", "couple of"):
        return 2.0 + half
    if text in VAGUE_AMOUNTS or text.endswith(" of"):
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text) + half
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text] + half
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]] + half
    return None


def spoken_year(text: str) -> int | None:
    """ "nineteen ninety-six" → 1996, "the year two thousand" → 2000."""
    words = text.lower().replace("the year ", "").replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        rest = number_value(" ".join(w for w in words[2:] if w != "and")) if words[2:] else 0
        return 2000 + int(rest or 0)
    if words and words[0] == "nineteen":
        rest = number_value("-".join(words[1:]))
        return 1900 + int(rest) if rest is not None and rest < 100 else None
    return None


def year_value(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else spoken_year(text)


def unit_name(word: str) -> str:
    word = word.lower()
    if word in ("century", "centuries"):
        return "century"
    return word.rstrip("s") if word != "days" else "day"


def duration_value(amount: float | None, unit: str) -> str:
    """TimeML duration: P3D, PT5H, P2Y6M, PXY for a vague amount."""
    code = UNIT_CODES[unit]
    time_part = unit in ("hour", "minute", "second")
    prefix = "PT" if time_part else "P"
    if unit == "fortnight" and amount is not None:
        amount *= 2
    if unit in ("decade", "century") and amount is not None:
        amount, code = amount * (10 if unit == "decade" else 100), "Y"
    if amount is None:
        return f"{prefix}X{code}"
    if amount != int(amount):
        whole, half = int(amount), amount - int(amount)
        smaller = {"Y": ("M", 12), "D": ("H", 24), "H": ("M", 60), "M": ("S", 60), "W": ("D", 7)}
        if code in smaller and half:
            sub, factor = smaller[code]
            joiner = "T" if code == "D" else ""
            return f"{prefix}{whole}{code}{joiner}{int(half * factor)}{sub}"
    return f"{prefix}{int(amount)}{code}"


def modifier_of(text: str | None) -> str | None:
    if not text:
        return None
    return MODIFIERS.get(" ".join(text.lower().split()))
