"""The proposer's general rules on small made-up sentences: typed relations, words that refer
back to a firm, countries of firms, views kept as claims, names of new entities, dates in
undated articles, and how the held-back measurement compares dates."""

from __future__ import annotations

import datetime

from kg.review.anaphora import with_anaphora
from kg.review.candidates import _parts, headline, new_names, short_forms
from kg.review.dates import date_value, find_dates
from kg.review.elements import elements
from kg.review.figures import find_figures
from kg.review.groups import with_groups
from kg.review.heldback import _same_value
from kg.review.layout import Sentence
from kg.review.links import links
from kg.review.measures import measures
from kg.review.names import CAPITALISED, Known, Mention, Names
from kg.review.people import people
from kg.review.policies import policies
from kg.review.proposal import Book, Proposed
from kg.review.propose import _cited_outlets, _mentions
from kg.review.reading import ArticleContext, read
from kg.review.relations import nationalities, relations
from kg.review.rules import propose

FIRM = frozenset({"kg:Firm", "kg:Organization"})
ENTITIES = [
    (Known("acme-motors", "kg:Firm", "Acme Motors", FIRM), ["Acme Motors"]),
    (Known("bolt-cars", "kg:Firm", "Bolt Cars", FIRM), ["Bolt Cars"]),
    (Known("corex", "kg:Firm", "Corex", FIRM), ["Corex"]),
    (Known("zeta-lithium", "kg:Material", "zeta lithium", frozenset({"kg:Material"})), ["zeta lithium"]),
    (Known("z1-chip", "kg:Product", "Z1 chip", frozenset({"kg:Product"})), ["Z1 chip"]),
    (Known("country:CA", "kg:Country", "Canada", frozenset({"kg:Country"})), ["Canada", "Canadian"]),
    (Known("country:JP", "kg:Country", "Japan", frozenset({"kg:Country"})), ["Japan", "Japanese"]),
]


def _book() -> Book:
    names = Names()
    for known, forms in ENTITIES:
        names.add(known, forms)
    return Book(names, {known.ref for known, _ in ENTITIES})


def _reading(book: Book, text: str, context: ArticleContext | None = None):  # type: ignore[no-untyped-def]
    sentence = Sentence(0, len(text), 1, text, "en")
    context = context or ArticleContext("1", datetime.date(2025, 6, 30), False)
    return read(sentence, book.names.find(text), context)


def _facts(found: list[Proposed]) -> set[tuple[str, str, str]]:
    return {
        (f.subject, prop, str(value))
        for f in found
        for prop, values in f.properties.items()
        for value in values
    }


def test_typed_relations_by_the_words_between_two_names() -> None:
    book = _book()
    cases = {
        "Acme Motors depends heavily on zeta lithium.": {("acme-motors", "kg:dependsOn", "zeta-lithium")},
        "Acme Motors competes with Bolt Cars in Europe.": {("acme-motors", "kg:competesWith", "bolt-cars")},
        "Acme Motors partnered with Bolt Cars and Corex last year.": {
            ("acme-motors", "kg:partnerOf", "bolt-cars"),
            ("acme-motors", "kg:partnerOf", "corex"),
        },
        "Corex poached twelve engineers from Bolt Cars.": {("corex", "kg:recruitedFrom", "bolt-cars")},
        "The Z1 chip, developed by Acme Motors, is small.": {("z1-chip", "kg:developedBy", "acme-motors")},
        "Bolt Cars's self-developed Z1 chip is small.": {("z1-chip", "kg:developedBy", "bolt-cars")},
    }
    for text, expected in cases.items():
        assert _facts(links(_reading(book, text), book)) == expected, text


def test_a_producer_and_exporter_of_something_produces_and_exports_it() -> None:
    book = _book()
    text = "Canada is the largest producer and exporter of zeta lithium."
    assert _facts(links(_reading(book, text), book)) == {
        ("country:CA", "kg:produces", "zeta-lithium"),
        ("country:CA", "kg:exports", "zeta-lithium"),
    }


def test_no_relation_without_the_words_or_between_the_wrong_kinds() -> None:
    book = _book()
    assert links(_reading(book, "Acme Motors and Bolt Cars reported results."), book) == []
    # zeta lithium is no agent: it competes with nothing
    assert links(_reading(book, "Zeta lithium competes with Bolt Cars."), book) == []


def test_the_company_and_its_refer_to_the_firm_named_last() -> None:
    book = _book()
    context = ArticleContext("1", datetime.date(2025, 6, 30), False)
    _reading(book, "Acme Motors reported its results on Monday.", context)
    reading = _reading(book, "The company depends on zeta lithium.", context)
    assert _facts(links(reading, book)) == {("acme-motors", "kg:dependsOn", "zeta-lithium")}
    text = "Bolt Cars said its profit rose."
    (its,) = [m for m in with_anaphora(text, book.names.find(text), None) if m.how == "anaphor"]
    assert (its.text, its.known.ref) == ("its", "bolt-cars")  # a firm named before it in the sentence
    assert [m.how for m in with_anaphora("The company grew.", [], None)] == []  # nothing to refer to


def test_the_country_refers_to_the_country_named_last() -> None:
    book = _book()
    context = _context()
    _reading(book, "Japan courted Corex last year.", context)
    reading = _reading(book, "The country is now a hub for Bolt Cars.", context)
    assert [m.known.ref for m in reading.mentions if m.how == "anaphor"] == ["country:JP"]
    reading = _reading(book, "Canada said the country of origin matters.", context)
    assert [m.known.ref for m in reading.mentions if m.how == "anaphor"] == []


def test_the_country_of_a_firm_from_its_adjective() -> None:
    book = _book()
    found = _facts(nationalities(_reading(book, "The Canadian carmaker Bolt Cars grew."), book))
    assert found == {("bolt-cars", "kg:country", "country:CA")}
    found = _facts(nationalities(_reading(book, "Corex, a Japanese company, grew."), book))
    assert found == {("corex", "kg:country", "country:JP")}
    assert nationalities(_reading(book, "Corex sells cars in Canada."), book) == []


def test_the_country_of_a_person_by_role_and_of_a_body_in_its_name() -> None:
    book = _book()
    lab = Known("canadian-metals-lab", "kg:ResearchInstitute", "Canadian Metals Lab", FIRM)
    book.names.add(lab, ["Canadian Metals Lab"])
    book.names.add(Known("jean-roy", "kg:Person", "Jean Roy", frozenset({"kg:Person"})), ["Jean Roy"])
    book.names.add(Known("role:Minister", "org:Role", "minister", frozenset({"kg:Role"})), ["Minister"])
    found = _facts(
        nationalities(_reading(book, "Canadian Minister Jean Roy visited the Canadian Metals Lab."), book)
    )
    assert found == {
        ("jean-roy", "kg:country", "country:CA"),
        ("canadian-metals-lab", "kg:country", "country:CA"),
    }
    found = _facts(nationalities(_reading(book, "Jean Roy, a minister, visited Canadian Metals Lab."), book))
    assert found == {("canadian-metals-lab", "kg:country", "country:CA")}  # Jean Roy's is not said


