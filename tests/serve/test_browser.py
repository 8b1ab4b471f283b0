"""The pages in a real browser: Debian's headless Chromium, driven by Playwright. Each test
fails on any request to anything but the server, and saves a screenshot to
test-artifacts/ (git-ignored) for a person to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

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
    page.screenshot(path=ARTIFACTS / "entity.png")
    graph.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "entity-graph.png")


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
    page.screenshot(path=ARTIFACTS / "query.png")


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
