"""The search and document pages as researchers and lawyers use them, in a real headless Chromium
(Debian chromium + chromium-driver) over the real index: Back keeps the filters true to the URL,
matches are easy to find in a document, phones see results first, keyboard and screen-reader users
are told what changed, nothing contradicts itself, both interface languages, accessibility (axe-core).

One waitress server and one Chromium for the whole module. Screenshots: build/test-artifacts/.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

pytestmark = pytest.mark.browser

from browser_session import headless_chromium, serving

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "build" / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = (1280, 900)
PHONE = (375, 812)
RESILIENCE = "ភាពធន់"
KHMER_RESILIENCE_DOC = "cchr-publications-bhaabdhn-3e290fa3"  # the Khmer record "resilience" reaches via the lexicon


@pytest.fixture(scope="module")
def base_url(search_service):
    from webui import create_app

    with serving(create_app(service=search_service)) as url:
        yield url


@pytest.fixture(scope="module")
def driver():
    with headless_chromium(DESKTOP) as chrome:
        yield chrome


@pytest.fixture
def desktop(driver):
    driver.set_window_size(*DESKTOP)
    return driver


@pytest.fixture
def phone(driver):
    # window size includes no browser chrome in headless mode: the viewport is PHONE
    driver.set_window_size(*PHONE)
    yield driver
    driver.set_window_size(*DESKTOP)


def by(css):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def shot(d, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    d.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def wait_for(d, condition, timeout=15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(d, timeout).until(condition)


def load(d, url):
    """Open `url` and wait until app.js has run (html.ready)."""
    d.get(url)
    wait_for(d, lambda x: x.execute_script("return document.documentElement.classList.contains('ready')"))


def total(d) -> str:
    return d.find_element(*by("#summary")).text.split()[0 if "result" in d.find_element(*by("#summary")).text else 1]


def active_id(d) -> str:
    return d.execute_script("return document.activeElement.id || document.activeElement.tagName")


# ----------------------------------------------------------------------------- 1. Back and the form
@pytest.mark.parametrize("lang", ["en", "km"])
def test_back_shows_the_filters_the_url_has(desktop, base_url, lang):
    load(desktop, f"{base_url}/search?q=rights&lang={lang}")
    unfiltered = total(desktop)
    box = desktop.find_element(*by("#facet-organisation input[value='CIVICUS']"))
    assert not box.is_selected()
    desktop.find_element(*by("#facet-organisation input[value='CIVICUS'] + label")).click()
    wait_for(desktop, lambda d: "organisation=CIVICUS" in d.current_url)
    filtered = total(desktop)
    assert filtered != unfiltered
    desktop.back()
    wait_for(desktop, lambda d: "organisation=" not in d.current_url)
    wait_for(desktop, lambda d: d.execute_script("return document.readyState") == "complete")
    # the box shows what the URL says (unticked), not the state the browser restored
    assert not desktop.find_element(*by("#facet-organisation input[value='CIVICUS']")).is_selected()
    assert total(desktop) == unfiltered
    # and ticking it applies the filter (not "unticking" it)
    desktop.find_element(*by("#facet-organisation input[value='CIVICUS'] + label")).click()
    wait_for(desktop, lambda d: "organisation=CIVICUS" in d.current_url)
    assert desktop.find_element(*by("#facet-organisation input[value='CIVICUS']")).is_selected()


# ----------------------------------------------------------------------------- 2 / B. matches in a document
@pytest.mark.parametrize("lang", ["en", "km"])
def test_an_english_query_marks_the_lexicon_match_in_the_khmer_version(desktop, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(desktop, f"{base_url}/search?q=resilience&lang={lang}")
    link = desktop.find_element(*by(f"a[href*='{KHMER_RESILIENCE_DOC}']"))
    load(desktop, link.get_attribute("href"))
    marks = desktop.find_elements(*by(".body-text mark"))
    assert marks and all(RESILIENCE in m.text for m in marks)
    assert urlsplit(desktop.current_url).fragment == "m1"  # the page opened at the first match
    count = desktop.find_element(*by("#match-count")).text
    assert ("1 match" in count) if lang == "en" else ("១" in count)
    # keyboard: Tab reaches "next match", Enter moves to it and the position is announced
    nxt = desktop.find_element(*by("#next-match"))
    desktop.execute_script("document.getElementById('prev-match').focus()")
    desktop.switch_to.active_element.send_keys(Keys.TAB)
    while desktop.switch_to.active_element != nxt:
        desktop.switch_to.active_element.send_keys(Keys.TAB)
    nxt.send_keys(Keys.ENTER)
    position = desktop.find_element(*by("#match-position"))
    assert position.get_attribute("aria-live") == "polite"
    assert position.text == ("Match 1 of 1" if lang == "en" else "កន្លែងត្រូវគ្នាទី ១ នៃ ១")
    shot(desktop, f"10-document-lexicon-match-{lang}")


def test_a_long_report_counts_its_matches_and_steps_through_them(desktop, base_url):
    load(desktop, f"{base_url}/search?q=prison&lang=en")
    href = desktop.find_element(*by("a[href*='licadho-report-children-of-imprisoned-mothers']")).get_attribute("href")
    assert href.endswith("#m1")
    load(desktop, href)
    marks = desktop.find_elements(*by(".body-text mark"))
    assert len(marks) > 5
    assert f"{len(marks)} matches" in desktop.find_element(*by("#match-count")).text
    # the first match is on screen (once the smooth scroll to it has ended)
    wait_for(desktop, lambda d: 0 <= d.execute_script(
        "return document.getElementById('m1').getBoundingClientRect().top") < DESKTOP[1] - 40)
    for expected in (2, 3):
        desktop.find_element(*by("#next-match")).click()
        assert desktop.find_element(*by("#match-position")).text == f"Match {expected} of {len(marks)}"
        assert urlsplit(desktop.current_url).fragment == f"m{expected}"
        assert active_id(desktop) == f"m{expected}"
    desktop.find_element(*by("#prev-match")).click()
    assert desktop.find_element(*by("#match-position")).text == f"Match 2 of {len(marks)}"
    desktop.find_element(*by("#prev-match")).click()
    desktop.find_element(*by("#prev-match")).click()  # before the first: wraps to the last
    assert desktop.find_element(*by("#match-position")).text == f"Match {len(marks)} of {len(marks)}"
    shot(desktop, "11-document-match-navigation")


# ----------------------------------------------------------------------------- 3 / E. near-duplicates
def test_records_with_the_same_title_and_summary_are_one_entry(desktop, base_url):
    load(desktop, f"{base_url}/search?q=%22life+in+prison%22&lang=en")
    titles = [e.text for e in desktop.find_elements(*by(".result h3 a"))]
    assert titles.count("Life in Prison: A Mother's Story") == 1
    group = desktop.find_element(*by(".result-group"))
    copies = group.find_elements(*by(".copies li a"))
    assert len(copies) == 3
    assert {c.text for c in copies} == {"9 December 2019", "2 December 2019", "25 November 2019"}
    shot(desktop, "12-grouped-series")
    copies[2].click()
    wait_for(desktop, lambda d: "/documents/" in d.current_url)
    assert desktop.find_element(*by(".doc-meta time")).text == "25 November 2019"


# ----------------------------------------------------------------------------- 4. phones
@pytest.mark.parametrize("lang", ["en", "km"])
def test_phone_with_a_filter_shows_the_first_result_without_layout_shift(phone, base_url, lang):
    load(phone, f"{base_url}/search?q=rights&organisation=CIVICUS&lang={lang}")
    assert phone.find_element(*by("#filters-panel")).get_attribute("open") is None
    top = phone.execute_script("return document.querySelector('.result').getBoundingClientRect().top")
    assert top < PHONE[1], f"first result at {top}px"
    shift = phone.execute_async_script("""
        const done = arguments[arguments.length - 1]; let sum = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) sum += e.value; })
          .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => done(sum), 400);""")
    assert shift < 0.1, f"cumulative layout shift {shift}"
    for link in phone.find_elements(*by(".ui-lang a")):
        assert link.size["width"] >= 44 and link.size["height"] >= 44, link.size
    assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    shot(phone, f"13-phone-filtered-{lang}")
    phone.find_element(*by("#filters-panel summary")).click()  # one tap opens the filters
    assert phone.find_element(*by("#facet-organisation")).is_displayed()


# ----------------------------------------------------------------------------- 5. keyboard, screen readers
@pytest.mark.parametrize("lang", ["en", "km"])
def test_keyboard_facet_change_puts_focus_on_the_new_count(desktop, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(desktop, f"{base_url}/search?q=rights&lang={lang}")
    box = desktop.find_element(*by("#facet-organisation input[value='CIVICUS']"))
    desktop.execute_script("arguments[0].focus()", box)
    box.send_keys(Keys.SPACE)
    wait_for(desktop, lambda d: "organisation=CIVICUS" in d.current_url)
    wait_for(desktop, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"))
    assert active_id(desktop) == "summary"
    count = desktop.find_element(*by("#summary")).text.split()[0 if lang == "en" else 1]
    assert count in desktop.title  # the title says the new count too
    # the first Tab from there reaches the sort links, then the chips: the results are near
    desktop.switch_to.active_element.send_keys(Keys.TAB)
    assert desktop.switch_to.active_element.get_attribute("data-sort")


def test_arrow_keys_on_the_sort_control_do_not_navigate(desktop, base_url):
    from selenium.webdriver.common.keys import Keys

    load(desktop, f"{base_url}/search?q=rights&lang=en")
    url = desktop.current_url
    newest = desktop.find_element(*by("a[data-sort='date']"))
    desktop.execute_script("arguments[0].focus()", newest)
    newest.send_keys(Keys.ARROW_DOWN)
    assert desktop.current_url == url
    newest.send_keys(Keys.ENTER)
    wait_for(desktop, lambda d: "sort=date" in d.current_url)
    wait_for(desktop, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"))
    assert active_id(desktop) == "summary"
    assert desktop.find_element(*by("a[data-sort='date']")).get_attribute("aria-current") == "true"


# ----------------------------------------------------------------------------- 6. contradictions
def test_a_page_past_the_end_says_so_and_links_to_the_last(desktop, base_url):
    load(desktop, f"{base_url}/search?q=prison&page=999&lang=en")
    notice = desktop.find_element(*by("#past-end")).text
    assert "There is no page 999" in notice and "No publication matches" not in desktop.page_source
    desktop.find_element(*by("#past-end a")).click()
    wait_for(desktop, lambda d: d.find_elements(*by(".result")))


def test_no_results_shows_no_empty_filters(desktop, base_url):
    load(desktop, f"{base_url}/search?q=zzyzxqq&lang=km")
    assert not desktop.find_elements(*by("#filters-panel"))
    shot(desktop, "14-no-results-km")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_browsing_sorts_newest_or_oldest_first(desktop, base_url, lang):
    load(desktop, f"{base_url}/search?lang={lang}")
    labels = [a.get_attribute("data-sort") for a in desktop.find_elements(*by(".sort a"))]
    assert labels == ["date", "oldest"]
    desktop.find_element(*by("a[data-sort='oldest']")).click()
    wait_for(desktop, lambda d: "sort=oldest" in d.current_url)
    wait_for(desktop, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"))
    dates = [t.get_attribute("datetime") for t in desktop.find_elements(*by(".result .meta time"))]
    assert dates == sorted(dates) and dates


def test_the_box_takes_as_much_as_the_server(desktop, base_url):
    from indexer.search import MAX_QUERY_CHARS

    load(desktop, f"{base_url}/?lang=en")
    assert int(desktop.find_element(*by("#q")).get_attribute("maxlength")) == MAX_QUERY_CHARS


@pytest.mark.parametrize("lang", ["en", "km"])
def test_date_range_narrows_and_is_in_the_url(desktop, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(desktop, f"{base_url}/search?lang={lang}")
    desktop.find_element(*by("#year_from")).send_keys("2020")
    box = desktop.find_element(*by("#year_to"))
    box.send_keys("2021", Keys.ENTER)
    wait_for(desktop, lambda d: "year_from=2020" in d.current_url and "year_to=2021" in d.current_url)
    years = {t.get_attribute("datetime")[:4] for t in desktop.find_elements(*by(".result .meta time"))}
    assert years and years <= {"2020", "2021"}
    chip = desktop.find_element(*by(".chips .chip"))
    assert ("2020–2021" if lang == "en" else "២០២០–២០២១") in chip.text
    chip.click()
    wait_for(desktop, lambda d: "year_from" not in d.current_url)


# ----------------------------------------------------------------------------- 7. bilingual polish
def test_khmer_interface_dates_terms_and_one_font_download(desktop, base_url):
    load(desktop, f"{base_url}/search?q=resilience&lang=km")
    terms = desktop.find_elements(*by("#also-searched span[lang]"))
    assert terms and all(t.get_attribute("lang") == "km" for t in terms if RESILIENCE in t.text)
    # underlines of Khmer links sit below the subscript consonants
    offset = desktop.execute_script(
        "return getComputedStyle(document.querySelector('.result article[lang=km] h3 a')).textUnderlineOffset")
    assert offset not in ("auto", "0px"), offset
    load(desktop, f"{base_url}/search?q=prison&lang=km")
    dates = [t.text for t in desktop.find_elements(*by(".result .meta time"))]
    assert dates and all(not any(c.isascii() and c.isdigit() for c in d) for d in dates), dates
    assert any(m in " ".join(dates) for m in ("មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា",
                                                   "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"))
    fonts = desktop.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('Regular.woff2'))")
    assert len(fonts) == 1, fonts


def test_an_english_search_shows_english_dates(desktop, base_url):
    load(desktop, f"{base_url}/search?q=Chea+Chantha&lang=en")
    assert "24 July 2024" in [t.text for t in desktop.find_elements(*by(".result .meta time"))]


@pytest.mark.parametrize("path", ["/search?q=x&sort=sideways", "/export.csv?year=soon"])
@pytest.mark.parametrize("lang", ["en", "km"])
def test_the_400_page_is_in_the_interface_language_and_its_skip_link_lands(desktop, base_url, lang, path):
    from selenium.webdriver.common.keys import Keys

    desktop.get(f"{base_url}{path}&lang={lang}")
    notice = desktop.find_element(*by(".notice.error, .error-page"))
    english = [e.text for e in notice.find_elements(*by("[lang=en]"))]
    if lang == "km":  # English only inside lang=en (the service's own message)
        text = notice.text
        for part in english:
            text = text.replace(part, "")
        assert "sideways" not in text and "soon" not in text and "valid" not in text and "Bad" not in text
    assert "sideways" in " ".join(english) or "soon" in " ".join(english)  # the detail is still there
    desktop.find_element(*by("body")).send_keys(Keys.TAB)
    skip = desktop.switch_to.active_element
    assert skip.get_attribute("class") == "skip-link"
    target = skip.get_attribute("href").split("#")[1]
    assert desktop.find_elements(*by(f"#{target}"))
    shot(desktop, f"15-error-400-{lang}-{path.split('?')[0].strip('/').replace('.', '-')}")


def test_favicon_is_served(desktop, base_url):
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/favicon.ico") as response:
        assert response.status == 200 and response.read(4) == b"\x00\x00\x01\x00"


# ----------------------------------------------------------------------------- C. export links
def test_export_links_carry_the_search_and_its_filters(desktop, base_url):
    load(desktop, f"{base_url}/search?q=prison&organisation=LICADHO&sort=date&page=2&lang=en")
    for fmt in ("csv", "json", "ris", "atom"):
        href = desktop.find_element(*by(f"#export-{fmt}")).get_attribute("href")
        params = parse_qs(urlsplit(href).query)
        assert params["q"] == ["prison"] and params["organisation"] == ["LICADHO"] and "page" not in params
    assert desktop.find_element(*by("link[rel=alternate][type='application/atom+xml']"))
    shot(desktop, "16-export-links")


# ----------------------------------------------------------------------------- F. language versions
@pytest.mark.parametrize("lang", ["en", "km"])
def test_the_english_statement_links_to_its_khmer_version_and_back(desktop, base_url, lang):
    load(desktop, f"{base_url}/search?q=Chea+Chantha&language=en&lang={lang}")
    load(desktop, desktop.find_element(*by(".result h3 a")).get_attribute("href"))
    link = desktop.find_element(*by("#versions a"))
    assert link.find_element(*by("span[lang=km]")).text == "ខ្មែរ"
    link.click()
    wait_for(desktop, lambda d: d.find_element(*by("article")).get_attribute("lang") == "km")
    assert "ជា ចាន់ថា" in desktop.find_element(*by("h1")).text
    assert parse_qs(urlsplit(desktop.current_url).query)["lang"] == [lang]
    back = desktop.find_element(*by("#versions a"))
    assert back.find_element(*by("span[lang=en]")).text == "English"
    shot(desktop, f"18-language-version-{lang}")


# ----------------------------------------------------------------------------- G. print, help
def test_print_shows_the_citation_without_navigation(desktop, base_url):
    load(desktop, f"{base_url}/documents/{KHMER_RESILIENCE_DOC}?q=resilience&lang=en")
    desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not desktop.find_element(*by(".site-header")).is_displayed()
        assert not desktop.find_element(*by("#back-to-results")).is_displayed()
        for css in ("h1", ".citation-org", ".citation-date"):
            assert desktop.find_element(*by(css)).is_displayed()
        shot(desktop, "17-document-print")
    finally:
        desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_query_syntax_help_is_one_click_away(desktop, base_url):
    load(desktop, f"{base_url}/?lang=km")
    help_box = desktop.find_element(*by("#syntax-help"))
    assert help_box.get_attribute("open") is None
    desktop.find_element(*by("#syntax-help summary")).click()
    assert "OR" in help_box.text and "ស្វែងរក" in help_box.text


@pytest.mark.parametrize("lang", ["en", "km"])
def test_suggestions_while_typing_by_keyboard(desktop, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(desktop, f"{base_url}/?lang={lang}")
    box = desktop.find_element(*by("#q"))
    assert box.get_attribute("role") == "combobox"
    box.send_keys("ជា" if lang == "km" else "Chea")
    wait_for(desktop, lambda d: d.find_element(*by("#q")).get_attribute("aria-expanded") == "true")
    options = [o.text for o in desktop.find_elements(*by("#suggest-list [role=option]"))]
    wanted = "ជា ចាន់ថា" if lang == "km" else "Chea Chantha"
    assert options[0] == wanted, options
    status = desktop.find_element(*by("#suggest-status")).get_attribute("textContent")
    assert status.startswith(str(len(options)) if lang == "en" else "ការណែនាំ")
    shot(desktop, f"19-suggestions-{lang}")
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == "suggest-0"
    box.send_keys(Keys.ENTER)
    wait_for(desktop, lambda d: "q=" in d.current_url)
    assert parse_qs(urlsplit(desktop.current_url).query)["q"] == [wanted]


def test_escape_closes_suggestions_and_enter_searches_what_was_typed(desktop, base_url):
    from selenium.webdriver.common.keys import Keys

    load(desktop, f"{base_url}/?lang=en")
    box = desktop.find_element(*by("#q"))
    box.send_keys("pris")
    wait_for(desktop, lambda d: d.find_element(*by("#q")).get_attribute("aria-expanded") == "true")
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    box.send_keys(Keys.ENTER)
    wait_for(desktop, lambda d: "q=pris" in d.current_url)


# ----------------------------------------------------------------------------- without JavaScript
@pytest.mark.parametrize("lang", ["en", "km"])
def test_every_control_works_without_javascript(desktop, base_url, lang):
    desktop.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        desktop.get(f"{base_url}/search?q=rights&lang={lang}")
        assert "js" not in (desktop.find_element(*by("html")).get_attribute("class") or "")
        desktop.find_element(*by("#facet-organisation input[value='CIVICUS'] + label")).click()
        assert "organisation=" not in desktop.current_url  # nothing happens until the button
        apply = desktop.find_element(*by(".apply-filters"))
        assert apply.text == ("Apply filters" if lang == "en" else "អនុវត្តតម្រង")
        apply.click()
        wait_for(desktop, lambda d: "organisation=CIVICUS" in d.current_url)
        desktop.find_element(*by("a[data-sort='oldest']")).click()  # sorting is a link
        wait_for(desktop, lambda d: "sort=oldest" in d.current_url and "organisation=CIVICUS" in d.current_url)
        desktop.find_element(*by("#year_from")).send_keys("2020")
        desktop.find_element(*by(".apply-range")).click()
        wait_for(desktop, lambda d: "year_from=2020" in d.current_url and "sort=oldest" in d.current_url)
        load_href = desktop.find_element(*by(".result h3 a")).get_attribute("href")
        desktop.get(load_href)
        assert desktop.find_elements(*by(".body-text mark#m1"))
        assert desktop.find_element(*by("#first-match")).get_attribute("href").endswith("#m1")
        assert not desktop.find_element(*by("#match-nav")).is_displayed()  # the buttons need the script
        shot(desktop, f"20-no-javascript-document-{lang}")
    finally:
        desktop.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


# ----------------------------------------------------------------------------- accessibility
AXE_PAGES = {
    "home-en": "/?lang=en",
    "home-km": "/?lang=km",
    "suggestions-en": "/?lang=en",  # with the suggestion list open (typed below)
    "results-en": "/search?q=rights&organisation=LICADHO&lang=en",
    "results-km": f"/search?q={quote(RESILIENCE)}&lang=km",
    "results-grouped": "/search?q=%22life+in+prison%22&lang=en",
    "document-en": f"/documents/{KHMER_RESILIENCE_DOC}?q=resilience&lang=en",
    "document-km": "/search?q=prison&lang=km",  # replaced by the first result below
    "document-versions-km": "/documents/cchr-publications-secktiithlaengkaarnnruam-skmmbhaablook-jaa-caanthaa-9e5ed247?q=Chea+Chantha&lang=km",
    "error-404-km": "/documents/no-such-record?lang=km",
    "error-400-en": "/search?q=x&sort=sideways&lang=en",
    "error-400-export-km": "/export.csv?year=soon&lang=km",
    "no-results-en": "/search?q=zzyzxqq&lang=en",
}


def test_axe_finds_no_violation(driver, base_url):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (`make axe` runs npm ci)")
    driver.set_window_size(*DESKTOP)
    source = AXE.read_text(encoding="utf-8")
    found = {}
    for name, path in AXE_PAGES.items():
        for size in (DESKTOP, PHONE):
            driver.set_window_size(*size)
            driver.get(base_url + path)
            if name == "document-km":
                driver.get(driver.find_element(*by(".result h3 a")).get_attribute("href"))
            if name == "suggestions-en":
                wait_for(driver, lambda d: d.find_element(*by("#q")).get_attribute("role") == "combobox")
                driver.find_element(*by("#q")).send_keys("pri")
                wait_for(driver, lambda d: d.find_element(*by("#q")).get_attribute("aria-expanded") == "true")
            driver.execute_script(source)
            result = driver.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)));")
            violations = json.loads(result)
            if violations:
                found[f"{name}@{size[0]}"] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
                                              for v in violations]
    driver.set_window_size(*DESKTOP)
    assert not found, found