def test_a_view_is_kept_as_a_claim_beside_the_facts() -> None:
    book = _book()
    view = propose(_reading(book, "Acme Motors will likely depend on zeta lithium."), _context(), book)
    assert {f.why for f in view} == {"a relation", "a claim"}
    related = propose(_reading(book, "Acme Motors depends on zeta lithium."), _context(), book)
    assert {f.why for f in related} == {"a relation", "a claim"}  # two things related: kept as a claim too
    fact_only = propose(_reading(book, "Corex reported a net profit of 12 million yuan."), _context(), book)
    assert {f.why for f in fact_only} == {"a figure"}


def _context() -> ArticleContext:
    return ArticleContext("1", datetime.date(2025, 6, 30), False)


def test_names_of_new_entities() -> None:
    assert [m.group() for m in CAPITALISED.finditer("NEXA的战略 and Borla Group")] == ["NEXA", "Borla Group"]
    assert _parts("Borla Group on the Vienna Stock Exchange") == ["Borla Group", "Vienna Stock Exchange"]
    assert _parts("Commission on Trade") == ["Commission on Trade"]
    assert _parts("Nordic Institute for Energy and Climate Studies") == [
        "Nordic Institute for Energy and Climate Studies"
    ]
    names = Names()
    assert short_forms("Borla Group", names) == ["Borla"]
    assert short_forms("Kestrel Co., Ltd.", names) == ["Kestrel"]
    names.add(Known("borla", "kg:Place", "Borla"), ["Borla"])
    assert short_forms("Borla Group", names) == []  # "Borla" names something else


def test_names_past_an_opening_participle_a_possessive_acronym_and_a_role() -> None:
    def names(text: str, found: list[Mention] | None = None) -> list[tuple[str, str]]:
        return list(new_names(text, found or [], set(), set()))

    assert [n for n, _ in names("Founded in Borla City in 2001, the firm grew.")] == ["Borla City"]
    assert [n for n, _ in names("The NVA's plan failed.")] == ["NVA"]
    assert names("It hurt Norwegian buyers.") == []  # an adjective of a country, not a name
    book = _book()
    book.names.add(
        Known("role:CEO", "org:Role", "chief executive", frozenset({"kg:Role"})), ["Chief Executive"]
    )
    text = "Ann Berg, Chief Executive of the Canada Drone Association, spoke."
    found = book.names.find(text)
    assert names(text, found) == [("Canada Drone Association", "kg:Association"), ("Ann Berg", "kg:Person")]


def test_a_family_name_after_a_role_is_a_person_and_a_name_after_in_a_place() -> None:
    book = _book()
    book.names.add(Known("role:mayor", "org:Role", "mayor", frozenset({"kg:Role"})), ["Mayor"])
    text = "Norwegian Mayor Haugland opened a plant in Tromsvik, and Corex bought shares in Lindqvist."
    kinds = dict(new_names(text, book.names.find(text), set(), set()))
    assert kinds == {"Haugland": "kg:Person", "Tromsvik": "kg:Place", "Lindqvist": "kg:Organization"}


def test_an_unnamed_entry_is_found_by_what_its_label_calls_it() -> None:
    names = Names()
    lab = Known("nordic-lab", "kg:ResearchInstitute", "unnamed Nordic drone laboratory")
    names.add(lab, ["unnamed Nordic drone laboratory"])
    assert [m.known.ref for m in names.find("He joined a Nordic drone laboratory in May.")] == ["nordic-lab"]


def test_a_region_of_a_country_is_a_place_in_that_country() -> None:
    book = _book()
    text = "Corex opened two plants in Northern Canada last year."
    sentence = Sentence(0, len(text), 1, text, "en")
    mentions = _mentions(sentence, book, set(), set())
    region = next(m for m in mentions if m.text == "Northern Canada")
    assert region.known.kind == "kg:Place"
    found = _facts(relations(read(sentence, mentions, _context()), _context(), book))
    assert (region.known.ref, "kg:locatedIn", "country:CA") in found


def test_a_two_letter_abbreviation_its_body_before_a_role_and_what_it_issues() -> None:
    assert [n for n, _ in new_names("The NU's plan failed.", [], set(), set())] == ["NU"]
    book = _book()
    book.names.add(Known("nu", "kg:Organization", "NU", FIRM), ["NU"])
    book.names.add(Known("role:president", "org:Role", "president", frozenset({"kg:Role"})), ["President"])
    text = "NU Council President Ann Berg spoke."
    assert ("NU Council", "kg:GovernmentBody") in list(new_names(text, book.names.find(text), set(), set()))
    text = "The NU issued an ultimatum to Corex."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert ("nu-ultimatum", "kg:issuedBy", "nu") in found


def test_who_is_based_in_a_place_named_before_based() -> None:
    book = _book()
    context = _context()

    def based(text: str) -> set[tuple[str, str, str]]:
        sentence = Sentence(0, len(text), 1, text, "en")
        mentions = _mentions(sentence, book, set(), set())
        return {
            f
            for f in _facts(relations(read(sentence, mentions, context), context, book))
            if f[1] == "kg:basedIn"
        }

    assert based("Corex, a Tromsvik-based firm, grew.") == {("corex", "kg:basedIn", "tromsvik")}
    assert based("Tromsvik-based Bolt Cars grew.") == {("bolt-cars", "kg:basedIn", "tromsvik")}
    assert based("Staff came from Corex and the Tromsvik-based state-owned enterprise.") == {
        ("corex", "kg:basedIn", "tromsvik")  # the firm the article is about so far
    }
    assert based("Bolt Cars met Tromsvik-based officials.") == set()


def test_what_its_owner_owns() -> None:
    book = _book()
    context = _context()

    def parents(text: str) -> set[tuple[str, str, str]]:
        found = _facts(relations(_reading(book, text, context), context, book))
        return {f for f in found if f[1] == "org:subOrganizationOf"}

    assert parents("Corex sued Bolt Cars after its subsidiary, Acme Motors, lost staff.") == {
        ("acme-motors", "org:subOrganizationOf", "bolt-cars")
    }
    assert parents("Acme Motors, a subsidiary of Corex, grew.") == {
        ("acme-motors", "org:subOrganizationOf", "corex")
    }


def test_relative_dates_are_left_out_of_an_undated_article() -> None:
    this_month, june = find_dates("this month and June 28")
    assert date_value(this_month) == {"said": "this month"}
    assert date_value(this_month, dated=False) is None  # nothing to place it on
    assert date_value(june, dated=False) == {"said": "June 28"}  # stays without a year


