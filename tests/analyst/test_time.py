"""Questions about time an analyst asks of the seed documents, with the answers worked out by
hand from reading them (the line of each seed is in the comment), asked through the
catalogue. They are not regenerated from the graph: if one fails, either the graph or the
reading is wrong, and the document decides.

Reference times, read off the documents: 000 and 003 date every article in its byline; 001
reports China Rare Earth Group's statement of "June 29" as past and the Ministry of
Commerce's demand for expert lists (reported by 000 on 27 June 2025), and calls the
resignations "this year": written 29 June – 31 December 2025; 002 reports the group's
statement 001 dates June 28 and says "turnover in 2025": 28 June – 31 December 2025; 004
reports the lecture of 17 April 2025 as past, with no later bound in the text.
"""

from __future__ import annotations

from kg import run_named
from kg.ask.query import Queryable

CRH = "ent:china-rare-earth-holdings"


def ask(store: Queryable, name: str, *columns: str, **params: str) -> list[tuple[str, ...]]:
    """The answer's rows, as the columns asked for ("" where a row has no value)."""
    return [tuple(r[c] or "" for c in columns) for r in run_named(store, name, **params).records()]


def test_who_left_china_rare_earth_in_2025(seed_store: Queryable) -> None:
    # 001 line 5: "the resignation of ... Chief Financial Officer Qi Shuyong and Chairman of the
    # Supervisory Board Yang Jie in January, Vice General Manager Liao Chunsheng in April, and
    # Independent Directors Yang Guoan, Dong Xianting, and Guo Huifu, as well as General Manager
    # Yan Shengjian stepping down"; "this year" is 2025 by 001's reference time.
    # 002 line 3: "This month alone, the general manager, a deputy general manager, and three
    # board members resigned"; line 4: "Among them, former deputy general manager Chunsheng Liao".
    rows = ask(
        seed_store, "departures", "person", "role", "inPeriod", org=CRH, **{"from": "2025", "to": "2025"}
    )
    assert sorted(rows) == sorted(
        [
            ("Qi Shuyong", "chief financial officer", "yes"),
            ("Yang Jie", "chair of the supervisory board", "yes"),
            ("Liao Chunsheng", "deputy general manager", "yes"),
            ("Yang Guoan", "independent director", "yes"),
            ("Dong Xianting", "independent director", "yes"),
            ("Guo Huifu", "independent director", "yes"),
            ("Yan Shengjian", "general manager", "yes"),
        ]
    )


def test_who_left_in_january_2025(seed_store: Queryable) -> None:
    # 001 line 5: Qi Shuyong and Yang Jie "in January" — January 2025. Nobody else can have
    # left in January: Liao in April (001) or this month (002), the others this month (002).
    rows = ask(
        seed_store,
        "departures",
        "person",
        "ended",
        "inPeriod",
        org=CRH,
        **{"from": "2025-01", "to": "2025-01"},
    )
    assert rows == [("Qi Shuyong", "January 2025", "yes"), ("Yang Jie", "January 2025", "yes")]


def test_who_may_have_left_in_june_2025(seed_store: Queryable) -> None:
    # 002's "this month" is a month from June to December 2025 (its reference time): those who
    # resigned "this month" may have left in June, none certainly; Liao's April (001) is not in
    # June, his "this month" (002) may be.
    rows = ask(
        seed_store,
        "departures",
        "person",
        "inPeriod",
        "placed",
        org=CRH,
        **{"from": "2025-06", "to": "2025-06"},
    )
    assert sorted(rows) == [
        ("Dong Xianting", "possibly", "combined across documents"),
        ("Guo Huifu", "possibly", "combined across documents"),
        ("Liao Chunsheng", "possibly", "sources conflict"),
        ("Yan Shengjian", "possibly", "placed against the article's date"),
        ("Yang Guoan", "possibly", "combined across documents"),
    ]


def test_when_liao_chunsheng_left_the_sources_disagree(seed_store: Queryable) -> None:
    # 001 line 5: "Vice General Manager Liao Chunsheng in April"; 002 lines 3-4 count him among
    # the resignations of "this month", a month from June 2025 on.
    rows = ask(seed_store, "person-posts", "role", "ended", "allEndDates", person="ent:liao-chunsheng")
    assert (
        "deputy general manager",
        "April 2025 / June–December 2025 (sources conflict)",
        "April 2025 (001.1), June–December 2025 (002.1)",
    ) in rows


def test_the_general_managers_departure_as_precisely_as_the_sources_allow(seed_store: Queryable) -> None:
    # 001 line 5: Yan Shengjian stepped down "this year" (2025); 002 line 3: "the general manager
    # ... resigned" "this month" (June–December 2025): the more precise date is preferred.
    rows = ask(seed_store, "person-posts", "role", "ended", "how", person="ent:yan-shengjian")
    assert ("general manager", "June–December 2025", "resigned, stepped down") in rows


def test_who_held_posts_at_china_rare_earth_at_the_end_of_2024(seed_store: Queryable) -> None:
    # Everyone who left did so in 2025; Yan Shengjian kept his posts as party committee
    # secretary and director (001 line 5).
    rows = ask(seed_store, "post-holders-on", "person", "role", org=CRH, date="2024-12-31")
    assert sorted(rows) == sorted(
        [
            ("Qi Shuyong", "chief financial officer"),
            ("Yang Jie", "chair of the supervisory board"),
            ("Liao Chunsheng", "deputy general manager"),
            ("Yang Guoan", "independent director"),
            ("Dong Xianting", "independent director"),
            ("Guo Huifu", "independent director"),
            ("Yan Shengjian", "general manager"),
            ("Yan Shengjian", "party committee secretary"),
            ("Yan Shengjian", "director"),
        ]
    )


