"""Passages of a synthetic article: each a sentence or two of text and the facts that quote
it, in English or Chinese, in the shape of the seed mappings (posts and departures with
relative and absolute dates, policies controlling elements, figures with units, ranges and
qualifiers, claims with rebuttals, typed relations)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from kg.synth.world import ELEMENTS, ROLES, Entity, World

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]  # fmt: skip
Fact = dict[str, Any]


@dataclass
class Draft:
    """One article being written: its text, facts, its own entities, and the registry entries
    it mentions."""

    rng: random.Random
    world: World
    doc_id: str
    chinese: bool
    published: date
    outlet: Entity
    registry: dict[str, Entity]
    lines: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)

    def name(self, entity: Entity) -> str:
        """The entity's name in the article's language; it is now in the registry."""
        self.registry[entity.id] = entity
        return entity.zh if self.chinese else entity.en

    def fact(self, subject: str, properties: dict[str, Any], quote: str, **evidence: Any) -> None:
        self.facts.append(
            {
                "id": f"f{len(self.facts) + 1}",
                "subject": subject,
                "properties": properties,
                "evidence": [{"quote": quote, **evidence}],
            }
        )

    def local(self, prefix: str, kind: str, en: str, zh: str) -> str:
        """An entity only this document declares (a claim, a figure); its id."""
        entity_id = f"{prefix}-{self.doc_id}-{len(self.entities) + 1}"
        label = {"en": en, "zh": zh} if self.chinese else {"en": en}
        self.entities.append({"id": entity_id, "kind": kind, "label": label})
        return entity_id

    def new_post(self) -> tuple[Entity, Entity, tuple[str, str, str], str]:
        """A person, an organisation and a role no document has mentioned together yet (so
        that dates of a post never conflict), and the post's id, now in the registry."""
        while True:
            person, firm = self.world.people.draw(self.rng), self.world.firms.draw(self.rng)
            role = self.rng.choice(ROLES)
            post = Entity(
                f"post-{person.id}-{firm.id}-{role[0]}",
                "kg:Post",
                f"{person.en}, {role[1]} of {firm.en}",
                f"{firm.zh}{role[2]}{person.zh}",
            )
            if post.id not in self.registry:
                self.registry[post.id] = post
                return person, firm, role, post.id

    def earlier(self, days: int) -> date:
        return self.published - timedelta(days=self.rng.randrange(1, days))


def _when(draft: Draft) -> tuple[str, Any]:
    """A date as an article gives it, before its publication: (words, mapping value)."""
    day, pub = draft.earlier(300), draft.published
    choice = draft.rng.randrange(5)
    if draft.chinese:
        if choice == 0:
            return "本月", {"said": "本月"}
        if choice == 1:
            return "去年", {"said": "去年"}
        if choice == 2 and day.year == pub.year:
            return f"{day.month}月{day.day}日", {"said": f"{day.month}月{day.day}日"}
        return f"{day.year}年{day.month}月", f"{day.year}-{day.month:02d}"
    if choice == 0:
        return "this month", {"said": "this month"}
    if choice == 1:
        return "last year", {"said": "last year"}
    if choice == 2 and day.year == pub.year:
        return f"in {MONTHS[day.month - 1]}", {"said": f"in {MONTHS[day.month - 1]}"}
    if choice == 3:
        return f"in {MONTHS[day.month - 1]} {day.year}", f"{day.year}-{day.month:02d}"
    return f"on {MONTHS[day.month - 1]} {day.day}, {day.year}", day.isoformat()


def departure(draft: Draft) -> None:
    person, firm, role, post_id = draft.new_post()
    words, when = _when(draft)
    p, f = draft.name(person), draft.name(firm)
    if draft.chinese:
        text = f"{p}{words}辞去{f}{role[2]}职务。"
        reason = {}
    else:
        text = f"{p} resigned as {role[1]} of {f} {words}, citing personal reasons."
        reason = {"kg:departureReason": {"en": "personal reasons"}}
    post = {"org:member": person.id, "org:organization": firm.id, "org:role": f"role:{role[0]}"}
    draft.lines.append(text)
    draft.fact(
        post_id,
        {**post, "kg:endDate": when, "kg:endedHow": "kg:Resigned", **reason},
        text,
    )