def test_held_back_dates_in_words_and_in_edtf_are_the_same_value() -> None:
    assert _same_value("@said April 17, 2025", "2025-04-17")
    assert _same_value("2019/2022", "@said between 2019 and 2022")
    assert _same_value("@said June 28", "XXXX-06-28")
    assert not _same_value("@said April 2025", "2025-04-17")  # less precise: not the same days
    assert not _same_value("@said this year", "2025")  # relative words are placed by the build only


def test_events_with_their_roles_and_what_refers_back_to_them() -> None:
    book = _book()
    context = _context()
    book.names.add(Known("jo-park", "kg:Person", "Jo Park", frozenset({"kg:Person"})), ["Jo Park"])
    sued = propose(
        _reading(book, "Corex sued Bolt Cars for 5 million yuan on March 3, 2025.", context), context, book
    )
    assert {
        ("lawsuit-corex", "kg:plaintiff", "corex"),
        ("lawsuit-corex", "kg:defendant", "bolt-cars"),
        ("lawsuit-corex", "kg:amountClaimed", "5000000"),
        ("lawsuit-corex", "kg:unit", "CNY"),
        ("lawsuit-corex", "kg:date", "{'said': 'March 3, 2025'}"),
    } <= _facts(sued)
    assert book.entities["lawsuit-corex"].known.kind == "kg:Lawsuit"
    lecture = (
        "Acme Motors held a lecture on May 2, 2025, delivered by Professor Jo Park, focused on patent pools."
    )
    assert {
        ("lecture-acme-motors", "kg:host", "acme-motors"),
        ("lecture-acme-motors", "kg:speaker", "jo-park"),
        ("lecture-acme-motors", "kg:topic", "{'en': 'patent pools'}"),
    } <= _facts(propose(_reading(book, lecture, context), context, book))
    later = "The lecture covered rights of inventors."
    assert ("lecture-acme-motors", "kg:topic", "{'en': 'rights of inventors'}") in _facts(
        propose(_reading(book, later, context), context, book)
    )
    jailed = propose(_reading(book, "In 2023, Jo Park was sentenced to 11 years.", context), context, book)
    assert {
        ("conviction-jo-park", "kg:convictedPerson", "jo-park"),
        ("conviction-jo-park", "kg:sentence", "P11Y"),
        ("conviction-jo-park", "kg:date", "{'said': '2023'}"),
    } <= _facts(jailed)
    worded = propose(_reading(book, "In 2023, Jo Park was sentenced to Three years.", context), context, book)
    assert ("conviction-jo-park", "kg:sentence", "P3Y") in _facts(worded)  # a number in words, any case
    partners = (
        "Corex signed a strategic cooperation agreement with Bolt Cars on the Z1 chip to build a cloud."
    )
    assert {
        ("partnership-corex", "kg:party", "corex"),
        ("partnership-corex", "kg:party", "bolt-cars"),
        ("partnership-corex", "kg:concerns", "z1-chip"),
        ("partnership-corex", "kg:purpose", "{'en': 'build a cloud'}"),
    } <= _facts(propose(_reading(book, partners, context), context, book))
    assert book.entities["partnership-corex"].known.kind == "kg:Partnership"


