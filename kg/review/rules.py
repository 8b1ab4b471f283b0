"""From a read sentence to proposed facts in the mapping format: posts and departures,
observations, relations, policies, and claims with their stance."""

from __future__ import annotations

import itertools
import re

from kg.review.dates import When
from kg.review.disputes import disputed
from kg.review.elements import elements
from kg.review.events import events, referred
from kg.review.figures import NUMBER_WORDS
from kg.review.links import links
from kg.review.measures import measures
from kg.review.names import Mention
from kg.review.observations import observations
from kg.review.people import people
from kg.review.policies import policies
from kg.review.proposal import Book, Proposed, Value, fact, value_list
from kg.review.reading import ArticleContext, Reading
from kg.review.relations import nationalities, relations, sources
from kg.review.reports import reports

_DEPARTED_NEAR = 25
# Where a sentence joins two clauses, each with a verb of its own.
_CLAUSE_JOIN = re.compile(
    r",\s+(?:but|and|while|whereas)\s+(?=[^,;]*?\b(?:is|are|was|were|has|have|had|says?|said|remains?|"
    r"faces?|facing|warns?|warned|expects?|expected)\b)",
    re.I,
)
_COUNT_BEFORE = re.compile(r"\b(?:\d+|several|many|some|" + "|".join(NUMBER_WORDS) + r")\s+$", re.I)
_REASON = re.compile(r"\b(?:citing|due to|because of|for)\s+[“\"]?((?:[\w’'-]+\s+){0,4}reasons?)\b", re.I)
# Between a person and their role: "A, a researcher at", "A, the president of", "A resigned
# as chief financial officer", "A stepped down as", "A now serves as a", "A, who was".
_HOLDER_BEFORE = re.compile(
    r"^\s*,?\s*(?:(?:who|is|was|has|had|a|an|the|as|now|also|currently|formerly)\s+)*"
    r"(?:[a-z]+(?:\s+(?:down|up|on))?\s+as\s+(?:(?:a|an|the|its|their)\s+)?)?(?:former\s+)?$",
    re.I,
)
# Words by which a sentence gives a view, a prediction or an assessment rather than only a
# fact: a reviewer keeps such a sentence as a claim beside any facts it states.
OPINION = re.compile(
    r"\b(?:may|might|could|would|will|likely|unlikely|expected|potential(?:ly)?|seen as|viewed as|"
    r"regarded as|interpreted|considered|signal(?:s|ing|ed)?|suggest(?:s|ed)?|indicat(?:es|ed|ing)|"
    r"highlight(?:s|ed|ing)?|underscor(?:es|ed|ing)|reflect(?:s|ed|ing)?|represent(?:s|ed|ing)?|"
    r"demonstrat(?:es|ed|ing)|emphasi[sz](?:es|ed|ing)|significant(?:ly)?|critical|crucial|key|vital|"
    r"essential|strategic|dominan(?:t|ce)|leading|aims?|aiming|seeks?|intends?|plans?|"
    r"risks?|threat|challenges?|concerns?)\b|可能|将|预计|认为|意味着|标志着|关键|重要",
    re.I,
)


