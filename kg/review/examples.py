"""Technologies a text names as examples of technologies in common nouns: "technological
measures such as blockchain for document security", "tools like edge computing and AI"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.review.names import Mention

_SUCH_AS = re.compile(
    r"\b(?:technolog(?:y|ies)|technological\s+\w+|tools|techniques)\s+(?:such\s+as|like|including)\s+([^.;:()]+)",
    re.I,
)
_ITEM = re.compile(r"(?![a-z]+ly\b)[a-z][a-z-]+(?: [a-z][a-z-]+){0,2}")  # not an adverb
_BREAK = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
# Words that end an example's name ("blockchain for document security") or are none.
_NOT_NAMES = re.compile(
    r"\b(?:for|to|in|on|with|that|which|as|by|from|of|at|the|a|an|these|those|this|other|others|more|"
    r"many|some|such|its|their|is|are|was|were|be|been)\b.*$"
)


def examples(text: str, found: list[Mention]) -> Iterator[tuple[str, str]]:
    """(name, "kg:Technology") for each example in lower case listed after "technologies such
    as", up to the first word that is not part of a name; known names in the list are skipped."""
    for match in _SUCH_AS.finditer(text):
        start = match.start(1)
        for piece in _BREAK.split(match.group(1)):
            offset = text.index(piece, start)
            start = offset + len(piece)
            if any(m.start == offset for m in found):
                continue  # a known name ("AI systems")
            name = _NOT_NAMES.sub("", piece).strip()
            if not _ITEM.fullmatch(name):
                break  # the list is over
            yield name, "kg:Technology"
