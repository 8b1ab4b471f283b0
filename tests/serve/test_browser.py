"""The pages in a real browser: Debian's headless Chromium, driven by Playwright. Each test
fails on any request to anything but the server, and saves a screenshot to
test-artifacts/ (git-ignored) for a person to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

from kg.serve.timeline import LEFT
from tests.conftest import REPO

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/setup-system (it installs Debian's chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)  # a fresh profile
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    elsewhere: list[str] = []

    def only_the_server(route: Route) -> None:
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.route("**/*", only_the_server)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert elsewhere == [], f"the page asked for something outside the server: {elsewhere}"
    assert errors == [], errors


def test_an_entity_page(page: Page, server: str) -> None:
    page.goto(f"{server}/entity/liao-chunsheng")
    assert page.inner_text("h1") == "Liao Chunsheng"
    graph = page.locator("#graph")
    graph.wait_for()
    page.wait_for_function("document.getElementById('graph').dataset.nodes > 1")
    assert int(graph.get_attribute("data-nodes") or 0) >= 5  # Liao, his posts, their organisations, …
    assert page.locator("svg.timeline rect").count() >= 2
    assert_inside_the_timeline(page)
    page.screenshot(path=ARTIFACTS / "entity.png")
    graph.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "entity-graph.png")


def assert_inside_the_timeline(page: Page) -> None:
    """Every label of the timeline lies inside the drawing, and the drawing inside the page."""
    outside = page.evaluate(
        """() => {
          const svg = document.querySelector("svg.timeline").getBoundingClientRect();
          const main = document.querySelector("main").getBoundingClientRect();
          const out = [...document.querySelectorAll("svg.timeline text")]
            .map((t) => [t.textContent, t.getBoundingClientRect()])
            .filter(([, r]) => r.left < svg.left - 0.5 || r.right > svg.right + 0.5)
            .map(([text]) => text);
          if (svg.right > main.right) out.push("the drawing");
          return out;
        }"""
    )
    assert outside == []


def test_the_timeline_of_a_year(page: Page, server: str) -> None:
    page.goto(f"{server}/timeline?period=2025")
    assert page.locator("svg.timeline rect").count() >= 10
    assert_inside_the_timeline(page)
    labels = page.evaluate(
        """() => [...document.querySelectorAll("svg.timeline .bar-label")].map((t) => t.getBBox().width)"""
    )
    assert max(labels) <= LEFT - 10  # no row label runs into the bars
    page.screenshot(path=ARTIFACTS / "timeline.png", full_page=True)


def test_an_ontology_page_draws_its_diagram(page: Page, server: str) -> None:
    page.goto(f"{server}/ontology/Post")
    page.wait_for_function("document.getElementById('graph').dataset.nodes > 1")
    page.screenshot(path=ARTIFACTS / "ontology.png", full_page=True)


def test_a_document_page(page: Page, server: str) -> None:
    page.goto(f"{server}/document/002")
    assert page.locator("a.quote").count() >= 20
    assert page.locator(".seg.skipped").count() >= 4
    page.locator("a.quote", has_text="Scientific and Technical Expert").first.click()
    assert page.url.endswith("#fact-" + page.url.rsplit("-", 1)[-1])
    page.goto(f"{server}/document/002")
    page.screenshot(path=ARTIFACTS / "document.png")


def test_the_query_page_runs_a_catalogue_query(page: Page, server: str) -> None:
    page.goto(f"{server}/query?name=departures")
    rows = page.locator(".yasr tbody tr")
    rows.first.wait_for(timeout=20_000)
    table = page.inner_text(".yasr tbody")
    for person in ("Qi Shuyong", "Yang Jie", "Liao Chunsheng"):
        assert person in table
    assert rows.count() == 7
    assert valid_to_the_editor(page)
    page.screenshot(path=ARTIFACTS / "query.png")


def valid_to_the_editor(page: Page) -> bool:
    """Whether the editor's own checker takes the query in it (no error marker)."""
    page.wait_for_timeout(100)
    button = page.get_attribute(".yasqe_queryButton", "class") or ""
    return "query_valid" in button and page.locator(".yasqe .parseErrorIcon").count() == 0


def test_the_editor_knows_the_project_prefixes(page: Page, server: str) -> None:
    """Every catalogue query as the editor loads it is valid to the editor's checker, and a
    query typed with the project's prefixes gets their PREFIX lines."""
    page.goto(f"{server}/query?name=rare-earth-elements")
    page.locator(".yasr tbody tr").first.wait_for(timeout=20_000)
    editor = "document.querySelector('.CodeMirror').CodeMirror"
    invalid = []
    for name in page.locator("#query-name option").evaluate_all("options => options.map(o => o.value)"):
        page.evaluate(f"async () => {editor}.setValue(await (await fetch('/api/editor/{name}')).text())")
        if not valid_to_the_editor(page):
            invalid.append(name)
    assert invalid == []
    typed = "SELECT ?org WHERE { ?org org:subOrganizationOf ent:china-rare-earth-group }"
    page.evaluate(f"{editor}.setValue({typed!r})")
    assert valid_to_the_editor(page)
    assert page.evaluate(f"{editor}.getValue()") == (
        "PREFIX ent: <https://w3id.org/sovereignty-kg/entity/>\n"
        "PREFIX org: <http://www.w3.org/ns/org#>\n" + typed
    )
    page.evaluate(f"{editor}.setValue('SELECT ?x WHERE {{ ?x foo:bar ?y }}')")
    assert not valid_to_the_editor(page)  # a prefix nobody declared is still an error


def test_the_editor_shows_labels_beside_iris(page: Page, server: str) -> None:
    page.goto(f"{server}/query?name=rare-earth-elements")
    page.locator(".yasr tbody tr").first.wait_for(timeout=20_000)
    page.evaluate(
        "document.querySelector('.CodeMirror').CodeMirror.setValue("
        "'SELECT ?org WHERE { ?org org:subOrganizationOf ent:china-rare-earth-group } ORDER BY ?org')"
    )
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr .kg-label", timeout=20_000)
    labels = page.locator(".yasr .kg-label").all_inner_texts()
    assert "China Rare Earth Holdings" in labels
    link = page.locator(".yasr a.iri", has_text="china-rare-earth-holdings").first
    assert link.get_attribute("href") == "/entity/china-rare-earth-holdings"
    page.screenshot(path=ARTIFACTS / "query-labels.png")


def test_screenshots_are_kept_apart_from_the_repository() -> None:
    assert "/test-artifacts/" in (REPO / ".gitignore").read_text()
    assert shutil.which("chromium") or Path(CHROMIUM).is_file()