def appointment(draft: Draft) -> None:
    person, firm, role, post_id = draft.new_post()
    words, when = _when(draft)
    p, f = draft.name(person), draft.name(firm)
    text = (
        f"{f}{words}任命{p}为{role[2]}。" if draft.chinese else f"{f} appointed {p} as its {role[1]} {words}."
    )
    draft.lines.append(text)
    post = {"org:member": person.id, "org:organization": firm.id, "org:role": f"role:{role[0]}"}
    draft.fact(
        post_id,
        {**post, "kg:startDate": when},
        text,
        stance="officially-stated",
        asserted_by=firm.id,
        via=[draft.outlet.id],
    )


def subsidiary(draft: Draft) -> None:
    firm = draft.world.firms.draw(draft.rng)
    parent = draft.world.parents.get(firm.id)
    if parent is None:
        return relation(draft)
    f, g = draft.name(firm), draft.name(parent)
    text = f"{f}是{g}旗下的子公司。" if draft.chinese else f"{f} is a subsidiary of {g}."
    draft.lines.append(text)
    draft.fact(firm.id, {"org:subOrganizationOf": parent.id}, text)
    return None


def policy(draft: Draft) -> None:
    chosen = draft.world.policies.draw(draft.rng)
    terms = draft.world.policy_terms[chosen.id]
    if terms.announced >= draft.published:
        return relation(draft)
    b, name, day = draft.name(terms.body), draft.name(chosen), terms.announced
    if draft.chinese:
        elements = "、".join(e[2] for e in terms.elements)
        text = f"{b}于{day.year}年{day.month}月{day.day}日发布{name},对{elements}实施出口管制。"
    else:
        names = [e[1] for e in terms.elements]
        elements = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        when = f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
        text = f"The {b} announced {name} on {when}, placing export controls on {elements}."
    draft.lines.append(text)
    draft.fact(
        chosen.id,
        {
            "kg:issuedBy": terms.body.id,
            "kg:announcedOn": day.isoformat(),
            "kg:controls": [f"element:{e[0]}" for e in terms.elements],
        },
        text,
    )
    return None


def revenue(draft: Draft) -> None:
    firm = draft.world.firms.draw(draft.rng)
    f = draft.name(firm)
    amount = draft.rng.randrange(11, 990) / 10
    year = draft.published.year - 1
    first_half = draft.published.month >= 8 and draft.rng.random() < 0.5
    period: Any = {"said": f"the first half of {year + 1}"} if first_half else str(year)
    label = f"Revenue of {firm.en}, {'first half of ' + str(year + 1) if first_half else year}"
    if draft.chinese:
        span = f"{year + 1}年上半年" if first_half else f"{year}年"
        period = {"said": span} if first_half else str(year)
        text = f"{f}{span}营业收入为{amount:g}亿元。"
        value = round(amount * 100_000_000)
    else:
        span = f"the first half of {year + 1}" if first_half else str(year)
        text = f"{f} reported revenue of {amount:g} billion yuan for {span}."
        value = round(amount * 1_000_000_000)
    observation = draft.local("obs", "kg:Observation", label, f"{firm.zh}营业收入")
    draft.lines.append(text)
    draft.fact(
        observation,
        {
            "kg:measure": {"en": "revenue"},
            "kg:observedSubject": firm.id,
            "kg:value": str(value),
            "kg:unit": "CNY",
            "kg:period": period,
        },
        text,
        stance="officially-stated",
        asserted_by=firm.id,
        via=[draft.outlet.id],
    )


def market_share(draft: Draft) -> None:
    if draft.chinese:
        return headcount(draft)
    firm = draft.world.firms.draw(draft.rng)
    element = draft.rng.choice(ELEMENTS)
    low = draft.rng.randrange(5, 60)
    high = low + draft.rng.randrange(2, 15)
    measure = f"share of the global {element[1]} market"
    text = f"Analysts estimate that {draft.name(firm)} holds {low}% to {high}% of the {measure[9:]}."
    observation = draft.local("obs", "kg:Observation", f"{firm.en}'s {measure}", "")
    draft.lines.append(text)
    draft.fact(
        observation,
        {
            "kg:measure": {"en": measure},
            "kg:observedSubject": firm.id,
            "kg:lowerBound": str(low),
            "kg:upperBound": str(high),
            "kg:unit": "percent",
        },
        text,
    )
    return None