def test_figures_with_ranges_currencies_and_rates() -> None:
    def read_figures(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
        return [(f.value, f.upper, f.unit, f.qualifier) for f in find_figures(text)]

    assert read_figures("Borla holds 40% to 45% of the market.") == [("40", "45", "percent", None)]
    assert read_figures("Each unit sold between $1,200 and $1,500.") == [("1200", "1500", "USD", None)]
    assert read_figures("A loss of 2-3 billion Malaysian Ringgit.") == [
        ("2000000000", "3000000000", "MYR", None)
    ]
    assert read_figures("They pledged RM12 billion and several million euros.") == [
        ("12000000000", None, "MYR", None),
        ("1000000", None, "EUR", "kg:Several"),
    ]
    assert read_figures("Sales grew at a CAGR of 12.5%.") == [("12.5", None, "percent/year", None)]
    assert read_figures("Costs fell to one-third of Bolt's, a quarter of 2023 ones.") == [
        ("33.3", None, "percent", "kg:Approximately")  # "a quarter of 2023" is a period
    ]
    assert read_figures("Two fifths of staff left.") == [("40", None, "percent", None)]
    # a change from one value to another is not a range
    assert read_figures("up from 20% in 2019 to 31% in 2024") == [
        ("20", None, "percent", None),
        ("31", None, "percent", None),
    ]


def test_counts_of_anything_named_by_a_plural_noun() -> None:
    def counts(text: str) -> list[tuple[str, str | None, str | None]]:
        return [(f.value, f.qualifier, f.noun) for f in find_figures(text) if f.unit == "count"]

    assert counts("The fund will hire 12,000 skilled welders.") == [("12000", None, "welders")]
    assert counts("Borla plans to ship one million EVs.") == [("1000000", None, "evs")]
    assert counts("It backs at least 8 small wind and solar (PV) component makers, each") == [
        ("8", "kg:AtLeast", "makers")
    ]
    assert counts("after three straight years of losses") == [("3", None, "years")]
    assert counts("Nine staff left.") == [("9", None, "staff")]
    # a duration, and a number that counts nothing, are no counts
    assert counts("The firm was fined within 48 hours and paid in two years.") == []
    assert counts("One of the firms said so.") == []


def test_registry_groups_named_in_other_words_and_what_a_directive_controls() -> None:
    book = _book()
    group = frozenset({"kg:Group"})
    book.names.add(Known("drone-staff", "kg:Group", "engineers and pilots of Nordic drone firms", group), [])
    book.names.add(Known("drone-firms", "kg:Group", "Nordic drone firms", group), [])
    book.names.add(
        Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway", "Nordic"]
    )
    text = "Norway instructed drone companies to submit lists of skilled drone experts."
    found = with_groups(text, book.names.find(text), book.names)
    assert [(m.text, m.known.ref) for m in found if m.how == "group"] == [
        ("drone companies", "drone-firms"),
        ("drone experts", "drone-staff"),  # "skilled" is not in its label
    ]
    assert with_groups("Nordic talents left.", book.names.find("Nordic talents left."), book.names)[
        0
    ].known.ref == ("drone-staff")
    context = _context()
    facts = _facts(policies(read(Sentence(0, len(text), 1, text, "en"), found, context), context, book))
    assert ("norway-directive", "kg:controls", "drone-staff") in facts  # people are controlled
    assert ("norway-directive", "kg:targets", "drone-firms") in facts


def test_a_directive_with_what_it_requires_and_what_for() -> None:
    book = _book()
    book.names.add(
        Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway", "Norwegian"]
    )
    text = "Norway instructed Corex to register all drones, aiming to prevent smuggling across borders."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert {
        ("norway-directive", "kg:issuedBy", "country:NO"),
        ("norway-directive", "kg:requires", "{'en': 'register all drones'}"),
        ("norway-directive", "kg:purpose", "{'en': 'prevent smuggling across borders'}"),
    } <= found


def test_a_second_demand_is_a_second_directive_and_a_passive_demand_a_directive() -> None:
    book = _book()
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    text = "Norway demanded that Corex list its pilots, with some pilots required to hand in their licences."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert {
        ("norway-directive", "kg:requires", "{'en': 'Corex list its pilots'}"),
        ("norway-directive-2", "kg:issuedBy", "country:NO"),
        ("norway-directive-2", "kg:requires", "{'en': 'hand in their licences'}"),
    } <= found
    text = "Drone firms have been told to register every drone to prevent smuggling."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert ("directive", "kg:purpose", "{'en': 'prevent smuggling'}") in found


def test_the_policy_a_sentence_refers_back_to() -> None:
    book = _book()
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    context = _context()
    first = _facts(
        propose(_reading(book, "Norway imposed export controls on zeta lithium.", context), context, book)
    )
    assert ("norway-export-control", "kg:controls", "zeta-lithium") in first
    later = _facts(
        propose(_reading(book, "The export control also covers the Z1 chip.", context), context, book)
    )
    assert ("norway-export-control", "kg:controls", "z1-chip") in later


def test_an_agreement_with_its_parties_and_purpose() -> None:
    book = _book()
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    text = "Norway said it had reached a deal with Canada to speed up drone exports."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert {
        ("norway-agreement", "kg:party", "country:NO"),
        ("norway-agreement", "kg:party", "country:CA"),
        ("norway-agreement", "kg:purpose", "{'en': 'speed up drone exports'}"),
    } <= found
    propose(_reading(book, "Corex signed a cooperation agreement with Bolt Cars."), _context(), book)
    assert [e.known.kind for e in book.entities.values()].count("kg:Agreement") == 1  # a partnership


def test_whom_a_policy_is_aimed_at() -> None:
    book = _book()
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    found = _facts(
        propose(_reading(book, "Norway issued an ultimatum to Corex over its drones."), _context(), book)
    )
    assert ("norway-ultimatum", "kg:targets", "corex") in found
    found = _facts(propose(_reading(book, "Norway, citing Corex, issued an ultimatum."), _context(), book))
    assert not any(p == "kg:targets" for _, p, _ in found)


def test_the_report_an_outlet_relays() -> None:
    book = _book()
    outlet = frozenset({"kg:NewsOutlet", "kg:Organization"})
    book.names.add(Known("daily-wire", "kg:NewsOutlet", "Daily Wire", outlet), ["Daily Wire"])
    book.names.add(Known("metro-post", "kg:NewsOutlet", "Metro Post", outlet), ["Metro Post"])
    text = "According to a report from Daily Wire, citing Metro Post, Corex may leave Canada."
    found = propose(_reading(book, text), _context(), book)
    (claim,) = [f.subject for f in found if f.why == "a claim"]
    assert {
        ("report-daily-wire-1", "kg:publishedBy", "daily-wire"),
        ("report-daily-wire-1", "kg:citedSource", "metro-post"),
        ("report-daily-wire-1", "kg:reports", claim),
    } <= _facts(found)


def test_a_dated_report_cited_by_an_outlet_reports_the_policy() -> None:
    book = _book()
    outlet = frozenset({"kg:NewsOutlet", "kg:Organization"})
    book.names.add(Known("metro-post", "kg:NewsOutlet", "Metro Post", outlet), ["Metro Post"])
    text = "According to an insider report cited by the Canadian Metro Post on May 3, Canada mandated that Corex register."
    reading = _reading(book, text)
    assert reading.voice.asserted_by == "metro-post"  # "Canadian" describes the outlet
    found = _facts(propose(reading, _context(), book))
    assert {
        ("report-metro-post-1", "kg:date", "{'said': 'May 3'}"),
        ("report-metro-post-1", "kg:reports", "canada-directive"),
    } <= found


def test_the_sources_an_article_lists_are_outlets() -> None:
    book = _book()
    book.names.parents["kg:NewsOutlet"] = {"kg:Organization"}
    _cited_outlets(
        "Nordpress says Corex grew.\nThis article cites information from Nordpress and Bolt Cars.", book
    )
    assert [(e.known.label, e.known.kind) for e in book.entities.values()] == [("Nordpress", "kg:NewsOutlet")]
    context = _context()
    found = _facts(propose(_reading(book, "As Nordpress indicates, Corex may grow.", context), context, book))
    assert ("report-nordpress-1", "kg:publishedBy", "nordpress") in found


def test_names_with_particles_are_people_next_to_a_role() -> None:
    text = "Agency President Anna van der Berg spoke."
    start = text.index("President")
    role = Known("role:president", "kg:Role", "president", frozenset({"kg:Role"}))
    found = [Mention(start, start + len("President"), "President", role)]
    assert ("Anna van der Berg", "kg:Person") in list(new_names(text, found, set(), set()))


def test_a_title_case_headline_gives_no_new_english_names() -> None:
    assert headline("Norway Reportedly Tightens Rules on Drone Exports to Curb Smuggling")
    assert not headline("Norway Reportedly Tightens Rules on Drone Exports to Curb Smuggling.")
    assert not headline("Norway tightened its rules on drone exports")
    assert list(new_names("Norway Reportedly Tightens Rules on Drone Exports", [], set(), set())) == []
    assert headline("Group 2: Market Outlook") and headline("Core Insights")  # section headings


def test_what_a_figure_measures_in_the_texts_words() -> None:
    book = _book()
    text = "Corex reported a net profit of 12 million yuan; its gross margin rose from 7.5% in 2023 to 9.1% in 2024."
    found = propose(_reading(book, text), _context(), book)
    measures = {str(v) for f in found for v in f.properties.get("kg:measure", [])}
    assert measures == {"{'en': 'net profit'}", "{'en': 'gross margin'}"}
    observed = {
        (str(f.properties["kg:value"][0]), str(f.properties["kg:observedSubject"][0]))
        for f in found
        if "kg:value" in f.properties
    }
    assert observed == {("12000000", "corex"), ("7.5", "corex"), ("9.1", "corex")}  # "its" is Corex


def test_a_figure_is_of_a_name_before_an_and_and_for_the_nearest_year() -> None:
    book = _book()
    text = (
        "Sales of Corex vans and trucks made up 40% of sales, lifting margins from 5% in 2023 to 8% in 2024."
    )
    found = [f for f in propose(_reading(book, text), _context(), book) if "kg:value" in f.properties]
    observed = {(str(f.properties["kg:value"][0]), str(f.properties["kg:observedSubject"][0])) for f in found}
    assert observed == {("40", "corex"), ("5", "corex"), ("8", "corex")}
    periods = {str(f.properties["kg:value"][0]): f.properties["kg:period"] for f in found}
    assert periods["5"] == [{"said": "2023"}] and periods["8"] == [{"said": "2024"}]


def test_measures_named_after_a_percentage_or_before_reach_and_account_for() -> None:
    book = _book()
    cases = {
        "Corex posted a 12% year-on-year sales increase.": "year-on-year sales increase",
        "Corex's domestic revenue accounts for only 4%.": "domestic revenue",
        "The Nordic drone services market is projected to reach $5 billion by 2030.": "drone services market is projected",
    }
    for text, measure in cases.items():
        found = propose(_reading(book, text), _context(), book)
        assert [v for f in found for v in f.properties.get("kg:measure", [])] == [{"en": measure}], text


def test_a_figure_of_a_named_strategy_across_an_and_between_verbs() -> None:
    book = _book()
    strategy = Known(
        "nordic-drone-plan",
        "kg:NationalStrategy",
        "Nordic Drone Strategy",
        frozenset({"kg:NationalStrategy"}),
    )
    book.names.add(strategy, ["Nordic Drone Strategy", "NDS"])
    text = "The NDS plans to train and certify 4,000 drone pilots."
    found = [f for f in propose(_reading(book, text), _context(), book) if "kg:value" in f.properties]
    assert [f.properties["kg:observedSubject"] for f in found] == [["nordic-drone-plan"]]


def test_a_second_figure_of_a_sentence_is_of_whom_the_first_was() -> None:
    book = _book()
    text = "Corex holds 60% of zeta lithium mining and 92% of refining capacity."
    found = propose(_reading(book, text), _context(), book)
    observed = {
        (str(f.properties["kg:value"][0]), str(f.properties["kg:observedSubject"][0]))
        for f in found
        if "kg:value" in f.properties
    }
    assert observed == {("60", "corex"), ("92", "corex")}


def test_the_period_of_a_figure_in_the_words_the_time_model_reads() -> None:
    book = _book()
    cases = {
        "In the first three quarters of 2024, Corex reported a net profit of 12 million yuan.": (
            "the first three quarters of 2024"
        ),
        "Corex expects revenue of 4 billion yuan by 2030.": "by 2030",
        "Corex sales fell 5% in early 2025.": "early 2025",
    }
    for text, said in cases.items():
        periods = [f.properties.get("kg:period") for f in propose(_reading(book, text), _context(), book)]
        assert [{"said": said}] in periods, text


def test_posts_from_appositions_possessives_and_departures() -> None:
    book = _book()
    person = frozenset({"kg:Person"})
    role = frozenset({"kg:Role"})
    book.names.add(Known("jo-park", "kg:Person", "Jo Park", person), ["Jo Park"])
    book.names.add(Known("role:president", "kg:Role", "president", role), ["president"])
    book.names.add(
        Known("role:chief-executive-officer", "kg:Role", "chief executive officer", role), ["chief executive"]
    )
    book.names.add(
        Known("kg:Resigned", "kg:DepartureKind", "resigned", frozenset({"kg:DepartureKind"})), ["resigned"]
    )

    def posts(text: str) -> set[tuple[str, str, str]]:
        found = propose(_reading(book, text), _context(), book)
        return {
            t for t in _facts(found) if t[1] in ("org:member", "org:organization", "org:role", "kg:endedHow")
        }

    def post(org: str, role_ref: str) -> set[tuple[str, str, str]]:
        subject = f"post-jo-park-{org}-{role_ref.split(':')[1]}"
        return {
            (subject, "org:member", "jo-park"),
            (subject, "org:organization", org),
            (subject, "org:role", role_ref),
        }

    assert posts("Jo Park, the president of Corex, spoke.") == post("corex", "role:president")
    assert posts("Bolt Cars's chief executive Jo Park spoke.") == post(
        "bolt-cars", "role:chief-executive-officer"
    )
    resigned = post("corex", "role:president") | {
        ("post-jo-park-corex-president", "kg:endedHow", "kg:Resigned")
    }
    assert posts("Jo Park resigned as president of Corex in May.") == resigned


def test_what_a_person_is_expert_in_and_known_as() -> None:
    book = _book()
    book.names.add(Known("jo-park", "kg:Person", "Jo Park", frozenset({"kg:Person"})), ["Jo Park"])
    book.names.add(
        Known("kiln-tech", "kg:Technology", "kiln technology", frozenset({"kg:Technology"})),
        ["kiln technology"],
    )
    found = _facts(people(_reading(book, "A leading expert in kiln technology, Jo Park joined Corex."), book))
    assert found == {("jo-park", "kg:expertIn", "kiln-tech")}
    found = _facts(people(_reading(book, "Jo Park, who was known as the Queen of Kilns, retired."), book))
    assert found == {("jo-park", "kg:knownAs", "{'en': 'Queen of Kilns'}")}


def test_groups_named_by_a_common_noun() -> None:
    text = "Norwegian drone makers and overseas research laboratories met the government."
    assert ("Norwegian drone makers", "kg:Group") in list(new_names(text, [], set(), set()))
    assert ("overseas research laboratories", "kg:Group") in list(new_names(text, [], set(), set()))
    assert not any(
        kind == "kg:Group" for _, kind in new_names("the Norwegian government met", [], set(), set())
    )
    text = "Legal experts doubt it, and Swedish and Danish automakers agree."
    assert ("Legal experts", "kg:Group") in list(new_names(text, [], set(), set()))
    assert ("Swedish and Danish automakers", "kg:Group") in list(new_names(text, [], set(), set()))


def test_who_gives_a_view_in_the_passive_or_the_present() -> None:
    book = _book()
    reading = _reading(book, "The merger is seen by Corex as a threat to Bolt Cars.")
    assert reading.voice.asserted_by == "corex"
    assert _reading(book, "Corex argue that Bolt Cars will fail.").voice.asserted_by == "corex"
    assert _reading(book, "Bolt Cars was bought by Corex.").voice.asserted_by is None


def test_things_named_by_a_common_noun() -> None:
    text = (
        "Corex sells dry etching equipment and plasma coating technology, sealing off technology to rivals."
    )
    names = list(new_names(text, [], set(), set()))
    assert ("dry etching equipment", "kg:Product") in names
    assert ("plasma coating technology", "kg:Technology") in names
    assert not any(name.endswith("off technology") for name, _ in names)
    assert not any(
        kind == "kg:Technology" for _, kind in new_names("It leads in advanced technology.", [], set(), set())
    )
    assert ("cathode materials", "kg:Material") in list(
        new_names("Bolt makes cathode materials.", [], set(), set())
    )
    assert ("cobalt alloys", "kg:Material") in list(new_names("Bolt buys cobalt alloys.", [], set(), set()))


def test_compounds_are_materials_with_their_elements_and_short_form() -> None:
    book = _book()
    for symbol, name in (("Ni", "nickel"), ("Co", "cobalt"), ("O", "oxygen"), ("Na", "sodium")):
        known = Known(f"element:{symbol}", "kg:ChemicalElement", name, frozenset({"kg:ChemicalElement"}))
        book.names.add(known, [name])
    text = "Corex makes nickel cobalt oxide (NCO) and sodium extraction technology; NCO is cheap."
    sentence = Sentence(0, len(text), 1, text, "en")
    mentions = _mentions(sentence, book, set(), set())
    compound = next(m for m in mentions if m.text == "nickel cobalt oxide")
    assert compound.known.kind == "kg:Material"
    assert [m.known.ref for m in mentions if m.text == "NCO"] == [compound.known.ref] * 2  # no second entity
    context = _context()
    found = _facts(elements(read(sentence, mentions, context), book))
    assert found == {
        (compound.known.ref, "kg:containsElement", "element:Ni"),
        (compound.known.ref, "kg:containsElement", "element:Co"),
        (compound.known.ref, "kg:containsElement", "element:O"),
        ("sodium-extraction-technology", "kg:containsElement", "element:Na"),
    }


def test_each_investor_with_its_own_verb_makes_an_investment() -> None:
    book = _book()
    place = frozenset({"kg:Place"})
    book.names.add(Known("tromso", "kg:Place", "Tromso", place), ["Tromso"])
    book.names.add(Known("bergen", "kg:Place", "Bergen", place), ["Bergen"])
    text = "Corex is investing $2 billion in Tromso and Bolt Cars committing 3 billion euros to expand output in Bergen."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert {
        ("investment-corex", "kg:location", "tromso"),
        ("investment-bolt-cars", "kg:investor", "bolt-cars"),
        ("investment-bolt-cars", "kg:amount", "3000000000"),
        ("investment-bolt-cars", "kg:unit", "EUR"),
        ("investment-bolt-cars", "kg:location", "bergen"),
        ("investment-bolt-cars", "kg:purpose", "{'en': 'expand output in Bergen'}"),
    } <= found
    assert ("investment-corex", "kg:location", "bergen") not in found


def test_model_codes_chinese_things_and_things_named_with_an_abbreviation() -> None:
    names = list(
        new_names("Sales of its models, the X5 and X7, rose, while Q3 sales did not.", [], set(), set())
    )
    assert names == [("X5", "kg:Product"), ("X7", "kg:Product")]  # a code far from "models" names nothing
    assert ("负极材料", "kg:Material") in list(new_names("日本却把负极材料限制了", [], set(), set()))
    names = list(new_names("Corex makes NMC batteries and uses 3nm process technology.", [], set(), set()))
    assert ("NMC batteries", "kg:Product") in names and ("3nm process technology", "kg:Technology") in names


def test_what_someone_was_convicted_for() -> None:
    book = _book()
    book.names.add(Known("ann-berg", "kg:Person", "Ann Berg", frozenset({"kg:Person"})), ["Ann Berg"])
    cases = {
        "Ann Berg was sentenced to four years for allegedly leaking battery designs to Corex.": (
            "leaking battery designs to Corex"
        ),
        "Ann Berg being sentenced to two years for stealing chip layouts highlights the risk.": "stealing chip layouts",
    }
    for text, charge in cases.items():
        found = _facts(propose(_reading(book, text), _context(), book))
        assert ("conviction-ann-berg", "kg:charge", str({"en": charge})) in found, text


def test_a_summit_and_who_took_part() -> None:
    book = _book()
    book.names.add(Known("ann-berg", "kg:Person", "Ann Berg", frozenset({"kg:Person"})), ["Ann Berg"])
    text = "Ann Berg praised Corex during the Arctic summit in Canada."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert {
        ("meeting-ann-berg", "kg:participant", "ann-berg"),
        ("meeting-ann-berg", "kg:participant", "corex"),
    } <= found
    assert book.entities["meeting-ann-berg"].known.kind == "kg:Event"


def test_products_by_model_number_and_the_firm_whose_they_are() -> None:
    names = list(new_names("Its rival Kestrel's Falcon 220X beats them.", [], set(), set()))
    assert names == [("Kestrel", "kg:Organization"), ("Falcon 220X", "kg:Product")]
    book = _book()
    book.names.add(Known("falcon", "kg:Product", "Falcon 220X", frozenset({"kg:Product"})), ["Falcon 220X"])
    found = _facts(
        links(
            _reading(book, "Corex's Falcon 220X is fast, and Bolt Cars' flagship models, the Z1 chip, too."),
            book,
        )
    )
    assert found == {("falcon", "kg:developedBy", "corex"), ("z1-chip", "kg:developedBy", "bolt-cars")}


def test_a_claim_about_an_event_names_the_event() -> None:
    book = _book()
    context = _context()
    propose(_reading(book, "Corex sued Bolt Cars in May.", context), context, book)
    found = _facts(propose(_reading(book, "The lawsuit could reshape the industry.", context), context, book))
    assert any(p == "kg:about" and v == "lawsuit-corex" for _, p, v in found)


def test_an_ultimatum_with_its_deadline() -> None:
    book = _book()
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    text = "Norway issued an ultimatum to Corex, demanding a new safety plan within 30 days."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert {
        ("norway-ultimatum", "kg:issuedBy", "country:NO"),
        ("norway-ultimatum", "kg:deadline", "P30D"),
        ("norway-ultimatum", "kg:requires", "{'en': 'a new safety plan'}"),
    } <= found


def test_what_a_restriction_controls_and_what_another_policy_concerns() -> None:
    book = _book()
    found = _facts(
        propose(_reading(book, "Japan's zeta lithium export controls took effect."), _context(), book)
    )
    assert ("japan-export-control", "kg:controls", "zeta-lithium") in found
    found = _facts(propose(_reading(book, "Japan issued an ultimatum on zeta lithium."), _context(), book))
    assert ("japan-ultimatum", "kg:concerns", "zeta-lithium") in found
    assert not any(p == "kg:controls" for s, p, _ in found if s == "japan-ultimatum")


def test_people_listed_after_a_role_and_a_month_after_a_name() -> None:
    text = "It named Chairman Ann Lee in March, and Board Members Bo Chen, Di Wang, and Ed Hu."
    role = Known("role:member", "kg:Role", "member", frozenset({"kg:Role"}))
    found = [
        Mention(text.index("Chairman"), text.index("Chairman") + 8, "Chairman", role),
        Mention(text.index("Board Members"), text.index("Board Members") + 13, "Board Members", role),
    ]
    assert list(new_names(text, found, set(), set())) == [
        ("Ann Lee", "kg:Person"),
        ("Bo Chen", "kg:Person"),
        ("Di Wang", "kg:Person"),
        ("Ed Hu", "kg:Person"),
    ]


def test_a_role_that_leaves_without_a_name_is_the_one_post_the_registry_knows() -> None:
    book = _book()
    role = frozenset({"kg:Role"})
    book.names.add(Known("role:president", "kg:Role", "president", role), ["president", "presidents"])
    book.names.add(Known("role:director", "kg:Role", "director", role), ["director", "directors"])
    book.names.add(
        Known("kg:Resigned", "kg:DepartureKind", "resigned", frozenset({"kg:DepartureKind"})), ["resigned"]
    )
    book.names.posts[("jo-park", "role:president", "corex")] = "post-jo-park-corex-president"
    book.names.posts[("jo-park", "role:director", "corex")] = "post-jo-park-corex-director"
    text = "Last week the president of Corex resigned, citing health reasons."
    assert _facts(propose(_reading(book, text), _context(), book)) >= {
        ("post-jo-park-corex-president", "kg:endedHow", "kg:Resigned"),
        ("post-jo-park-corex-president", "kg:departureReason", "{'en': 'health reasons'}"),
    }
    for text in ("Three directors of Corex resigned.", "The president of Bolt Cars resigned."):
        found = _facts(propose(_reading(book, text), _context(), book))
        assert not any(p == "kg:endedHow" for _, p, _ in found), text


def test_a_teacher_is_a_person_and_the_name_they_are_known_by_no_entity() -> None:
    text = "Bo was a student of Ann Berg, who was known as the Queen of Nordic Kilns."
    assert list(new_names(text, [], set(), set())) == [("Ann Berg", "kg:Person")]


def test_a_name_in_camel_case_takes_its_kind_from_its_last_part() -> None:
    text = "Earlier rumours, as noted by KilnNews, said so."
    assert ("KilnNews", "kg:NewsOutlet") in list(new_names(text, [], set(), set()))


def test_a_post_at_its_named_unit_is_at_the_unit() -> None:
    book = _book()
    book.names.add(Known("jo-park", "kg:Person", "Jo Park", frozenset({"kg:Person"})), ["Jo Park"])
    book.names.add(Known("role:president", "kg:Role", "president", frozenset({"kg:Role"})), ["president"])
    lab = frozenset({"kg:ResearchInstitute", "kg:Organization"})
    book.names.add(Known("kiln-lab", "kg:ResearchInstitute", "Kiln Lab", lab), ["Kiln Lab"])
    text = "Corex says Jo Park now serves as president at its Kiln Lab."
    reading = _reading(book, text)
    assert any(m.how == "anaphor" for m in reading.mentions)
    assert ("post-jo-park-kiln-lab-president", "org:organization", "kiln-lab") in _facts(
        propose(reading, _context(), book)
    )


def test_an_official_statement_after_however_denies_the_rumour_before_and_a_rumour_contradicts_it() -> None:
    def disputes(first: str, second: str) -> set[tuple[str, str, str]]:
        book, context = _book(), _context()
        facts = [f for text in (first, second) for f in propose(_reading(book, text, context), context, book)]
        return {t for t in _facts(facts) if t[1] in ("kg:denies", "kg:contradicts")}

    rumour = "Rumours say Corex poached engineers from Bolt Cars."
    assert disputes(rumour, "However, Bolt Cars stated the staff changes are normal.") == {
        (
            "claim-however-bolt-cars-stated-staff-changes",
            "kg:denies",
            "claim-rumours-corex-poached-engineers-from-bolt",
        )
    }
    statement = "Corex stated that Acme Motors supplies it."
    assert disputes(statement, "However, rumours claimed Corex buys zeta lithium.") == {
        (
            "claim-corex-stated-that-acme-motors-supplies",
            "kg:contradicts",
            "claim-however-rumours-claimed-corex-buys-zeta",
        )
    }
    assert disputes(rumour, "Bolt Cars stated the staff changes are normal.") == set()  # no "However"
    assert (
        disputes(statement, "However, Bolt Cars stated the staff changes are normal.") == set()
    )  # one voice


def test_the_initiative_is_the_event_reported_last() -> None:
    book, context = _book(), _context()
    for text in ("Corex hosted a lecture on kiln safety.", "Acme Motors competes with Bolt Cars."):
        propose(_reading(book, text, context), context, book)
    found = _facts(propose(_reading(book, "The initiative suggests a new approach.", context), context, book))
    assert found == {("claim-initiative-suggests-approach", "kg:about", "lecture-corex")}


def test_a_country_s_authorities_issue_its_policy() -> None:
    book = _book()
    group = Known("japanese-authorities", "kg:Group", "Japanese authorities", frozenset({"kg:Group"}))
    book.names.add(group, ["Japanese authorities"])
    text = "Japanese authorities have instructed Corex to submit lists of engineers."
    found = _facts(policies(_reading(book, text), _context(), book))
    assert {p: v for _, p, v in found}.get("kg:issuedBy") == "country:JP"


def test_according_to_the_report_adds_to_the_report_relayed_last() -> None:
    book, context = _book(), _context()
    outlet = Known(
        "metro-post", "kg:NewsOutlet", "Metro Post", frozenset({"kg:NewsOutlet", "kg:Organization"})
    )
    book.names.add(outlet, ["Metro Post"])
    texts = [
        "According to the Metro Post, Corex may sell Bolt Cars.",
        "According to the report, Corex denied it.",
    ]
    facts = [f for text in texts for f in propose(_reading(book, text, context), context, book)]
    reported = {v for s, p, v in _facts(facts) if s == "report-metro-post-1" and p == "kg:reports"}
    claims = {f.subject for f in facts if f.why == "a claim"}
    assert reported == claims and len(claims) == 2


def test_a_count_in_a_sentence_naming_no_one_is_of_the_organisation_spoken_of_last() -> None:
    book, context = _book(), _context()
    propose(_reading(book, "Corex has seen heavy turnover.", context), context, book)
    found = _facts(propose(_reading(book, "Three board members resigned.", context), context, book))
    assert ("obs-corex-members", "kg:observedSubject", "corex") in found
    found = _facts(propose(_reading(book, "Three board members resigned.", _context()), _context(), book))
    assert not any(p == "kg:observedSubject" for _, p, _ in found)


def test_people_who_speak_as_a_group_without_a_name() -> None:
    text = "Output recovered, but carmakers and suppliers say prices remain high."
    assert ("carmakers and suppliers", "kg:Group") in list(new_names(text, [], set(), set()))
    assert not any(kind == "kg:Group" for _, kind in new_names("Carmakers rely on Corex.", [], set(), set()))


def test_two_clauses_with_verbs_of_their_own_are_two_claims() -> None:
    book = _book()
    text = "Corex may grow fast, but Bolt Cars says demand remains weak."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert {(s, v) for s, p, v in found if p == "kg:about"} == {
        ("claim-corex-grow-fast", "corex"),
        ("claim-bolt-cars-says-demand-remains-weak", "bolt-cars"),
    }
    text = "Corex may sell to Acme Motors and Bolt Cars."
    assert (
        len({s for s, p, _ in _facts(propose(_reading(book, text), _context(), book)) if p == "kg:about"})
        == 1
    )


def _norway_policies(book: Book) -> None:
    """Norway, with two export controls of the registry: a licensing of zeta lithium and a
    tracking system for it."""
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    for ref, label in [
        ("no-licensing", "Norwegian export licensing of zeta lithium"),
        ("no-tracking", "Norwegian tracking system for zeta lithium exports"),
    ]:
        kind = frozenset({"kg:ExportControl", "kg:Policy"})
        book.names.add(Known(ref, "kg:ExportControl", label, kind), [])
        book.names.policies[ref] = {"kg:issuedBy": {"country:NO"}, "kg:controls": {"zeta-lithium"}}
    book.names.policies["no-licensing"]["kg:controls"].add("z1-chip")  # more is known of the licensing


def test_a_described_policy_is_the_known_one_of_that_kind_issuer_and_thing() -> None:
    book = _book()
    _norway_policies(book)
    context = _context()
    text = "Norway's strict control measures on zeta lithium exports have become leverage."
    found = _facts(propose(_reading(book, text, context), context, book))
    assert ("no-licensing", "kg:issuedBy", "country:NO") in found  # the one more is known of
    assert any(p == "kg:about" and v == "no-licensing" for _, p, v in found)
    text = "Norway is regulating zeta lithium exports with a new tracking system."
    found = _facts(propose(_reading(book, text, _context()), _context(), book))
    assert ("no-tracking", "kg:controls", "zeta-lithium") in found  # its label's words
    text = "Norway's approach signals a tightening of export controls."
    found = _facts(propose(_reading(book, text, context), context, book))
    assert ("no-licensing", "kg:issuedBy", "country:NO") in found  # the one the article named
    found = _facts(propose(_reading(book, text, _context()), _context(), book))
    assert ("norway-export-control", "kg:issuedBy", "country:NO") in found  # none named: a new one


def test_the_policy_a_policy_responds_to() -> None:
    book = _book()
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    context = _context()
    propose(_reading(book, "Canada imposed tariffs on zeta lithium.", context), context, book)
    text = "In response to Canadian pressure, Norway issued a directive requiring firms to register drones."
    found = _facts(propose(_reading(book, text, context), context, book))
    assert ("norway-directive", "kg:inResponseTo", "canada-tariff") in found
    text = "In response to the protests, Norway issued a directive requiring firms to register drones."
    found = _facts(propose(_reading(book, text, context), context, book))
    assert not any(p == "kg:inResponseTo" for _, p, _ in found)


def test_demands_joined_by_and_are_two_directives() -> None:
    book = _book()
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    context = _context()
    text = "Norway issued a directive requiring all drone firms and flight schools to report pilot lists and restrict their travel."
    found = _facts(propose(_reading(book, text, context), context, book))
    assert {
        ("norway-directive", "kg:requires", "{'en': 'report pilot lists'}"),
        ("norway-directive-2", "kg:issuedBy", "country:NO"),
        ("norway-directive-2", "kg:requires", "{'en': 'restrict their travel'}"),
    } <= found
    assert context.policies["kg:Directive"] == "norway-directive-2"  # named last
    text = "Norway has mandated that drone firms submit lists of pilots and ground staff."
    found = _facts(propose(_reading(book, text, _context()), _context(), book))
    assert len({s for s, p, _ in found if p == "kg:requires"}) == 1


def test_measures_put_in_place_or_listed_are_directives() -> None:
    book = _book()
    book.names.add(Known("country:NO", "kg:Country", "Norway", frozenset({"kg:Country"})), ["Norway"])
    text = "Random border inspections for drone pilots have been introduced, alongside new training."
    found = _facts(propose(_reading(book, text), _context(), book))
    assert ("directive", "kg:requires", "{'en': 'Random border inspections for drone pilots'}") in found
    text = (
        "Norway has taken protective measures, including classifying zeta lithium as a strategic "
        "material and creating research posts to retain skilled chemists [4]."
    )
    found = _facts(propose(_reading(book, text), _context(), book))
    assert {
        ("norway-directive", "kg:issuedBy", "country:NO"),
        ("norway-directive", "kg:requires", "{'en': 'classifying zeta lithium as a strategic material'}"),
        ("norway-directive", "kg:controls", "zeta-lithium"),
        ("norway-directive-2", "kg:issuedBy", "country:NO"),
        ("norway-directive-2", "kg:requires", "{'en': 'creating research posts'}"),
        ("norway-directive-2", "kg:purpose", "{'en': 'retain skilled chemists'}"),
    } <= found
    assert measures(_reading(book, "New engineers have been hired."), _context(), book) == []


def test_an_export_control_controls_no_people() -> None:
    book = _book()
    group = frozenset({"kg:Group"})
    book.names.add(Known("drone-staff", "kg:Group", "technical staff of drone firms", group), [])
    text = "Japan is regulating zeta lithium exports and closely managing its technical staff."
    mentions = with_groups(text, book.names.find(text), book.names)
    assert "drone-staff" in [m.known.ref for m in mentions]
    context = _context()
    found = _facts(propose(read(Sentence(0, len(text), 1, text, "en"), mentions, context), context, book))
    assert ("japan-export-control", "kg:controls", "zeta-lithium") in found
    assert not any(v == "drone-staff" for s, _, v in found if s == "japan-export-control")


def test_technologies_named_as_examples() -> None:
    text = "Mines use tools like edge computing, AI and quantum sensing for safety, especially underground."
    ai = Known(
        "artificial-intelligence", "kg:Technology", "artificial intelligence", frozenset({"kg:Technology"})
    )
    found = [Mention(text.index("AI"), text.index("AI") + 2, "AI", ai)]
    names = list(new_names(text, found, set(), set()))
    assert ("edge computing", "kg:Technology") in names
    assert ("quantum sensing", "kg:Technology") in names
    assert not any(
        kind == "kg:Technology" for _, kind in new_names("Technologies such as these help.", [], set(), set())
    )


def test_measures_after_a_verb_a_share_a_noun_and_money_spent_in() -> None:
    book = _book()

    def measured(text: str) -> set[str]:
        found = propose(_reading(book, text), _context(), book)
        return {str(v) for f in found for v in f.properties.get("kg:measure", [])}

    assert measured("Corex leads in refining, achieving a yield rate of 98%.") == {"{'en': 'yield rate'}"}
    assert measured("Corex holds 40% of the market share and having built new plants, it grows.") == {
        "{'en': 'share of the market share'}"
    }
    assert measured("Bolt Cars reached 90% purity.") == {"{'en': 'purity'}"}
    assert measured("The design saves over $2 billion in R&D costs for partners.") == {"{'en': 'R&D costs'}"}


def test_a_figure_of_a_group_and_the_one_singled_out_of_it() -> None:
    book = _book()
    book.names.add(
        Known("nordic-firms", "kg:Group", "Nordic firms", frozenset({"kg:Group"})), ["Nordic firms"]
    )
    text = "Nordic firms, particularly Corex, have lagged behind, with a yield of only 60%."
    (obs,) = [f for f in propose(_reading(book, text), _context(), book) if f.why == "a figure"]
    assert obs.properties["kg:observedSubject"] == ["nordic-firms", "corex"]