def test_who_was_surely_still_in_post_in_march_2025(seed_store: Queryable) -> None:
    # The CFO and the supervisory board chair had left in January; the rest left later.
    rows = ask(seed_store, "post-holders-on", "person", "status", org=CRH, date="2025-03")
    people = {person for person, _ in rows}
    assert "Qi Shuyong" not in people and "Yang Jie" not in people
    assert ("Yan Shengjian", "held") in rows  # his party and board posts


def test_the_order_of_events_in_june_2025(seed_store: Queryable) -> None:
    # 001 line 19: the "Rare Earth Management Regulations" released in June; "On June 10, the U.S.
    # and China announced reaching an agreement"; line 35: the Wall Street Journal "on June 26";
    # line 19: "On June 27, the Chinese Ministry of Commerce stated ..."; line 9: the group
    # "stated on June 28"; line 11: "On the following day, June 29".
    rows = [
        r
        for r in ask(seed_store, "happened-in", "date", "subject", "inPeriod", period="2025-06")
        if r[2] == "yes"
    ]
    assert [date for date, _, _ in rows] == [
        "June 2025",
        "10 June 2025",
        "26 June 2025",
        "27 June 2025",
        "27 June 2025",
        "28 June 2025",
        "29 June 2025",
    ]
    assert (
        rows[2][1]
        == "The Wall Street Journal's report of 26 June 2025 on China's controls of rare-earth experts"
    )
    assert rows[5][1].startswith("Liao Chunsheng now works as a technical expert")


def test_what_took_effect_in_april_2025(seed_store: Queryable) -> None:
    # 001 line 19: "the equal tariffs imposed by the U.S. in April", China's export permit system
    # "starting from April"; 003 line 15: "export controls on seven rare earth elements starting
    # April 2025"; 004 line 5: the lecture "on April 17, 2025".
    rows = ask(seed_store, "happened-in", "date", "what", "subject", period="2025-04")
    assert ("April 2025", "policy took effect", "Chinese export licensing of rare earths") in rows
    assert ("April 2025", "policy took effect", 'U.S. "equal" tariffs imposed in April') in rows
    assert any(date == "17 April 2025" and what == "event" for date, what, _ in rows)


def test_when_china_rare_earth_group_was_founded(seed_store: Queryable) -> None:
    # 001 line 13: "Established in Ganzhou City, Jiangxi Province in December 2021"
    rows = ask(seed_store, "timeline", "date", "what", "subject")
    assert ("December 2021", "organisation founded", "China Rare Earth Group") in rows


def test_when_the_group_answered_the_rumours(seed_store: Queryable) -> None:
    # 001 line 9: "China Rare Earth Group stated on June 28 that Liao Chunsheng is now a research
    # and technology expert"; line 11: "On the following day, June 29, ... a statement".
    rows = ask(seed_store, "timeline", "date", "what", "subject")
    made = {(date, subject.split(" at ")[0]) for date, what, subject in rows if what == "statement made"}
    assert ("28 June 2025", "Liao Chunsheng now works as a technical expert") in made
    assert ("29 June 2025", "The management changes") in made


def test_the_years_of_the_older_events(seed_store: Queryable) -> None:
    # 003 line 6: "TSMC's accusations against SMIC in 2009"; 001 line 45: "In 2023, a vice
    # president of a southern Chinese rare earth group was sentenced"; 003 line 27: the NSS
    # "launched in May 2024".
    rows = set(ask(seed_store, "timeline", "date", "what"))
    assert {("2009", "event"), ("2023", "event"), ("May 2024", "policy announced")} <= rows


def test_when_the_undated_articles_were_written(seed_store: Queryable) -> None:
    rows = {
        article: written
        for _, written, article in ask(seed_store, "articles-by-outlet", "outlet", "written", "article")
    }
    assert rows["001.1"] == "29 June – 31 December 2025 (inferred)"
    assert rows["002.1"] == "28 June – 31 December 2025 (inferred)"
    assert rows["004.1"].startswith("17 April 2025 – ")  # no later bound in its text
    assert rows["000.1"] == "30 June 2025"  # "Sou Hu Cai Jing· 2025-06-30 17:01"


def test_periods_of_figures(seed_store: Queryable) -> None:
    # 003 line 6: "In the first three quarters of 2024, Yitang reported a net profit of 420
    # million yuan"; "68.1% in the first half of 2024"; 001 line 17: "between 2019 and 2022,
    # approximately 75% of the United States' rare earth imports came from China".
    yitang = ask(seed_store, "statistics-about", "measure", "period", subject="ent:yitang")
    assert ("net profit in the first three quarters of 2024", "January–September 2024") in yitang
    assert ("share of revenue from domestic customers, first half of 2024", "first half of 2024") in yitang
    us = ask(seed_store, "statistics-about", "value", "period", subject="country:US")
    assert ("75", "2019–2022") in us


def test_reports_are_dated_by_the_text_or_by_their_article(seed_store: Queryable) -> None:
    # 001 line 35: "an insider report cited by the U.S. Wall Street Journal on June 26"; 002 line
    # 4: TechNews's "earlier rumors", undated: only when 002 reported them is known.
    rows = {report[:30]: date for report, date in ask(seed_store, "reports", "report", "date")}
    assert rows["The Wall Street Journal's repo"] == "26 June 2025"
    assert rows["TechNews's earlier report of r"] == "not given; reported on 28 June – 31 December 2025"


def test_a_lawsuit_the_text_does_not_date_is_dated_by_its_report(seed_store: Queryable) -> None:
    # 003 line 6 never says when Yitang sued; the article is of 19 August 2025.
    rows = ask(seed_store, "lawsuits", "plaintiff", "date", "reportedOn")
    assert ("Yitang", "", "19 August 2025") in rows
