"""Names the registry does not know yet, proposed as new entities with a kind: capitalised
English names, Chinese names ending in an organisation suffix (公司, 集团, 研究院…), and
person names next to a role ("Professor Du Ying", "Ming-Shi Shen, a researcher")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.review.dates import MONTHS
from kg.review.elements import ANIONS
from kg.review.examples import examples
from kg.review.names import CAPITALISED, Known, Mention, Names, fold

# The kind an organisation's name suggests, by a word in it (first match wins).
KIND_BY_WORD = [
    ("kg:University", ("University", "College", "大学", "学院")),
    (
        "kg:ResearchInstitute",
        ("Institute", "Laboratory", "Laboratories", "Academy", "研究院", "研究所", "实验室"),
    ),
    ("kg:StockExchange", ("Exchange", "交易所")),
    (
        "kg:NewsOutlet",
        ("Times", "News", "Press", "Journal", "Daily", "Herald", "Tribune", "Wire", "日报", "新闻"),
    ),
    (
        "kg:GovernmentBody",
        (
            "Ministry",
            "Commission",
            "Bureau",
            "Department",
            "Administration",
            "Council",
            "Parliament",
            "Congress",
            "部",
            "委员会",
            "局",
            "署",
        ),
    ),
    ("kg:Association", ("Association", "Federation", "Alliance", "Society", "协会", "联盟", "学会")),
    ("kg:PoliticalParty", ("Party",)),
    ("kg:Fund", ("Fund", "基金")),
    ("kg:Regulation", ("Regulations", "Regulation", "Law", "Act", "条例")),
    ("kg:NationalStrategy", ("Strategy", "Plan", "Initiative", "战略", "规划")),
    ("kg:Agreement", ("Agreement", "Treaty", "Accord", "协议")),
    ("kg:Place", ("Province", "City", "County", "Prefecture", "省", "市")),
    (
        "kg:Firm",
        (
            "Group",
            "Co.",
            "Co",
            "Ltd",
            "Ltd.",
            "Inc",
            "Inc.",
            "Corp",
            "Corp.",
            "Corporation",
            "Company",
            "Holdings",
            "Technologies",
            "Technology",
            "Materials",
            "Motors",
            "Energy",
            "Semiconductor",
            "公司",
            "集团",
        ),
    ),
]
TITLES = ("Professor", "Prof.", "Dr.", "Mr.", "Ms.", "Mrs.", "President", "Minister", "Premier", "Chairman")
_CHINESE_ORGANISATION = re.compile(
    r"[\u4e00-\u9fff]{2,10}?(?:公司|集团|研究院|研究所|大学|委员会|协会|交易所|实验室)"
)
_ORGANISATION_WORDS = [
    word
    for kind, cues in KIND_BY_WORD
    if kind in ("kg:Firm", "kg:StockExchange", "kg:University", "kg:ResearchInstitute", "kg:NewsOutlet")
    for word in cues
    if word.isascii()
]
_AFTER_ORGANISATION = re.compile(
    r"(\b(?:" + "|".join(re.escape(w) for w in _ORGANISATION_WORDS) + r"))\s+(?:on|in)\s+(?:the\s+)?"
)
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:Group|Co\.?|Company|Ltd\.?|Limited|Inc\.?|Corp\.?|Corporation|Holdings|PLC|AG|SE))+\s*$|"
    r"(?:股份有限公司|有限公司|集团|公司)$"
)
# A group named by a common noun: "Chinese rare earth companies", "overseas rare earth
# laboratories", "European suppliers", "foreign institutions".
_GROUP = re.compile(
    r"\b(?:(?:[A-Z][a-z]+(?:an|ese|ish|ch|i)\s+and\s+)?[A-Z][a-z]+(?:an|ese|ish|ch|i)|[Ff]oreign|[Oo]verseas|[Ww]estern|"
    r"[Dd]omestic|[Ll]ocal|[Gg]lobal|[Ss]tate-owned|[Ll]egal|[Ii]ndustry|[Ff]ormer|[Gg]overnment(?:-related)?)"
    r"(?:\s+[a-z][a-z-]+){0,3}?\s+(?:companies|firms|enterprises|suppliers|automakers|carmakers|makers|manufacturers|"
    r"executives|experts|talents|engineers|researchers|staff|personnel|institutions|laboratories|investors|startups|"
    r"authorities|entities|chipmakers|producers|employees|leaders|officials|analysts|insiders)\b"
)
# People who speak as a group without a name: "automakers and suppliers say", "analysts warned".
_PEOPLE_NOUNS = (
    r"(?:automakers|carmakers|suppliers|analysts|investors|executives|experts|officials|insiders|"
    r"manufacturers|producers|traders|economists|observers|buyers|customers|employees|workers)"
)
_SPEAKERS = re.compile(
    rf"\b({_PEOPLE_NOUNS}(?:\s+and\s+(?:their\s+)?{_PEOPLE_NOUNS})?)\s+"
    r"(?:say|said|warn|warned|believe|believed|expect|expected|note|noted|told|argue|argued|fear|feared)\b"
)
# Things named by a common noun: "rare earth purification technology", "dry stripping
# equipment", "cathode materials" (up to four words before the head noun).
_COMMON_THING = re.compile(
    r"(?<=[A-Za-z0-9-] )(technology|technologies|equipment|materials|batteries|metals|minerals|alloys)\b"
)
_THING_WORD = re.compile(r"[a-z][a-z0-9-]*|[0-9]+[a-z]+|[A-Z]{2,5}")  # "3nm", "NMC", not "2024"
_CHINESE_THING = re.compile(r"[\u4e00-\u9fff]{1,8}?(材料|技术|芯片|电池|设备)")
_CHINESE_THING_KINDS = {
    "材料": "kg:Material",
    "技术": "kg:Technology",
    "芯片": "kg:Product",
    "电池": "kg:Product",
    "设备": "kg:Product",
}
_MODEL_NUMBER = re.compile(r"\S \d+[A-Z]*$|\b[A-Z]+\d{2,}[A-Z]*$")
_MODEL = re.compile(r"[A-Z]\d{1,2}")
_MODELS_BEFORE = re.compile(r"\bmodels?\b[^.;]{0,20}$", re.I)
_THING_KINDS = {
    "technology": "kg:Technology",
    "technologies": "kg:Technology",
    "equipment": "kg:Product",
    "materials": "kg:Material",
    "batteries": "kg:Product",
    "metals": "kg:Material",
    "minerals": "kg:Material",
    "alloys": "kg:Material",
}
# fmt: off
_NOT_IN_A_THING = {  # words that end a thing's name, read back from its head noun
    "the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "of",
    "to", "and", "or", "in", "on", "for", "with", "from", "by", "as", "at", "into", "such", "other",
    "more", "most", "all", "any", "some", "key", "core", "new", "advanced", "critical", "relevant",
    "related", "important", "certain", "own", "is", "are", "was", "were", "has", "have", "had", "be",
    "been", "develop", "use", "export", "import", "acquire", "obtain", "steal", "transfer", "leak",
    "prevent", "where", "what", "which", "who", "how", "than", "over", "about", "through", "under",
    "between", "strengthen", "protect", "produce", "make", "build", "provide", "including", "both",
    "either", "off", "up", "out", "various", "several", "many", "few", "efficient", "sells", "makes",
    "produces", "exports", "imports", "uses", "develops", "buys", "acquires", "supplies", "owns",
    "needs", "lacks", "offers", "builds", "controls", "restricts", "bans", "requires", "includes",
    "covers", "provides", "manufactures", "designs", "licenses", "transfers", "protects", "dominates",
    "leads",
}
# fmt: on
# fmt: off
_GENERIC = {  # too general to name a thing alone
    "high", "low", "modern", "latest", "current", "foreign", "domestic", "local", "global",
    "proprietary", "autonomous", "potential", "military", "process", "production", "semiconductor",
    "battery", "chip",
}
# fmt: on
_ANION_AFTER = re.compile(r"\s+(?:" + "|".join(ANIONS) + r")s?\b")
# "a plant in Tromsvik": a name right after "in" is a place, unless one invests or holds shares in it.
_IN_PLACE = re.compile(r"\bin\s+$")
_INTO = re.compile(r"\b(?:invest\w*|stakes?|shares?|interests?|role|roles|listed)\s+in\s+$", re.I)
_REGION = re.compile(r"(?:(?:North|South)(?:east|west)?|East|West)(?:ern)? \S.*|Central \S.*")
_PARTICIPLE = re.compile(r"[A-Z][a-z]+(?:ed|ing)")
_DEMONYM = re.compile(r"[A-Z][a-z]{3,}(?:ean|ian|ese|ish)")
_STOP_CHARS = set("的在是于和与及对向把被从为了将已等让给使也都而并或")
_FUNCTION_WORDS = {"the", "a", "an", "of", "and", "for", "on", "in", "de"}
_NEVER_NAMES = {
    "I",
    "He",
    "She",
    "It",
    "They",
    "We",
    "You",
    "This",
    "These",
    "That",
    "Those",
    "There",
    "Here",
    "However",
    "Meanwhile",
    "Moreover",
    "Additionally",
    "Despite",
    "According",
    "As",
    "In",
    "On",
    "At",
    "For",
    "The",
    "A",
    "An",
    "If",
    "When",
    "While",
    "With",
    "By",
    "From",
    "Following",
    "Regarding",
    "Therefore",
    "Thus",
    "Furthermore",
    "Also",
    "Then",
    "Yet",
    "But",
    "And",
    "Or",
    "So",
    "Still",
    "Instead",
    "Group",
    "Core",
    "Read",
    "Please",
    "Highlights",
    "Leave",
    "Reply",
}
_WORD = r"[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?"
_LISTED_AFTER = re.compile(rf"(?:{_WORD} {_WORD}\s*(?:,|,?\s+and)\s+)+$")
_CAMEL_CASE = re.compile(r"(?:[A-Z][a-z]+)+([A-Z][a-z]+)")
_PERSON_SHAPE = re.compile(rf"^{_WORD}(?: (?:(?:von|van|der|den|de|da|di|du|bin) )*{_WORD}){{1,2}}$")
# Words that only a person is named after ("a student of Ann Berg") or before (", who").
_PERSON_BEFORE = re.compile(
    r"\b(?:student|pupil|disciple|protégé|apprentice|son|daughter|wife|husband|widow|mentor|teacher)\s+of\s+$",
    re.I,
)
# A name someone is known by ("known as the Father of Kilns") is not an entity of its own.
_NICKNAME = re.compile(r"\b(?:known|dubbed|nicknamed|hailed)\s+as\s+(?:the\s+)?[“\"]?([^,.;:“”\"]+)", re.I)


def new_names(
    text: str, found: list[Mention], lowercase_words: set[str], capitalised_inside: set[str]
) -> Iterator[tuple[str, str]]:
    """(name, proposed kind) for every name in `text` that no mention covers, and for
    organisation names that merely contain known names ("China Northern Rare Earth Group").
    A headline in title case ("China Tightens Controls on Rare Earth Talent") gives no
    English names: every word in it is capitalised."""
    latin = not headline(text)
    yield from _compounds(text, found)
    nicknames = [m.span(1) for m in _NICKNAME.finditer(text)]
    named: list[tuple[int, int]] = []  # where the first pass found a name
    for match in CAPITALISED.finditer(text) if latin else ():
        for part in _parts(match.group()):
            name = _trim(part, lowercase_words)
            inside = [m for m in found if match.start() <= m.start and m.end <= match.end()]
            people = [m for m in inside if m.known.isa("kg:Role") or m.known.isa("kg:Person")]
            if people:  # "Chief Executive Officer of the X Association": the name is after "of"
                after = re.search(r"\bof\s+(?:the\s+)?(.+)$", match.group()[people[-1].end - match.start() :])
                if after is None:  # "NU Council President Ann Berg": the name is before the role
                    name = _trim(match.group()[: people[0].start - match.start()], lowercase_words)
                    inside = [m for m in inside if m.end <= people[0].start]
                    if (
                        name
                        and inside
                        and _kind_word(name.split())
                        and all(len(m.text) < len(name) for m in inside)
                    ):
                        offset = text.index(name, match.start())
                        named.append((offset, offset + len(name)))
                        yield name, _kind(name, text[:offset], text[offset + len(name) :], found, offset)
                    continue
                offset = match.start() + people[-1].end - match.start() + after.start(1)
                name = _trim(after.group(1), lowercase_words)
                inside = [m for m in found if offset <= m.start and m.end <= match.end()]
                if name and inside and _kind_word(name.split()):
                    named.append((offset, match.end()))
                    yield name, _kind(name, text[:offset], text[offset + len(name) :], found, offset)
                continue
            if name and inside and _kind_word(name.split()) and all(len(m.text) < len(name) for m in inside):
                offset = text.index(name, match.start())
                if not any(start <= offset < end for start, end in nicknames):
                    yield name, _kind(name, text[:offset], text[offset + len(name) :], found, offset)
            elif name and len(inside) == 1 and _place(inside[0].known) and _REGION.fullmatch(name):
                yield name, "kg:Place"  # "Northern Norway": a region of a country
    for start, end in _uncovered(text, found) if latin else ():
        for match in CAPITALISED.finditer(text[:end], start):
            for part in _parts(match.group()):
                name = _trim(part, lowercase_words)
                if name is None and _MODEL.fullmatch(part) and _MODELS_BEFORE.search(text[: match.start()]):
                    yield part, "kg:Product"  # "its flagship models, the X5 and X7"
                if name is None:
                    continue
                offset = text.index(name, match.start())
                if any(start <= offset < end for start, end in [*named, *nicknames]):
                    continue  # part of a name found whole ("Drone Association" of "Canada Drone Association")
                opening = not text[:offset].strip(" \"“‘'(")
                if opening and " " not in name and not name.isupper() and name not in capitalised_inside:
                    continue  # one capitalised word opening a sentence, and nowhere else: not a name
                yield name, _kind(name, text[:offset], text[offset + len(name) :], found, offset)
    for match in _GROUP.finditer(text):
        if not any(m.start < match.end() and match.start() < m.end and not _adjective(m) for m in found):
            yield match.group(), "kg:Group"
    for match in _SPEAKERS.finditer(text):
        if not any(m.start < match.end(1) and match.start(1) < m.end for m in found):
            yield match.group(1), "kg:Group"
    for match in _COMMON_THING.finditer(text):
        words: list[str] = []  # the content words right before the head noun, nearest last
        for word in reversed(text[: match.start()].split()[-4:]):
            if not _THING_WORD.fullmatch(word) or word in _NOT_IN_A_THING or word.endswith("ly"):
                break
            words.insert(0, word)
        while words and (words[0].endswith("ing") or (words[0].endswith("ed") and "-" not in words[0])):
            words = words[1:]  # "leaking processing technology": the verb is not part of the name
        if not words or (len(words) == 1 and words[0] in _GENERIC):
            continue
        name = " ".join([*words, match.group(1)])
        start = match.end() - len(name)
        if not any(m.start < match.end() and start < m.end and not _adjective(m) for m in found):
            yield name, _THING_KINDS[match.group(1)]
    yield from examples(text, found)
    for match in _CHINESE_ORGANISATION.finditer(text):
        name = match.group()
        cut = max((i for i, ch in enumerate(name) if ch in _STOP_CHARS), default=-1)
        name = name[cut + 1 :]
        if len(name) > 2 and not any(m.start < match.end() and match.start() < m.end for m in found):
            yield name, _kind(name, "", "", found, match.start())
    for match in _CHINESE_THING.finditer(text):  # "负极材料" (anode materials) after the last particle
        cut = max((i for i, ch in enumerate(match.group()) if ch in _STOP_CHARS), default=-1)
        start = match.start() + cut + 1
        if match.end() - start > 2 and not any(m.start < match.end() and start < m.end for m in found):
            yield text[start : match.end()], _CHINESE_THING_KINDS[match.group(1)]


def _compounds(text: str, found: list[Mention]) -> Iterator[tuple[str, str]]:
    """Chemical compounds named by two or more elements, or elements and an anion ("lithium
    iron phosphate", "cobalt oxide"): materials."""
    elements = [m for m in found if m.known.isa("kg:ChemicalElement") and m.text.islower()]
    runs: list[list[Mention]] = []
    for mention in elements:
        if runs and re.fullmatch(r"\s+", text[runs[-1][-1].end : mention.start]):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    for run in runs:
        anion = _ANION_AFTER.match(text, run[-1].end)
        end = anion.end() if anion else run[-1].end
        if len(run) >= 2 or anion:
            yield text[run[0].start : end], "kg:Material"


def acronym_after(name: str, text: str) -> list[str]:
    """The short form a text gives in brackets right after a name: "nickel cobalt oxide
    (NCO)", "National Chip Plan (NCP)"."""
    match = re.search(re.escape(name) + r"\s*\(([A-Z][A-Za-z0-9&.-]{1,9})\)", text)
    return [match.group(1)] if match else []


def _place(known: Known) -> bool:
    return known.isa("kg:Place") or known.isa("kg:Country")


def _adjective(mention: Mention) -> bool:
    """A country's adjective, or a material's or element's name, inside a group's or a
    thing's name ("Norwegian drone makers", "sodium extraction technology")."""
    return (
        mention.known.isa("kg:Country")
        or mention.known.isa("kg:ChemicalElement")
        or mention.known.isa("kg:Material")
        or mention.known.isa("kg:Technology")
    )


def headline(text: str) -> bool:
    """Title case and no full stop: most longer words capitalised, as headlines are written."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    ended = text.rstrip().endswith((".", "。", "!", "?", "”", '"', "…"))
    if ended or not words:
        return False
    if len(re.findall(r"\S+", text)) <= 6 and all(w[0].isupper() for w in words):
        return True  # a section heading: "Core Insights", "Group 3: Competitive Landscape"
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _parts(span: str) -> list[str]:
    """A capitalised run split into names at "and" ("CATL and BYD"), unless "of" or "for" comes
    first ("Central University of Finance and Economics"); after a possessive ("Kestrel's
    Falcon 220X"); and after a name that ends in an organisation's word at "on" or "in" ("Seres
    Group on the Hong Kong Stock Exchange")."""
    first = span.split(" and ")[0]
    parts = [span] if " and " not in span or " of " in first or " for " in first else span.split(" and ")
    parts = [piece for part in parts for piece in re.split(r"['’]s (?=[A-Z])", part)]
    return [piece for part in parts for piece in _AFTER_ORGANISATION.sub(r"\1\n", part).split("\n")]


def short_forms(name: str, names: Names) -> list[str]:
    """A firm's name without its legal or group suffix ("Seres" for "Seres Group", "Yitang"
    for "Yitang Co., Ltd."), which the text uses for it too, unless it names something else."""
    short = _LEGAL_SUFFIX.sub("", name)
    if short == name or len(short) < 3 or fold(short) in names.forms:
        return []
    return [short]


def _uncovered(text: str, found: list[Mention]) -> Iterator[tuple[int, int]]:
    """The stretches of `text` between the mentions already found."""
    cursor = 0
    for mention in sorted(found, key=lambda m: m.start):
        if mention.start > cursor:
            yield cursor, mention.start
        cursor = max(cursor, mention.end)
    if cursor < len(text):
        yield cursor, len(text)


def known(name: str, kind: str, taken: set[str], names: Names) -> Known:
    """A new entity for `name`, with an id no other entity has."""
    base = re.sub(r"[^a-z0-9]+", "-", fold(name).replace("'s", "")).strip("-")[:60].strip("-")
    if not base:
        base = kind.removeprefix("kg:").lower()
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    taken.add(ident)
    return names.new(ident, kind, name)


def _trim(name: str, lowercase_words: set[str]) -> str | None:
    """Leading sentence words and trailing brackets off; None if nothing name-like is left."""
    words = re.sub(r"[-‐]based\b.*$", "", name).replace("(", " ( ").split()  # "Tromsvik-based"
    if "(" in words:
        words = words[: words.index("(")]
    while words and (words[0] in _NEVER_NAMES or words[0].lower() in _FUNCTION_WORDS):
        words = words[1:]
    while len(words) > 2 and _PARTICIPLE.fullmatch(words[0]) and words[1].islower():
        words = words[2:]  # "Established in Ganzhou City"
    while (
        len(words) > 2 and words[-2].lower() in ("in", "on", "of") and words[-1].lower().strip(".,") in MONTHS
    ):
        words = words[:-2]  # "Yang Jie in January"
    while words and words[-1].lower() in _FUNCTION_WORDS:
        words = words[:-1]
    if not words:
        return None
    significant = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    if all(w.lower().strip(".,'’") in MONTHS for w in significant):
        return None
    if all(w.lower().strip(".,'’") in lowercase_words for w in significant) and not _kind_word(words):
        return None  # common words capitalised at the start of a sentence or in a heading
    if len(words) == 1 and words[0].endswith(("'s", "’s")) and words[0][:-2].isupper() and len(words[0]) > 3:
        return words[0][:-2]  # "the NU's", "NATO's": an abbreviation with a possessive is a name
    if len(words) == 1 and (
        len(words[0]) < 3 or words[0].endswith(("'s", "’s")) or _DEMONYM.fullmatch(words[0])
    ):
        return None  # "European businesses": a country's adjective, not a name
    return re.sub(r"['’]s$", "", " ".join(words).rstrip(",.;:"))


def _kind(name: str, before: str, after: str, found: list[Mention], offset: int) -> str:
    if word_kind := _kind_word(name.split()) or _chinese_kind(name):
        return word_kind
    if _MODEL_NUMBER.search(name):
        return "kg:Product"  # "Falcon 220X", "Kestrel KX500": a model number
    roles = [m for m in found if m.known.isa("kg:Role")]
    listed = _LISTED_AFTER.search(before)  # "Independent Directors A B, C D, and E F"
    start = listed.start() if listed else offset
    next_to_role = any(0 <= start - m.end <= 2 or 0 <= m.start - offset - len(name) <= 4 for m in roles)
    titled = before.rstrip().endswith(TITLES)
    if _PERSON_SHAPE.match(name) and (
        next_to_role or titled or _PERSON_BEFORE.search(before) or re.match(r"^,\s+(?:a|an|the|who)\s", after)
    ):
        return "kg:Person"
    right_after_role = any(0 <= offset - m.end <= 2 for m in roles)
    if re.fullmatch(_WORD, name) and (right_after_role or titled):
        return "kg:Person"  # "Norwegian Mayor Haugland": a family name alone after a role
    if (_IN_PLACE.search(before) and not _INTO.search(before)) or re.match(r"[-‐]based\b", after):
        return "kg:Place"
    return "kg:Organization"


def _kind_word(words: list[str]) -> str | None:
    """The kind a word of the name suggests; of a word written in camel case, its last part
    ("TechNews": a news outlet)."""
    words = [*words, *(camel.group(1) for w in words if (camel := _CAMEL_CASE.fullmatch(w)))]
    for kind, cues in KIND_BY_WORD:
        if any(word in cues for word in words):
            return kind
    return None


def _chinese_kind(name: str) -> str | None:
    for kind, cues in KIND_BY_WORD:
        if any(not cue.isascii() and name.endswith(cue) for cue in cues):
            return kind
    return None