def headcount(draft: Draft) -> None:
    firm = draft.world.firms.draw(draft.rng)
    count = draft.rng.randrange(50, 5000)
    over = draft.rng.random() < 0.5
    if draft.chinese:
        text = f"{draft.name(firm)}拥有{'超过' if over else '近'}{count}名工程师。"
    else:
        text = f"{draft.name(firm)} employs {'more than' if over else 'nearly'} {count:,} engineers."
    observation = draft.local(
        "obs", "kg:Observation", f"Engineers employed by {firm.en}", f"{firm.zh}工程师人数"
    )
    draft.lines.append(text)
    draft.fact(
        observation,
        {
            "kg:measure": {"en": "engineers employed"},
            "kg:observedSubject": firm.id,
            "kg:value": str(count),
            "kg:unit": "count",
            "kg:valueQualifier": "kg:MoreThan" if over else "kg:Nearly",
        },
        text,
    )


def rumour(draft: Draft) -> None:
    person = draft.world.people.draw(draft.rng)
    firm = draft.world.firms.draw(draft.rng)
    rival = draft.world.firms.draw(draft.rng, avoid=(firm,))
    p, f, r = draft.name(person), draft.name(firm), draft.name(rival)
    if draft.chinese:
        said, denial = f"有传言称{f}的{p}已加入{r}。", f"{f}否认了上述传言,称{p}仍在公司任职。"
    else:
        said = f"Rumours say {p} of {f} has joined {r}."
        denial = f"{f} denied the rumours, saying {p} still works for the company."
    rumoured = draft.local("claim", "kg:Claim", f"{person.en} has joined {rival.en}", f"{p}已加入{r}")
    denied = draft.local("claim", "kg:Claim", f"{person.en} still works for {firm.en}", f"{p}仍在{f}任职")
    draft.lines.append(f"{said} {denial}" if not draft.chinese else said + denial)
    draft.fact(rumoured, {"kg:about": [person.id, rival.id]}, said, stance="rumoured")
    draft.facts.append(
        {
            "id": f"f{len(draft.facts) + 1}",
            "subject": person.id,
            "claim": rumoured,
            "properties": {"kg:worksFor": rival.id},
            "evidence": [{"quote": said, "stance": "rumoured"}],
        }
    )
    official = {"stance": "officially-stated", "asserted_by": firm.id, "via": [draft.outlet.id]}
    draft.fact(denied, {"kg:about": [person.id, firm.id]}, denial, **official)
    draft.fact(denied, {"kg:denies": rumoured}, denial, **official)


def rebuttal(draft: Draft) -> None:
    if draft.chinese:
        return rumour(draft)
    analyst = draft.world.analysts.draw(draft.rng)
    firm = draft.world.firms.draw(draft.rng)
    a, f = draft.name(analyst), draft.name(firm)
    opinion = f"{a}, an independent analyst, believes {f} will double its exports by 2030."
    answer = f"{f} disputed that view, calling it speculative."
    view = draft.local("claim", "kg:Claim", f"{firm.en} will double its exports by 2030", "")
    reply = draft.local(
        "claim", "kg:Claim", f"The forecast that {firm.en} will double its exports is speculative", ""
    )
    draft.lines.append(f"{opinion} {answer}")
    draft.fact(view, {"kg:about": firm.id}, opinion, asserted_by=analyst.id)
    official = {"stance": "officially-stated", "asserted_by": firm.id, "via": [draft.outlet.id]}
    draft.fact(reply, {"kg:about": firm.id}, answer, **official)
    draft.fact(reply, {"kg:disputes": view}, answer, **official)
    return None


RELATIONS = [
    ("kg:partnerOf", "signed a supply partnership with", "与{other}签署了供货合作协议"),
    ("kg:competesWith", "competes with", "与{other}展开竞争"),
    ("kg:recruitedFrom", "recruited engineers from", "从{other}招募了工程师"),
    ("kg:importsFrom", "imports materials from", "从{other}进口原料"),
]


def relation(draft: Draft) -> None:
    firm = draft.world.firms.draw(draft.rng)
    other = draft.world.firms.draw(draft.rng, avoid=(firm,))
    prop, en, zh = draft.rng.choice(RELATIONS)
    f, o = draft.name(firm), draft.name(other)
    text = f"{f}{zh.format(other=o)}。" if draft.chinese else f"{f} {en} {o}."
    draft.lines.append(text)
    draft.fact(firm.id, {prop: other.id}, text)


PASSAGES: list[tuple[Callable[[Draft], None], int]] = [
    (departure, 5), (appointment, 3), (subsidiary, 2), (policy, 2), (revenue, 2), (market_share, 1),
    (headcount, 1), (rumour, 1), (rebuttal, 1), (relation, 3),
]  # fmt: skip
