"""Finding time expressions in English news text, and what each one means before anchoring.

Our own rules, HeidelTime-style, because no installed library finds TimeML-shaped spans:
spaCy's DATE entities carry prepositions, ages and vague words TimeML leaves out, and
dateparser only parses a string it is handed. Each rule is a regular expression plus a
reader that turns the match into a `Reading`: either an absolute calendar point, a
`Relative` one to be anchored later (on the publication date or on the last date in the
text), a duration, a set (a recurrence) or a vague reference (PAST_REF, FUTURE_REF, ...).

Span conventions follow TimeML: no leading preposition ("in", "on"), determiners and
modifiers kept ("the third quarter", "almost four years ago", "at least 30 days").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .absolute import absolute_point
from .calendar import Point
from .timex_lexicon import (
    AMOUNT,
    ANY_YEAR,
    CLOCK,
    DAY,
    EDGE,
    MODIFIER,
    MONTH,
    NUMBER,
    NUMBER_WORDS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASON,
    SEASON_CODES,
    SPOKEN_YEAR,
    UNIT,
    UNIT_CODES,
    WEEKDAY,
    YEAR,
    ZONE,
    day_number,
    duration_value,
    modifier_of,
    month_number,
    number_value,
    unit_name,
    weekday_number,
    year_value,
)


@dataclass(frozen=True)
class Relative:
    """A date that needs an anchor: the publication date (`base="anchor"`) or the last date
    the text mentioned (`base="reference"`).

    Either a unit offset ("last week": unit week, offset -1), or a named calendar item
    (weekday, month [+ day], season, quarter, holiday) placed by `offset` / tense, with
    `year_offset` for "January this year" / "June last year".
    """

    base: str
    unit: str
    offset: int = 0
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    season: str | None = None
    quarter: int | None = None
    holiday: str | None = None
    year_offset: int | None = None
    part_of_day: str | None = None
    clock: str | None = None
    tense_decides: bool = False
    keep_precision: bool = False


@dataclass(frozen=True)
class Reading:
    """What a matched expression means before anchoring. Exactly one of point / relative /
    duration / vague is set (sets carry their period in `duration`)."""

    kind: str  # date | time | duration | set | range
    point: Point | None = None
    relative: Relative | None = None
    duration: str | None = None
    vague: str | None = None
    mod: str | None = None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    rule: str
    reading: Reading


Reader = Callable[[re.Match[str]], Reading | None]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    read: Reader


# -- readers ---------------------------------------------------------------------------------


def _real_day(year: int, month: int, day: int) -> bool:
    """ "February 30, 2020" is no day: such a match is left out rather than mis-valued."""
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _iso(m: re.Match[str]) -> Reading | None:
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not _real_day(year, month, day):
        return None
    return Reading("date", Point("day", year, month, day))


def _numeric(m: re.Match[str]) -> Reading | None:
    month, day, year = int(m["m"]), int(m["d"]), int(m["y"])
    if year < 100:
        year += 1900 if year > 30 else 2000
    if not _real_day(year, month, day):
        return None
    return Reading("date", Point("day", year, month, day))


def _numeric_date(m: re.Match[str]) -> Reading | None:
    """ "2025/03/16", "16.03.2025", "16-Mar-2025": formats dateparser knows better than we do."""
    # dotted dates are day-first wherever they are written
    point = absolute_point(m[0], day_first="." in m[0] and m[0].index(".") <= 2)
    return Reading("date", point) if point is not None else None


def _month_day(m: re.Match[str]) -> Reading | None:
    month, day = month_number(m["month"]), day_number(m["day"])
    if not _real_day(2000, month, day):  # a leap year: "Feb. 29" may be real
        return None
    clock = _clock(m["clock"]) if m.groupdict().get("clock") else None
    kind = "time" if clock else "date"
    if m["year"]:
        year = year_value(m["year"])
        if year is None or not _real_day(year, month, day):
            return None
        if clock:
            return Reading(kind, Point("time", year, month, day, clock=clock))
        return Reading(kind, Point("day", year, month, day))
    return Reading(
        kind,
        relative=Relative("anchor", "day", month=month, day=day, clock=clock, tense_decides=True),
    )


def _month_year(m: re.Match[str]) -> Reading | None:
    month = month_number(m["month"])
    if m["year"]:
        year = year_value(m["year"])
        return None if year is None else Reading("date", Point("month", year, month))
    offset = {"this": 0, "last": -1, "next": 1}[m["rel"].lower()]
    return Reading("date", relative=Relative("anchor", "month", month=month, year_offset=offset))


_MONTH_CUES = {
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "through",
    "during",
    "before",
    "after",
    "of",
    "early",
    "late",
    "mid",
    "to",
    "between",
    "and",
}


def _month(m: re.Match[str]) -> Reading | None:
    word = m["month"]
    rel = (m["rel"] or "").lower()
    if not word[0].isupper() or (len(word) <= 4 and word not in ("May", "June", "July")):
        return None  # "Jan Kavan": a bare abbreviation without its dot is a name
    # "May" and "March" are also a verb and a noun: only with a determiner or edge word.
    before = m.string[max(0, m.start() - 8) : m.start()].lower().split()
    if (
        word in ("May", "March")
        and not rel
        and not m["edge"]
        and not (before and before[-1] in _MONTH_CUES)
    ):
        return None
    offset = {"last": -1, "next": 1, "this": 0, "": 0}[rel]
    return Reading(
        "date",
        relative=Relative(
            "anchor", "month", offset=offset, month=month_number(word), tense_decides=not rel
        ),
        mod=_edge_mod(m["edge"]),
    )


def _year(m: re.Match[str]) -> Reading | None:
    year = year_value(m["year"])
    if year is None:
        return None
    return Reading("date", Point("year", year), mod=_edge_mod(m["edge"]))


def _decade(m: re.Match[str]) -> Reading | None:
    if m["digits"]:
        digits = m["digits"]
        decade = int(digits[:3]) if len(digits) == 4 else None
        if decade is None:
            return Reading(
                "date",
                relative=Relative("anchor", "decade", offset=0, year_offset=int(digits[-2:])),
            )
        return Reading("date", Point("decade", decade=decade), mod=_edge_mod(m["edge"]))
    tens = NUMBER_WORDS[m["words"].lower().rstrip("ies") + "y"] if m["words"] else 0
    return Reading("date", Point("decade", decade=190 + tens // 10), mod=_edge_mod(m["edge"]))


def _century(m: re.Match[str]) -> Reading | None:
    if m["rel"]:
        offset = {"this": 0, "last": -1, "next": 1, "the last": -1, "the next": 1}[m["rel"].lower()]
        return Reading("date", relative=Relative("anchor", "century", offset=offset))
    number = ORDINALS.get(m["ord"].lower()) if m["ord"].isalpha() else day_number(m["ord"])
    return None if not number else Reading("date", Point("century", century=number - 1))


def _quarter(m: re.Match[str]) -> Reading | None:
    ordinal = (m["ord"] or "").lower()
    unit = m["unit"].lower()
    year = m["year"] or m["year2"]
    which = {
        "first": 1,
        "second": 2,
        "third": 3,
        "fourth": 4,
        "1st": 1,
        "2nd": 2,
        "3rd": 3,
        "4th": 4,
    }
    if unit == "half":
        number = which.get(ordinal) or (2 if ordinal in ("last", "latter", "final") else None)
        if number is None or number > 2:
            return None
        if year:
            return Reading("date", Point("half", int(year), half=number))
        return Reading("date", relative=Relative("anchor", "half", month=6 * number))
    if ordinal in which:
        number = which[ordinal]
        if year:
            return Reading("date", Point("quarter", int(year), quarter=number))
        year_offset = -1 if (m["prefix"] or "").lower() in ("year-earlier", "year-ago") else 0
        if m["ryear"]:
            year_offset = {"this": 0, "last": -1, "next": 1}[m["ryear"].lower()]
        return Reading(
            "date", relative=Relative("anchor", "quarter", quarter=number, year_offset=year_offset)
        )
    prefix = (m["prefix"] or "").lower()
    if prefix in ("year-earlier", "year-ago"):
        return Reading("date", relative=Relative("anchor", "quarter", offset=-5))
    if prefix in ("current", "this"):
        return Reading("date", relative=Relative("anchor", "quarter", offset=0))
    if prefix in ("next", "coming"):
        return Reading("date", relative=Relative("anchor", "quarter", offset=1))
    # "the quarter", "the latest quarter", "last quarter": the last one reported on.
    return Reading("date", relative=Relative("anchor", "quarter", offset=-1))


def _season(m: re.Match[str]) -> Reading | None:
    code = SEASON_CODES[m["season"].lower()]
    before = m.string[max(0, m.start() - 4) : m.start()].lower()
    if (
        m["season"].lower() == "fall"
        and not m["year"]
        and (m["rel"] or "").lower() in ("", "the")
        and "in " not in before
    ):
        return None  # "the fall in prices", "shares fall"
    if m["year"]:
        year = year_value(m["year"])
        return None if year is None else Reading("date", Point("season", year, season=code))
    rel = " ".join((m["rel"] or "").lower().split())
    offset = {
        "last": -1,
        "this past": -1,
        "past": -1,
        "next": 1,
        "coming": 1,
        "this": 0,
        "the": 0,
        "": 0,
    }
    return Reading(
        "date",
        relative=Relative(
            "anchor",
            "season",
            offset=offset.get(rel, 0),
            season=code,
            tense_decides=rel in ("this", "the", ""),
        ),
        mod=_edge_mod(m["edge"] or m["edge2"]),
    )


def _weekday(m: re.Match[str]) -> Reading | None:
    weekday = weekday_number(m["weekday"])
    rel = (m["rel"] or "").lower()
    part = PARTS_OF_DAY.get((m["part"] or "").lower())
    clock = _clock(m["clock"]) if m["clock"] else None
    if m["plural"] or (m["every"] or ""):
        value = f"XXXX-WXX-{weekday + 1}" + (f"T{part}" if part else "")
        return Reading("set", duration=value)
    offset = {"last": -1, "next": 1, "this": 0, "this past": -1, "this coming": 1, "": 0}[rel]
    # "Friday night" is valued as the day (as TimeBank mostly does), a clock time as a time.
    return Reading(
        "time" if clock else "date",
        relative=Relative(
            "anchor", "day", offset=offset, weekday=weekday, clock=clock, tense_decides=not rel
        ),
        mod=_edge_mod(m["edge"]),
    )


def _clock(text: str) -> str | None:
    text = text.lower().replace(" ", "")
    if text in ("noon", "midday"):
        return "12:00"
    if text == "midnight":
        return "24:00"
    found = re.match(r"(\d{1,2})(?::(\d{2}))?(a|p)", text)
    if not found:
        return None
    hour, minute = int(found[1]), int(found[2] or 0)
    if hour > 12 or minute > 59:
        return None
    hour = hour % 12 + (12 if found[3] == "p" else 0)
    return f"{hour:02d}:{minute:02d}"


def _time(m: re.Match[str]) -> Reading | None:
    clock = _clock(m["clock"])
    if clock is None:
        return None
    day = (m["day"] or "").lower()
    if not day:
        # "shot at 10 p.m.": the clock time of the day the text was last talking about
        return Reading("time", relative=Relative("reference", "day", clock=clock))
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[day]
    return Reading("time", relative=Relative("anchor", "day", offset=offset, clock=clock))


_DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_VAGUE = {
    "now": "PRESENT_REF",
    "currently": "PRESENT_REF",
    "nowadays": "PRESENT_REF",
    "at present": "PRESENT_REF",
    "at the moment": "PRESENT_REF",
    "these days": "PRESENT_REF",
    "recently": "PAST_REF",
    "lately": "PAST_REF",
    "previously": "PAST_REF",
    "formerly": "PAST_REF",
    "the past": "PAST_REF",
    "current": "PRESENT_REF",
    "in the past": "PAST_REF",
    "soon": "FUTURE_REF",
    "the future": "FUTURE_REF",
    "the near future": "FUTURE_REF",
    "the distant future": "FUTURE_REF",
    "shortly": "FUTURE_REF",
}


def _deictic(m: re.Match[str]) -> Reading | None:
    word = " ".join(m["word"].lower().split())
    if word in _VAGUE:
        return Reading("range", vague=_VAGUE[word])
    if word in ("the day before yesterday", "the day after tomorrow"):
        offset = -2 if "yesterday" in word else 2
        return Reading("date", relative=Relative("anchor", "day", offset=offset))
    if word == "tonight":
        return Reading(
            "time", relative=Relative("anchor", "day", part_of_day="NI"), mod=_edge_mod(m["edge"])
        )
    if word in ("last night", "overnight"):
        offset = -1 if word == "last night" else 0
        return Reading("time", relative=Relative("anchor", "day", offset=offset, part_of_day="NI"))
    parts = word.split()
    if parts[0] == "this" and parts[-1] in PARTS_OF_DAY:
        return Reading(
            "time", relative=Relative("anchor", "day", part_of_day=PARTS_OF_DAY[parts[-1]])
        )
    if parts[0] in _DEICTIC_DAYS:
        part = PARTS_OF_DAY.get(parts[-1]) if len(parts) > 1 else None
        return Reading(
            "time" if part else "date",
            relative=Relative("anchor", "day", offset=_DEICTIC_DAYS[parts[0]], part_of_day=part),
            mod=_edge_mod(m["edge"]),
        )
    return None


_REL_WORDS = {
    "this": ("anchor", 0),
    "last": ("anchor", -1),
    "past": ("anchor", -1),
    "previous": ("anchor", -1),
    "next": ("anchor", 1),
    "coming": ("anchor", 1),
    "current": ("anchor", 0),
    "the current": ("anchor", 0),
    "this past": ("anchor", -1),
    "this coming": ("anchor", 1),
    "the previous": ("reference", -1),
    "the following": ("reference", 1),
    "the next": ("reference", 1),
    "that": ("reference", 0),
    "the same": ("reference", 0),
    "that same": ("reference", 0),
    "the prior": ("reference", -1),
    "the preceding": ("reference", -1),
}


def _relative_unit(m: re.Match[str]) -> Reading | None:
    rel = " ".join(m["rel"].lower().split())
    unit = m["unit"].lower()
    if rel in ("the past", "the last"):
        return (
            Reading("duration", duration=duration_value(1.0, unit)) if unit in UNIT_CODES else None
        )
    base, offset = _REL_WORDS[rel]
    if unit in PARTS_OF_DAY:
        if base == "reference":
            return Reading(
                "time",
                relative=Relative(base, "day", offset=offset, part_of_day=PARTS_OF_DAY[unit]),
            )
        return None
    if unit == "weekend":
        return Reading(
            "date", relative=Relative(base, "weekend", offset=offset), mod=_edge_mod(m["edge"])
        )
    return Reading("date", relative=Relative(base, unit, offset=offset), mod=_edge_mod(m["edge"]))


def _ago(m: re.Match[str]) -> Reading | None:
    unit = unit_name(m["unit"])
    if unit == "fortnight":
        unit = "week"
    amount = number_value(m["amount"])
    direction = m["dir"].lower()
    sign = 1 if direction in ("later", "after", "from now", "hence", "on") else -1
    base = "anchor" if direction in ("ago", "from now", "hence") else "reference"
    mod = modifier_of(m["mod"])
    if amount is None or amount != int(amount):
        # "a few years ago": a stretch of the past with no calendar value to give.
        return Reading("range", vague="PAST_REF" if sign < 0 else "FUTURE_REF", mod=mod)
    return Reading(
        "date",
        relative=Relative(base, unit, offset=sign * int(amount), keep_precision=True),
        mod=mod,
    )


def _duration(m: re.Match[str]) -> Reading | None:
    unit = unit_name(m["unit"])
    amount = number_value(m["amount"]) if m["amount"] else None
    if m["amount"] and m["amount"].lower() in ("a", "an"):
        if unit == "second":
            return None  # "a second betrayal"
        if _is_rate(m):
            return None  # "$2 million a year", "24 hours a day": a rate, not a stretch of time
    return Reading(
        "duration", duration=duration_value(amount, unit), mod=modifier_of(m.groupdict().get("mod"))
    )


def _is_rate(m: re.Match[str]) -> bool:
    before = m.string[max(0, m.start() - 20) : m.start()].split()
    if not before:
        return False
    word = before[-1].lower().strip(",")
    return (
        any(c.isdigit() for c in word)
        or word in _RATE_WORDS
        or (word.endswith("s") and len(word) > 3 and word not in _NOT_RATE_WORDS)
    )


_RATE_WORDS = {"million", "billion", "thousand", "hundred", "percent", "once", "twice"}
_NOT_RATE_WORDS = {"was", "has", "is", "this", "its", "as", "less", "across", "towards", "perhaps"}


def _bare_duration(m: re.Match[str]) -> Reading | None:
    unit = unit_name(m["unit"])
    return Reading("duration", duration=duration_value(None, unit))


def _set(m: re.Match[str]) -> Reading | None:
    word = " ".join(m[0].lower().split())
    adverbs = {
        "daily": "P1D",
        "weekly": "P1W",
        "monthly": "P1M",
        "annually": "P1Y",
        "yearly": "P1Y",
        "hourly": "PT1H",
        "quarterly": "P1Q",
        "nightly": "P1D",
        "biweekly": "P2W",
    }
    if word in adverbs:
        return Reading("set", duration=adverbs[word])
    unit = unit_name(m["unit"])
    amount = number_value(m["amount"]) if m["amount"] else 1.0
    return Reading("set", duration=duration_value(amount, unit))


def _holiday(m: re.Match[str]) -> Reading | None:
    name = " ".join(m["name"].lower().replace("'s", "").split())
    offset = {"last": -1, "next": 1}.get((m["rel"] or "").lower(), 0)
    if offset:
        return Reading("date", relative=Relative("anchor", "day", holiday=name, offset=offset))
    if m["year"]:
        return Reading(
            "date",
            relative=Relative("anchor", "day", holiday=name, year_offset=int(m["year"]), offset=0),
        )
    return Reading("date", relative=Relative("anchor", "day", holiday=name, tense_decides=True))


def _fiscal_year(m: re.Match[str]) -> Reading | None:
    if m["ending"]:
        return Reading("date", relative=Relative("anchor", "year"), mod="END")
    words = m["which"].lower().split()
    if (
        "fiscal" not in words
        and "calendar" not in words
        and "full" not in words
        and "end" not in m["which"]
    ):
        return None  # plain "the year" is as often a duration as a date
    offset = (
        -1
        if {"latest", "previous", "prior", "last"} & set(words)
        else 1
        if {"next", "coming"} & set(words)
        else 0
    )
    return Reading(
        "date",
        relative=Relative("anchor", "year", offset=offset),
        mod="END" if "end" in m["which"] else None,
    )


def _edge_mod(word: str | None) -> str | None:
    if not word:
        return None
    word = word.lower().strip(" -")
    if word.startswith(("early", "the beginning", "the start")):
        return "START"
    if word.startswith(("late", "the end")):
        return "END"
    if word.startswith(("mid", "the middle")):
        return "MID"
    return None


# -- the rules, most specific first (overlaps keep the longest match) -----------------------


def _compile(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags | re.VERBOSE)


_B = r"(?<![\w$#])"  # start of a word, not a price or a number sign
_E = r"(?![\w/])"  # end of a word

RULES: tuple[Rule, ...] = (
    Rule("iso", _compile(rf"{_B}(?P<y>{YEAR})-(?P<m>\d\d)-(?P<d>\d\d){_E}"), _iso),
    Rule(
        "numeric",
        _compile(rf"{_B}(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<y>\d{{4}}|\d\d){_E}"),
        _numeric,
    ),
    Rule(
        "numeric-date",
        _compile(
            r"(?<![\w$#./-])(?:\d{4}[./]\d{1,2}[./]\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}|"
            r"\d{1,2}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{4})(?![\w/-]|\.\d)"
        ),
        _numeric_date,
    ),
    Rule(
        "month-day",
        _compile(
            rf"{_B}(?:(?P<clock>{CLOCK}){ZONE}?,?\s)?(?:{WEEKDAY},?\s)?(?P<month>{MONTH})\s?(?P<day>{DAY})(?!\d|,\d)"
            rf"(?:,?\s(?P<year>{ANY_YEAR}))?{_E}"
        ),
        _month_day,
    ),
    Rule(
        "day-month",
        _compile(
            rf"{_B}(?:(?:the\s)?(?P<day>{DAY})\s(?:of\s)?)(?P<month>{MONTH})(?:,?\s(?P<year>{ANY_YEAR}))?{_E}"
        ),
        _month_day,
    ),
    Rule(
        "month-year",
        _compile(
            rf"{_B}(?P<month>{MONTH}),?\s(?:of\s)?(?:(?P<year>{ANY_YEAR})|(?P<rel>this|last|next)\syear){_E}"
        ),
        _month_year,
    ),
    Rule(
        "month",
        _compile(
            rf"{_B}(?P<edge>{EDGE})?(?:(?P<rel>last|next|this)\s)?(?P<month>{MONTH}){_E}(?!\.?\s?\d)"
        ),
        _month,
    ),
    Rule(
        "quarter",
        _compile(
            r"""(?<![\w$#])(?:(?:the|this|last|next)\s(?!\w+-quarter))?
            (?:(?P<ryear>this|last|next)\syear's\s|(?P<year2>(?:19|20)\d\d)\s)?
            (?:(?P<prefix>fiscal|calendar|latest|most\srecent|year-earlier|year-ago|year\searlier|current|this|last|
               next|coming|previous|same|comparable|recent)[\s-])?
            (?:(?:fiscal|calendar)\s)?(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last|latter|final)[\s-])?
            (?:(?:fiscal|calendar)\s)?
            (?P<unit>quarter|half)(?!s)(?:\s(?:of|in)\s(?:fiscal\s)?(?P<year>(?:19|20)\d\d))?(?![\w-])"""
        ),
        _quarter,
    ),
    Rule(
        "season",
        _compile(
            rf"{_B}(?P<edge>{EDGE})?(?:(?P<rel>last|this\spast|this|next|past|coming|the)\s)?"
            r"(?P<edge2>(?:early|late|mid)[- ]?)?"
            rf"(?P<season>{SEASON})(?:\s(?:of\s)?(?P<year>{ANY_YEAR}))?{_E}"
        ),
        _season,
    ),
    Rule(
        "time",
        _compile(
            rf"{_B}(?:(?:around|shortly\s(?:before|after)|just\s(?:before|after))\s)?"
            rf"(?P<clock>{CLOCK}){ZONE}?(?:,?\s(?P<day>today|tonight|yesterday|tomorrow))?{_E}"
        ),
        _time,
    ),
    Rule(
        "weekday",
        _compile(
            rf"{_B}(?:(?P<every>every|each)\s)?(?:(?P<clock>{CLOCK}){ZONE}?,?\s)?(?P<edge>(?:early|late)\s)?"
            rf"(?:(?P<rel>last|next|this\spast|this\scoming|this)\s)?(?P<weekday>{WEEKDAY})(?P<plural>s)?"
            rf"(?:\s(?P<part>morning|afternoon|evening|night)s?)?{_E}"
        ),
        _weekday,
    ),
    Rule(
        "holiday",
        _compile(
            r"(?<![\w$#])(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s)?(?P<name>Thanksgiving(?:\sDay)?|Christmas(?:\sDay|\sEve)?|New\sYear's(?:\sDay|\sEve)|"
            r"Election\sDay|Independence\sDay|Labor\sDay|Memorial\sDay|Veterans\sDay|Halloween|"
            r"Valentine's\sDay|Easter(?:\sSunday)?)(?:,?\s(?P<year>(?:19|20)\d\d))?(?!\w)",
            0,
        ),
        _holiday,
    ),
    Rule(
        "deictic",
        _compile(
            rf"{_B}(?P<edge>(?:early|late|earlier|later)\s)?(?P<word>the\sday\sbefore\syesterday|the\sday\safter\stomorrow|"
            r"(?:today|yesterday|tomorrow)(?:\s(?:morning|afternoon|evening|night))?|tonight|this\s(?:morning|afternoon|evening)|"
            r"last\snight|overnight|now|currently|current|nowadays|at\spresent|these\sdays|recently|lately|"
            r"the\s(?:near\s|distant\s)?future|the\spast(?!\s+(?:\d|\w+\s+(?:years|months|weeks|days|decades))))(?![\w-])"
        ),
        _deictic,
    ),
    Rule(
        "ago",
        _compile(
            rf"{_B}(?:(?P<mod>{MODIFIER})\s)?(?P<amount>{AMOUNT})\s(?:more\s)?(?P<unit>{UNIT})\s"
            r"(?P<dir>ago|earlier|later|from\snow|hence|before(?=[.,;:])|after(?=[.,;:]))(?!\w)"
        ),
        _ago,
    ),
    Rule(
        "relative-unit",
        _compile(
            rf"{_B}(?P<edge>(?:early|late|earlier|later|mid)[\s-]|the\s(?:end|beginning|start|middle)\sof\s)?"
            r"(?P<rel>the\spast|the\slast|the\sprevious|the\sfollowing|the\snext|the\sprior|the\spreceding|the\ssame|that\ssame|the\scurrent|"
            r"this\spast|this\scoming|this|last|past|previous|next|coming|current|that)\s"
            r"(?P<unit>year|month|week|weekend|decade|day|morning|afternoon|evening|night)(?![\w-])"
        ),
        _relative_unit,
    ),
    Rule(
        "duration",
        _compile(
            rf"{_B}(?:(?P<mod>{MODIFIER})\s(?!the\s))?(?:the\s(?:(?:past|last|next|first|final|coming|previous|following|other|remaining)\s)?"
            rf"|(?:past|last|next|first|coming|another)\s)?"
            rf"(?P<amount>{AMOUNT})\s(?:more\s|additional\s|full\s|straight\s|consecutive\s)?(?P<unit>{UNIT})(?![\w-])(?!\s(?:old|of\sage))"
        ),
        _duration,
    ),
    Rule(
        "duration-adjective",
        _compile(
            rf"{_B}(?P<amount>\d+|{NUMBER}|several|multi)-(?P<unit>second|minute|hour|day|week|month|year|decade|century)(?:-long)?(?![\w-])(?!-old)"
        ),
        _duration,
    ),
    Rule(
        "bare-duration",
        _compile(
            r"(?<![\w$#])(?:(?<=\bfor\s)|(?<=\bin\s)|(?<=\bwithin\s)|(?<=\bover\s)|(?:recent|coming|the\scoming|the\snext\sfew|the\spast\sfew|the\slast\sfew)\s)"
            r"(?P<unit>years|months|weeks|days|decades|hours|centuries)(?![\w-])"
        ),
        _bare_duration,
    ),
    Rule(
        "set",
        _compile(
            rf"{_B}(?:daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|"
            rf"(?:every|each|per)\s(?:(?P<amount>{NUMBER}|other)\s)?(?P<unit>{UNIT}))(?![\w-])"
        ),
        _set,
    ),
    Rule(
        "decade",
        _compile(
            rf"{_B}(?:the\s)?(?P<edge>(?:early|late|mid)[- ]?)?"
            r"(?:(?P<digits>(?:1[0-9]|20)[0-9]0|'[0-9]0)s|"
            r"the\s(?P<words>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))(?![\w-])"
        ),
        _decade,
    ),
    Rule(
        "century",
        _compile(
            rf"{_B}(?:the\s)?(?:(?P<rel>this|last|next|the\slast|the\snext)|(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|[a-z]+(?:-first)?))[\s-]century(?![\w-])"
        ),
        _century,
    ),
    Rule(
        "fiscal-year",
        _compile(
            r"(?<![\w$#])(?:(?P<which>the\s(?:current\s|latest\s|full\s|previous\s|prior\s|last\s|next\s|coming\s)?(?:fiscal\s|calendar\s)?year(?:'s\send|\send)?)|"
            r"(?P<ending>(?:the\s)?year[-\s]end|the\send\sof\sthe\syear|year's\send))(?![\w-])"
        ),
        _fiscal_year,
    ),
    Rule(
        "year-earlier",
        _compile(
            r"(?<![\w$#])(?:the\s)?(?:year-earlier|year-ago|year\searlier)(?:\s(?:period|quarter))?(?![\w-])"
        ),
        # the quarter compared with, else the year before the publication's
        lambda m: Reading(
            "date", relative=Relative("anchor", "year", offset=-1, keep_precision=True)
        ),
    ),
    Rule(
        "period",
        _compile(r"(?<![\w$#])the\s(?:latest|most\srecent|same)\s(?:period|quarter)(?![\w-])"),
        lambda m: Reading("date", relative=Relative("anchor", "quarter", offset=-1)),
    ),
    Rule(
        "weekend",
        _compile(r"(?<![\w$#])the\sweekend(?![\w-])"),
        lambda m: Reading("date", relative=Relative("anchor", "weekend", tense_decides=True)),
    ),
    Rule(
        "year",
        _compile(
            rf"{_B}(?P<edge>(?:fiscal|calendar|early|late|mid|post|pre)[- ]?|"
            r"the\s(?:end|beginning|start|middle)\sof\s)?"
            rf"(?:the\s(?=\d{{4}}\speriod\b))?(?<!\d[./])(?P<year>{YEAR}|{SPOKEN_YEAR})"
            r"(?:\speriod\b)?(?![\w/]|-(?!\d{4}\b)|,\d|\.\d|\s?%)"
        ),
        _year,
    ),
)


def find_mentions(text: str) -> list[Mention]:
    """Every rule's matches, overlaps resolved: the longest span wins, then the earlier rule."""
    candidates: list[tuple[int, int, int, Rule, re.Match[str]]] = []
    for order, rule in enumerate(RULES):
        for match in rule.pattern.finditer(text):
            candidates.append((match.start(), match.end(), order, rule, match))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken: list[tuple[int, int]] = []
    chosen: list[Mention] = []
    for start, end, _order, rule, match in candidates:
        if any(start < e and s < end for s, e in taken):
            continue
        reading = rule.read(match)
        if reading is None:
            continue
        taken.append((start, end))
        chosen.append(Mention(start, end, rule.name, reading))
    chosen.sort(key=lambda m: m.start)
    return chosen
