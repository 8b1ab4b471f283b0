"""Claims that answer one another: a sentence that opens with "However" (or "But", "Yet")
and gives another voice's account than the claim before it disputes that claim. An official
statement that answers a rumour denies it ("Rumours say … However, the group stated …"); an
account given against an official statement contradicts it (kg:contradicts is symmetric and
is kept on the statement)."""

from __future__ import annotations

import re

from kg.review.reading import ArticleContext, Reading

_TURN = re.compile(r"^\W*(?:However|But|Yet|Nevertheless|Still|In contrast)\b|^然而|^但", re.I)
_ACCOUNTS = {"rumoured", "alleged"}  # accounts an official statement answers


def disputed(reading: Reading, context: ArticleContext) -> tuple[str, str] | None:
    """(property, claim) by which this sentence's claim disputes the article's last claim."""
    if context.last_claim is None or not _TURN.search(reading.sentence.text):
        return None
    claim, stance = context.last_claim
    now = reading.voice.stance
    if now in ("officially-stated", "denied") and stance in _ACCOUNTS:
        return "kg:denies", claim
    if now in _ACCOUNTS and stance == "officially-stated":
        return "kg:contradicts", claim
    return None