def propose(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """Every fact the sentence suggests; a claim when nothing else is found, when the
    sentence reports what someone says, believes or rumours, gives a view, or relates two or
    more things (what reviewers keep as a claim beside the facts it states)."""
    facts = [
        *_posts(reading, context, book),
        *observations(reading, book, context),
        *relations(reading, context, book),
        *links(reading, book),
        *nationalities(reading, book),
        *events(reading, context, book),
        *people(reading, book),
        *elements(reading, book),
    ]
    facts += (policies(reading, context, book) or measures(reading, context, book)) + sources(
        reading, context, book
    )
    opinion = reading.voice.asserted_by is not None or reading.voice.stance != "reported"
    related = len({m.known.ref for m in reading.things}) >= 2
    dispute = disputed(reading, context)
    if not facts or opinion or related or dispute or OPINION.search(reading.sentence.text):
        policy = [f.subject for f in facts if f.why == "a policy"]
        claims = _claim(reading, book, referred(reading, context) + policy, dispute)
        if claims:
            context.last_claim = (claims[0].subject, reading.voice.stance)
        facts += claims + reports(reading, context, book, [c.subject for c in claims] + policy)
    return facts


def _posts(reading: Reading, context: ArticleContext, book: Book) -> list[Proposed]:
    """ "Chief Financial Officer Qi Shuyong … resigned in January", "Ming-Shi Shen, a
    researcher at the Taiwan Institute…": a post, and how and when it ended."""
    facts = []
    people = reading.of("kg:Person")
    departures = reading.of("kg:DepartureKind")
    for role in reading.of("kg:Role"):
        holders = _holders(reading, role, people)
        if not holders and departures:
            facts += _unnamed_departure(reading, role, departures, context, book)
        for person in holders:
            organisation = _organisation(reading, role, context)
            key = (person.known.ref, role.known.ref, organisation or "")
            post = book.names.posts.get(key) if organisation else None
            if post is None:
                role_name = book.label(role.known.ref)
                where = f" of {book.label(organisation)}" if organisation else ""
                post = book.entity(
                    f"post-{person.known.ref}-{organisation or 'unknown'}-{role.known.ref.split(':')[1]}",
                    "kg:Post",
                    f"{book.label(person.known.ref)}, {role_name}{where}",
                    "a person next to a role",
                )
                book.names.posts[key] = post
            properties: dict[str, list[Value]] = {
                "org:member": [person.known.ref],
                "org:organization": [organisation] if organisation else [],
                "org:role": [role.known.ref],
            }
            if departed := _departure(reading, role, person, departures):
                properties["kg:endedHow"] = [departed.known.ref]
                properties["kg:endDate"] = value_list(_date_after(reading, person), context)
                if reason := _REASON.search(reading.sentence.text):
                    properties["kg:departureReason"] = [{reading.sentence.language: reason.group(1)}]
            facts.append(
                fact(
                    book,
                    reading,
                    f"{person.known.ref}-{role.known.ref.split(':')[1]}",
                    post,
                    properties,
                    "post",
                )
            )
    return facts


def _unnamed_departure(
    reading: Reading, role: Mention, departures: list[Mention], context: ArticleContext, book: Book
) -> list[Proposed]:
    """ "This month the general manager resigned": a role without a name that leaves, at the
    organisation the sentence (or the article so far) is about, is the post the registry knows
    of that role there, when it knows exactly one."""
    organisation = _organisation(reading, role, context)
    posts = [
        post for (_, r, org), post in book.names.posts.items() if (r, org) == (role.known.ref, organisation)
    ]
    departed = next((d for d in departures if d.start >= role.end), None)
    counted = _COUNT_BEFORE.search(reading.sentence.text[: role.start])
    plural = role.text.lower().endswith("s") and not role.text.lower().endswith("ss")
    if departed is None or plural or counted or len(posts) != 1:
        return []  # "three board members resigned": which of them, the text does not say
    properties: dict[str, list[Value]] = {
        "kg:endedHow": [departed.known.ref],
        "kg:endDate": value_list(next((d for d in reading.dates if d.start >= role.end), None), context),
    }
    if reason := _REASON.search(reading.sentence.text):
        properties["kg:departureReason"] = [{reading.sentence.language: reason.group(1)}]
    return [
        fact(
            book,
            reading,
            f"{posts[0]}-ended",
            posts[0],
            properties,
            "a role that left, known to the registry",
        )
    ]


def _departure(reading: Reading, role: Mention, person: Mention, departures: list[Mention]) -> Mention | None:
    """How a post ended: the departure word right after its holder ("Yan Shengjian stepping
    down"), else the nearest one before the role ("the resignation of … CFO Qi Shuyong")."""
    following = [d for d in departures if 0 <= d.start - person.end <= _DEPARTED_NEAR]
    preceding = [d for d in departures if d.end <= role.start]
    if following:
        return following[0]
    if preceding:
        return preceding[-1]
    return departures[0] if departures else None


def _holders(reading: Reading, role: Mention, people: list[Mention]) -> list[Mention]:
    """People named right after a role ("Independent Directors A, B, and C") or right
    before it ("A, a researcher")."""
    after = sorted((p for p in people if p.start >= role.end), key=lambda p: p.start)
    holders: list[Mention] = []
    cursor: Mention | int = role
    for person in after:
        gap = reading.gap(cursor, person)
        separator = r"^\s*$" if not holders else r"^\s*(?:,|,?\s*and|、|和|及)\s*$"
        if not re.match(separator, gap):
            break
        holders.append(person)
        cursor = person
    if holders:
        return holders
    before = [p for p in people if p.end <= role.start]
    if before and _HOLDER_BEFORE.match(reading.gap(before[-1], role)):
        return [before[-1]]
    return []


def _organisation(reading: Reading, role: Mention, context: ArticleContext) -> str | None:
    orgs = [m for m in reading.of("kg:Organization") if not m.known.isa("kg:NewsOutlet")]
    for org in orgs:
        if org.start >= role.end and re.match(
            r"^\s*(?:\([^)]*\)\W*)?(?:of|at|from|in|with)\s+(?:the\s+)?[“\"]?$", reading.gap(role, org), re.I
        ):
            named = [o for o in orgs if o.start > org.start and re.fullmatch(r"\s*", reading.gap(org, o))]
            return named[0].known.ref if org.how == "anaphor" and named else org.known.ref  # "at its lab"
        if org.end <= role.start and re.match(r"^\s*(?:'s|’s)?\s*$", reading.gap(org, role)):
            return org.known.ref
    if re.search(
        r"\b(?:the|its) (?:company|group|firm)(?:'s|’s)\s*$", reading.sentence.text[: role.start], re.I
    ):
        earlier = [o for o in orgs if o.end <= role.start]
        return earlier[0].known.ref if earlier else context.last_organisation
    if orgs:
        return min(orgs, key=lambda o: abs(o.start - role.start)).known.ref
    return context.last_organisation


def _date_after(reading: Reading, person: Mention) -> When | None:
    return next((d for d in reading.dates if d.start >= person.end), None)


def _claim(
    reading: Reading, book: Book, events: list[str], dispute: tuple[str, str] | None
) -> list[Proposed]:
    """What the sentence says, as a claim about the things it names and the events and
    policies it reports ("The lawsuit is seen as …" is about the lawsuit), and the earlier
    claim it disputes (kg.review.disputes). Clauses joined by ", but" or ", and" that each
    name something and have a verb of their own are a claim each ("magnets have begun to
    flow, but automakers say production remains uncertain")."""
    voice = reading.voice
    text = reading.sentence.text
    named = [m for m in reading.things if not m.known.isa("kg:NewsOutlet")]
    cuts = [0, *(m.start() for m in _CLAUSE_JOIN.finditer(text)), len(text)]
    clauses = [(a, b) for a, b in itertools.pairwise(cuts) if any(a <= m.start < b for m in named)]
    things = named  # in a clause of its own, a speaker is what the clause is about too
    if len(clauses) < 2:
        clauses = [(0, len(text))]
        things = [m for m in reading.things if m.known.ref not in {voice.asserted_by, *voice.via}]
    facts = []
    for n, (start, end) in enumerate(clauses):
        about = [m.known.ref for m in things if start <= m.start < end] + (events if n == 0 else [])
        if not about and not (dispute and n == 0):
            continue
        words = [w for w in re.findall(r"[A-Za-z]+", text[start:end]) if len(w) > 3][:6]
        part = text[start:end].strip(" ,")
        label = part if len(part) <= 160 else part[:157] + "…"
        claim = book.entity(
            "claim-" + ("-".join(words) or f"line-{reading.sentence.line}"),
            "kg:Claim",
            label,
            "what the sentence says",
            part if reading.sentence.language == "zh" else None,
        )
        facts.append(
            fact(book, reading, claim.removeprefix("claim-"), claim, {"kg:about": list(about)}, "a claim")
        )
    if dispute and facts:
        relation, other = dispute
        claim = facts[0].subject
        subject, disputed_claim = (claim, other) if relation == "kg:denies" else (other, claim)
        facts.append(
            fact(
                book, reading, f"{subject}-disputes", subject, {relation: [disputed_claim]}, "claims at odds"
            )
        )
    return [f for f in facts if f.properties]
