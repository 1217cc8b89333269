"""The web UI in a real headless Chromium (Debian chromium + chromium-driver) over the real index.

A waitress server runs in a background thread on a free local port. Screenshots go to
build/test-artifacts/ (desktop and phone widths) for a human to look at.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

from browser_session import headless_chromium, serving

ARTIFACTS = Path(__file__).resolve().parent.parent / "build" / "test-artifacts"
RESILIENCE = "ភាពធន់"
DESKTOP = (1280, 900)
PHONE = (390, 844)


@pytest.fixture(scope="module")
def base_url(search_service):
    from webui import create_app

    with serving(create_app(service=search_service)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with headless_chromium(DESKTOP) as driver:
        yield driver


@pytest.fixture
def desktop(browser):
    browser.set_window_size(*DESKTOP)
    return browser


def shot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path


def wait_for(driver, condition, timeout=15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def total_shown(driver) -> int:
    from selenium.webdriver.common.by import By

    summary = driver.find_element(By.ID, "summary").text
    return int(summary.split()[0].replace(",", ""))


def orgs_shown(driver) -> set[str]:
    from selenium.webdriver.common.by import By

    return {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".result .org")}


def facet_counts(driver, facet: str) -> dict[str, int]:
    from selenium.webdriver.common.by import By

    counts = {}
    for label in driver.find_elements(By.CSS_SELECTOR, f"#facet-{facet} label"):
        name = label.find_element(By.CSS_SELECTOR, ".facet-label").text
        counts[name] = int(label.find_element(By.CSS_SELECTOR, ".count").text.replace(",", ""))
    return counts


def test_type_a_khmer_query_and_see_khmer_results_highlighted(desktop, base_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    desktop.get(f"{base_url}/?lang=en")
    box = desktop.find_element(By.ID, "q")
    assert desktop.switch_to.active_element == box  # the box has focus on the home page
    box.send_keys(RESILIENCE, Keys.ENTER)
    wait_for(desktop, lambda d: "q=" in d.current_url)
    assert parse_qs(urlsplit(desktop.current_url).query)["q"] == [RESILIENCE]
    marks = desktop.find_elements(By.CSS_SELECTOR, ".result .snippet mark")
    assert marks and any(RESILIENCE in m.text for m in marks)
    first = desktop.find_element(By.CSS_SELECTOR, ".result article")
    assert first.get_attribute("lang") == "km"
    # The Khmer glyphs are drawn with the bundled web font, not a system fallback.
    assert desktop.execute_script(
        "return document.fonts.check('16px \"Bayon Khmer\"', arguments[0])", RESILIENCE)
    wait_for(desktop, lambda d: d.execute_script(
        "return [...document.fonts].some(f => f.family.includes('Bayon Khmer') && f.status === 'loaded')"))
    shot(desktop, "01-khmer-query-desktop")


def test_click_a_facet_then_remove_its_chip(desktop, base_url):
    from selenium.webdriver.common.by import By

    desktop.get(f"{base_url}/search?q=rights&lang=en")
    before_total = total_shown(desktop)
    before_orgs = orgs_shown(desktop)
    type_counts = facet_counts(desktop, "doc_type")
    label = desktop.find_element(By.XPATH, "//fieldset[@id='facet-organisation']//label[contains(., 'CIVICUS')]")
    label.click()  # progressive JS follows the checkbox's link
    wait_for(desktop, lambda d: "organisation=CIVICUS" in d.current_url)
    after_total = total_shown(desktop)
    assert 0 < after_total < before_total
    assert orgs_shown(desktop) == {"CIVICUS"} != before_orgs
    assert facet_counts(desktop, "doc_type") != type_counts  # the other facets' counts follow the filter
    assert sum(facet_counts(desktop, "doc_type").values()) == after_total
    chip = desktop.find_element(By.CSS_SELECTOR, ".chips .chip")
    assert "CIVICUS" in chip.text
    shot(desktop, "02-facet-applied-desktop")
    chip.click()
    wait_for(desktop, lambda d: "organisation=" not in d.current_url)
    assert total_shown(desktop) == before_total
    assert not desktop.find_elements(By.CSS_SELECTOR, ".chips .chip")
    desktop.back()  # the back button returns to the filtered results
    wait_for(desktop, lambda d: "organisation=CIVICUS" in d.current_url)
    assert total_shown(desktop) == after_total


def test_open_a_document_and_come_back(desktop, base_url):
    from selenium.webdriver.common.by import By

    desktop.get(f"{base_url}/search?q=prison&lang=en")
    results_url = desktop.current_url
    title = desktop.find_element(By.CSS_SELECTOR, ".result h3 a")
    title_text = title.text
    title.click()
    wait_for(desktop, lambda d: "/documents/" in d.current_url)
    assert desktop.find_element(By.TAG_NAME, "h1").text == title_text
    assert desktop.find_elements(By.CSS_SELECTOR, ".body-text mark")
    shot(desktop, "03-document-desktop")
    desktop.find_element(By.ID, "back-to-results").click()
    wait_for(desktop, lambda d: "/search" in d.current_url)
    assert parse_qs(urlsplit(desktop.current_url).query) == parse_qs(urlsplit(results_url).query)


def test_switch_the_interface_to_khmer(desktop, base_url):
    from selenium.webdriver.common.by import By

    desktop.get(f"{base_url}/search?q=land&lang=en")
    assert desktop.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    desktop.find_element(By.CSS_SELECTOR, ".ui-lang a[lang='km']").click()
    wait_for(desktop, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "km")
    assert parse_qs(urlsplit(desktop.current_url).query)["q"] == ["land"]
    assert desktop.find_element(By.CSS_SELECTOR, ".search-form button").text == "ស្វែងរក"
    assert desktop.find_element(By.ID, "filters-heading").text == "តម្រង"
    shot(desktop, "04-khmer-interface-desktop")


def test_phone_layout_keyboard_and_skip_link(browser, base_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(*PHONE)
    try:
        browser.get(f"{base_url}/search?q={RESILIENCE}&lang=km")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= PHONE[0], "the page scrolls sideways on a phone"
        # On a phone the filters start folded so the results come first.
        assert browser.find_element(By.ID, "filters-panel").get_attribute("open") is None
        shot(browser, "05-khmer-results-phone")
        # Keyboard: the first Tab reaches the skip link, which moves focus to the results.
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        skip = browser.switch_to.active_element
        assert skip.get_attribute("class") == "skip-link"
        skip.send_keys(Keys.ENTER)
        assert browser.current_url.endswith("#results")
        browser.get(browser.find_element(By.CSS_SELECTOR, ".result h3 a").get_attribute("href"))
        assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
        shot(browser, "06-document-phone")
    finally:
        browser.set_window_size(*DESKTOP)
