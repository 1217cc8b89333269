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


def as_desktop(driver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(*DESKTOP)
    driver.view = "desktop"


def as_phone(driver) -> None:
    """A 375x812 px phone viewport (Chrome's device emulation: layout width 375 px exactly, overlay
    scrollbars, 2 device pixels a CSS pixel), as the phones the issue was found on."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 2, "mobile": True})
    driver.view = "phone"


@pytest.fixture
def desktop(driver):
    as_desktop(driver)
    return driver


@pytest.fixture(params=["desktop", "phone"])
def view(request, driver):
    """The browser at desktop width, then at phone width (375 px): each test runs at both."""
    (as_desktop if request.param == "desktop" else as_phone)(driver)
    yield driver
    as_desktop(driver)


def by(css):
    from selenium.webdriver.common.by import By

    return By.CSS_SELECTOR, css


def shot(d, name: str) -> None:
    """A screenshot of the page state, named with the width it was taken at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    d.save_screenshot(str(ARTIFACTS / f"{name}-{getattr(d, 'view', 'desktop')}.png"))


def open_filters(d, keyboard: bool = False) -> None:
    """Phones fold the filter panel: open it as a user would (a tap, or Enter on its summary)."""
    from selenium.webdriver.common.keys import Keys

    panel = d.find_element(*by("#filters-panel"))
    if panel.get_attribute("open") is None:
        summary = panel.find_element(*by("summary"))
        if keyboard:
            d.execute_script("arguments[0].focus()", summary)
            summary.send_keys(Keys.ENTER)
        else:
            summary.click()
        wait_for(d, lambda x: panel.get_attribute("open") is not None)


def mark_in_view(d, mark_id: str) -> bool:
    """The mark is on screen and not under the sticky match bar."""
    return d.execute_script("""
        const m = document.getElementById(arguments[0]).getBoundingClientRect();
        const bar = document.getElementById('match-bar').getBoundingClientRect();
        return m.height > 0 && m.top >= bar.bottom - 1 && m.bottom <= window.innerHeight;""", mark_id)


def t(key, lang, **values) -> str:
    from webui.i18n import translate

    return translate(key, lang, **values)


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
def test_back_shows_the_filters_the_url_has(view, base_url, lang):
    load(view, f"{base_url}/search?q=rights&lang={lang}")
    unfiltered = total(view)
    box = view.find_element(*by("#facet-organisation input[value='CIVICUS']"))
    assert not box.is_selected()
    open_filters(view)
    view.find_element(*by("#facet-organisation input[value='CIVICUS'] + label")).click()
    wait_for(view, lambda d: "organisation=CIVICUS" in d.current_url)
    filtered = total(view)
    assert filtered != unfiltered
    view.back()
    wait_for(view, lambda d: "organisation=" not in d.current_url)
    wait_for(view, lambda d: d.execute_script("return document.readyState") == "complete")
    # the box shows what the URL says (unticked), not the state the browser restored
    assert not view.find_element(*by("#facet-organisation input[value='CIVICUS']")).is_selected()
    assert total(view) == unfiltered
    shot(view, f"21-after-back-{lang}")
    # and ticking it applies the filter (not "unticking" it)
    open_filters(view)
    view.find_element(*by("#facet-organisation input[value='CIVICUS'] + label")).click()
    wait_for(view, lambda d: "organisation=CIVICUS" in d.current_url)
    assert view.find_element(*by("#facet-organisation input[value='CIVICUS']")).is_selected()


# ----------------------------------------------------------------------------- 2 / B. matches in a document
@pytest.mark.parametrize("lang", ["en", "km"])
def test_an_english_query_marks_the_lexicon_match_in_the_khmer_version(view, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(view, f"{base_url}/search?q=resilience&lang={lang}")
    link = view.find_element(*by(f"a[href*='{KHMER_RESILIENCE_DOC}']"))
    load(view, link.get_attribute("href"))
    marks = view.find_elements(*by(".body-text mark"))
    assert marks and all(RESILIENCE in m.text for m in marks)
    assert urlsplit(view.current_url).fragment == "m1"  # the page opened at the first match
    wait_for(view, lambda d: mark_in_view(d, "m1"))
    count = view.find_element(*by("#match-count")).text
    assert t("match_count_one", lang) in count
    # keyboard: Tab reaches "next match", Enter moves to it and the position is announced
    nxt = view.find_element(*by("#next-match"))
    view.execute_script("document.getElementById('prev-match').focus()")
    view.switch_to.active_element.send_keys(Keys.TAB)
    while view.switch_to.active_element != nxt:
        view.switch_to.active_element.send_keys(Keys.TAB)
    nxt.send_keys(Keys.ENTER)
    position = view.find_element(*by("#match-position"))
    assert position.get_attribute("aria-live") == "polite"
    assert position.text == t("match_position", lang, i=1, n=1)
    assert mark_in_view(view, "m1")
    shot(view, f"10-document-lexicon-match-{lang}")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_long_report_counts_its_matches_and_steps_through_them(view, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(view, f"{base_url}/search?q=prison&lang={lang}")
    href = view.find_element(*by("a[href*='licadho-report-children-of-imprisoned-mothers']")).get_attribute("href")
    assert href.endswith("#m1")
    load(view, href)
    marks = view.find_elements(*by(".body-text mark"))
    n = len(marks)
    assert n > 5
    assert t("match_count", lang, n=n) in view.find_element(*by("#match-count")).text
    # the first match is on screen, clear of the sticky match bar
    wait_for(view, lambda d: mark_in_view(d, "m1"))
    for expected in (2, 3):
        view.find_element(*by("#next-match")).click()
        assert view.find_element(*by("#match-position")).text == t("match_position", lang, i=expected, n=n)
        assert urlsplit(view.current_url).fragment == f"m{expected}"
        assert active_id(view) == f"m{expected}"
        wait_for(view, lambda d: mark_in_view(d, f"m{expected}"))
    view.find_element(*by("#prev-match")).click()
    assert view.find_element(*by("#match-position")).text == t("match_position", lang, i=2, n=n)
    view.find_element(*by("#prev-match")).click()
    view.find_element(*by("#prev-match")).click()  # before the first: wraps to the last
    assert view.find_element(*by("#match-position")).text == t("match_position", lang, i=n, n=n)
    wait_for(view, lambda d: mark_in_view(d, f"m{n}"))
    # keyboard only: Enter on "next" from the last wraps to the first
    view.execute_script("document.getElementById('next-match').focus()")
    view.switch_to.active_element.send_keys(Keys.ENTER)
    assert view.find_element(*by("#match-position")).text == t("match_position", lang, i=1, n=n)
    wait_for(view, lambda d: mark_in_view(d, "m1"))
    shot(view, f"11-document-match-navigation-{lang}")


# ----------------------------------------------------------------------------- 3 / E. near-duplicates
@pytest.mark.parametrize("lang", ["en", "km"])
def test_records_with_the_same_title_and_summary_are_one_entry(view, base_url, lang):
    load(view, f"{base_url}/search?q=%22life+in+prison%22&lang={lang}")
    titles = [e.text for e in view.find_elements(*by(".result h3 a"))]
    assert titles.count("Life in Prison: A Mother's Story") == 1
    group = view.find_element(*by(".result-group"))
    assert t("same_publication", lang, n=3) in group.text
    copies = group.find_elements(*by(".copies li a"))
    assert len(copies) == 3
    dates = [c.find_element(*by("time")).get_attribute("datetime") for c in copies]
    assert dates == ["2019-12-09", "2019-12-02", "2019-11-25"]
    from webui.i18n import format_date

    assert [c.text for c in copies] == [format_date(d, lang) for d in dates]
    shot(view, f"12-grouped-series-{lang}")
    copies[2].click()
    wait_for(view, lambda d: "/documents/" in d.current_url)
    assert view.find_element(*by(".doc-meta time")).get_attribute("datetime") == "2019-11-25"


# ----------------------------------------------------------------------------- 4. phones
@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_filtered_search_shows_the_first_result_without_layout_shift(view, base_url, lang):
    load(view, f"{base_url}/search?q=rights&organisation=CIVICUS&lang={lang}")
    height = view.execute_script("return window.innerHeight")
    panel_open = view.find_element(*by("#filters-panel")).get_attribute("open") is not None
    assert panel_open == (view.view == "desktop")  # folded on phones, open beside the results on desktops
    top = view.execute_script("return document.querySelector('.result').getBoundingClientRect().top")
    assert top < height, f"first result at {top}px"
    shift = view.execute_async_script("""
        const done = arguments[arguments.length - 1]; let sum = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) sum += e.value; })
          .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => done(sum), 400);""")
    assert shift < 0.1, f"cumulative layout shift {shift}"
    for link in view.find_elements(*by(".ui-lang a")):
        assert link.size["width"] >= 44 and link.size["height"] >= 44, link.size
    assert view.execute_script("return document.documentElement.scrollWidth") <= view.execute_script(
        "return window.innerWidth")
    shot(view, f"13-filtered-{lang}")
    if view.view == "phone":
        view.find_element(*by("#filters-panel summary")).click()  # one tap opens the filters
        assert view.find_element(*by("#facet-organisation")).is_displayed()
        shot(view, f"13-filtered-filters-open-{lang}")


# ----------------------------------------------------------------------------- 5. keyboard, screen readers
@pytest.mark.parametrize("lang", ["en", "km"])
def test_keyboard_facet_change_puts_focus_on_the_new_count(view, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(view, f"{base_url}/search?q=rights&lang={lang}")
    open_filters(view, keyboard=True)
    box = view.find_element(*by("#facet-organisation input[value='CIVICUS']"))
    view.execute_script("arguments[0].focus()", box)
    box.send_keys(Keys.SPACE)
    wait_for(view, lambda d: "organisation=CIVICUS" in d.current_url)
    wait_for(view, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"))
    assert active_id(view) == "summary"
    summary = view.find_element(*by("#summary"))
    assert summary.get_attribute("role") == "status"
    count = summary.text.split()[0 if lang == "en" else 1]
    assert count in view.title  # the title says the new count too
    assert view.execute_script("const r = document.activeElement.getBoundingClientRect();"
                               "return r.top >= 0 && r.bottom <= window.innerHeight")  # scrolled to it
    # the first Tab from there reaches the sort links, then the chips: the results are near
    view.switch_to.active_element.send_keys(Keys.TAB)
    assert view.switch_to.active_element.get_attribute("data-sort")
    shot(view, f"22-keyboard-focus-on-count-{lang}")
    # Enter on the chip (keyboard only) removes the filter, focus again on the count
    chip = view.find_element(*by(".chips .chip"))
    view.execute_script("arguments[0].focus()", chip)
    chip.send_keys(Keys.ENTER)
    wait_for(view, lambda d: "organisation=" not in d.current_url)
    wait_for(view, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"))
    assert active_id(view) == "summary"


@pytest.mark.parametrize("lang", ["en", "km"])
def test_arrow_keys_on_the_sort_control_do_not_navigate(view, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(view, f"{base_url}/search?q=rights&lang={lang}")
    url = view.current_url
    newest = view.find_element(*by("a[data-sort='date']"))
    assert newest.text == t("sort_date", lang)
    view.execute_script("arguments[0].focus()", newest)
    newest.send_keys(Keys.ARROW_DOWN)
    newest.send_keys(Keys.ARROW_UP)
    assert view.current_url == url
    newest.send_keys(Keys.ENTER)
    wait_for(view, lambda d: "sort=date" in d.current_url)
    wait_for(view, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"))
    assert active_id(view) == "summary"
    assert view.find_element(*by("a[data-sort='date']")).get_attribute("aria-current") == "true"
    dates = [t_.get_attribute("datetime") for t_ in view.find_elements(*by(".result .meta time"))]
    assert dates == sorted(dates, reverse=True) and dates


# ----------------------------------------------------------------------------- 6. contradictions
@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_page_past_the_end_says_so_and_links_to_the_last(view, base_url, lang):
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/api/search?q=prison") as response:
        found = json.load(response)["total"]
    load(view, f"{base_url}/search?q=prison&page=999&lang={lang}")
    last = int(parse_qs(urlsplit(view.find_element(*by("#past-end a")).get_attribute("href")).query)["page"][0])
    assert last == -(-found // 10)
    notice = view.find_element(*by("#past-end p")).text
    assert notice == t("past_end", lang, page=999, total=found, last=last)
    assert t("no_results", lang) not in view.page_source
    # the count agrees with the notice
    assert view.find_element(*by("#summary")).text.startswith(t("results_count", lang, total=found))
    shot(view, f"23-past-the-end-{lang}")
    view.find_element(*by("#past-end a")).click()
    wait_for(view, lambda d: d.find_elements(*by(".result")))
    assert "page=" in view.current_url


@pytest.mark.parametrize("lang", ["en", "km"])
def test_no_results_shows_no_empty_filters(view, base_url, lang):
    load(view, f"{base_url}/search?q=zzyzxqq&lang={lang}")
    assert not view.find_elements(*by("#filters-panel"))
    assert t("no_results", lang) in view.find_element(*by("#results")).text
    assert not view.find_elements(*by("#export"))  # nothing to export
    shot(view, f"14-no-results-{lang}")
    # with a filter active the panel stays, so the filter can be removed
    load(view, f"{base_url}/search?q=zzyzxqq&organisation=LICADHO&lang={lang}")
    assert view.find_elements(*by(".chips .chip"))


@pytest.mark.parametrize("lang", ["en", "km"])
def test_browsing_sorts_newest_or_oldest_first(view, base_url, lang):
    load(view, f"{base_url}/search?lang={lang}")
    labels = [a.get_attribute("data-sort") for a in view.find_elements(*by(".sort a"))]
    assert labels == ["date", "oldest"]
    view.find_element(*by("a[data-sort='oldest']")).click()
    wait_for(view, lambda d: "sort=oldest" in d.current_url)
    wait_for(view, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"))
    dates = [e.get_attribute("datetime") for e in view.find_elements(*by(".result .meta time"))]
    assert dates == sorted(dates) and dates
    shot(view, f"24-browse-oldest-first-{lang}")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_the_box_takes_as_much_as_the_server(view, base_url, lang):
    from indexer.search import MAX_QUERY_CHARS

    load(view, f"{base_url}/?lang={lang}")
    assert int(view.find_element(*by("#q")).get_attribute("maxlength")) == MAX_QUERY_CHARS
    shot(view, f"25-home-{lang}")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_date_range_narrows_and_is_in_the_url(view, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(view, f"{base_url}/search?lang={lang}")
    open_filters(view)
    view.find_element(*by("#year_from")).send_keys("2020")
    box = view.find_element(*by("#year_to"))
    box.send_keys("2021", Keys.ENTER)
    wait_for(view, lambda d: "year_from=2020" in d.current_url and "year_to=2021" in d.current_url)
    years = {e.get_attribute("datetime")[:4] for e in view.find_elements(*by(".result .meta time"))}
    assert years and years <= {"2020", "2021"}
    chip = view.find_element(*by(".chips .chip"))
    assert ("2020–2021" if lang == "en" else "២០២០–២០២១") in chip.text
    shot(view, f"26-date-range-{lang}")
    chip.click()
    wait_for(view, lambda d: "year_from" not in d.current_url)


# ----------------------------------------------------------------------------- 7. bilingual polish
def test_khmer_interface_dates_terms_and_one_font_download(view, base_url):
    load(view, f"{base_url}/search?q=resilience&lang=km")
    terms = view.find_elements(*by("#also-searched span[lang]"))
    assert terms and all(e.get_attribute("lang") == "km" for e in terms if RESILIENCE in e.text)
    assert all(e.get_attribute("lang") == "en" for e in terms if e.text.isascii())
    # underlines of Khmer links sit below the subscript consonants
    offset = view.execute_script(
        "return getComputedStyle(document.querySelector('.result article[lang=km] h3 a')).textUnderlineOffset")
    assert offset not in ("auto", "0px"), offset
    load(view, f"{base_url}/search?q=prison&lang=km")
    dates = [e.text for e in view.find_elements(*by(".result .meta time"))]
    assert dates and all(not any(c.isascii() and c.isdigit() for c in d) for d in dates), dates
    assert any(m in " ".join(dates) for m in ("មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា",
                                                   "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"))
    fonts = view.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('Regular.woff2'))")
    assert len(fonts) == 1, fonts
    shot(view, "27-results-km-dates")


def test_a_shared_link_opens_in_the_language_of_whoever_opens_it(view, base_url):
    """Links carry lang= only when the URL chose it: a reader whose browser asks for Khmer browses in
    Khmer without lang= in any link, and the link she copies opens in English for an English reader."""
    agent = view.execute_script("return navigator.userAgent")
    try:
        view.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": "km-KH,km"})
        load(view, f"{base_url}/")
        assert view.find_element(*by("html")).get_attribute("lang") == "km"
        view.find_element(*by("#q")).send_keys("prison\n")
        wait_for(view, lambda d: "q=prison" in d.current_url)
        wait_for(view, lambda d: d.execute_script("return document.documentElement.classList.contains('ready')"))
        assert view.find_element(*by("html")).get_attribute("lang") == "km"
        hrefs = [a.get_attribute("href") for a in view.find_elements(*by(
            ".result h3 a, .sort a, .pagination a, #export a, input[data-toggle-url]"))]
        hrefs += [i.get_attribute("data-toggle-url") for i in view.find_elements(*by("input[data-toggle-url]"))]
        assert hrefs and not [h for h in hrefs if h and "lang=" in h]
        shared = view.current_url
        view.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": "en-GB,en"})
        load(view, shared)
        assert view.find_element(*by("html")).get_attribute("lang") == "en"
        assert view.find_element(*by("#summary")).text.split()[1].startswith("result")
    finally:
        view.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": agent, "acceptLanguage": "en-US,en"})


@pytest.mark.parametrize("lang", ["en", "km"])
@pytest.mark.parametrize("path", ["/", "/search?q=resilience", "/search?q=prison&organisation=LICADHO"])
def test_every_khmer_font_face_a_page_uses_is_preloaded_once(view, base_url, lang, path):
    """A face fetched only once layout finds Khmer text swaps in after the first paint and moves the
    text below it; preloaded, it arrives with the stylesheet. Each face is downloaded once."""
    load(view, f"{base_url}{path}{'&' if '?' in path else '?'}lang={lang}")
    wait_for(view, lambda d: d.execute_script("return document.fonts.status === 'loaded'"))
    # the faces the page draws Khmer letters with (the placeholder included), by weight
    used = set(view.execute_script("""
        const faces = new Set(), walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const face = el => +getComputedStyle(el).fontWeight >= 600 ? 'Bold' : 'Regular';
        while (walker.nextNode()) {
          const node = walker.currentNode;
          if (/[\u1780-\u17ff]/.test(node.data) && node.parentElement.getClientRects().length)
            faces.add(face(node.parentElement));
        }
        const box = document.getElementById('q');
        if (/[\u1780-\u17ff]/.test(box.placeholder)) faces.add(face(box));
        return [...faces].map(f => '/static/fonts/NotoSansKhmer-' + f + '.woff2');"""))
    assert "/static/fonts/NotoSansKhmer-Regular.woff2" in used
    preloaded = {urlsplit(link.get_attribute("href")).path
                 for link in view.find_elements(*by("link[rel=preload][as=font]"))}
    assert used <= preloaded, used - preloaded
    downloads = view.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.woff2'))")
    assert len(downloads) == len(set(downloads)), downloads  # the preload and the stylesheet share one


def test_an_english_search_shows_english_dates(view, base_url):
    load(view, f"{base_url}/search?q=Chea+Chantha&lang=en")
    assert "24 July 2024" in [e.text for e in view.find_elements(*by(".result .meta time"))]


@pytest.mark.parametrize("path", ["/search?q=x&sort=sideways", "/export.csv?year=soon"])
@pytest.mark.parametrize("lang", ["en", "km"])
def test_the_400_page_is_in_the_interface_language_and_its_skip_link_lands(view, base_url, lang, path):
    from selenium.webdriver.common.keys import Keys

    view.get(f"{base_url}{path}&lang={lang}")
    notice = view.find_element(*by(".notice.error, .error-page"))
    english = [e.text for e in notice.find_elements(*by("[lang=en]"))]
    if lang == "km":  # English only inside lang=en (the service's own message)
        text = notice.text
        for part in english:
            text = text.replace(part, "")
        assert "sideways" not in text and "soon" not in text and "valid" not in text and "Bad" not in text
    assert "sideways" in " ".join(english) or "soon" in " ".join(english)  # the detail is still there
    view.find_element(*by("body")).send_keys(Keys.TAB)
    skip = view.switch_to.active_element
    assert skip.get_attribute("class") == "skip-link"
    target = skip.get_attribute("href").split("#")[1]
    assert view.find_elements(*by(f"#{target}"))
    assert view.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    shot(view, f"15-error-400-{lang}-{path.split('?')[0].strip('/').replace('.', '-')}")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_the_404_page_is_in_the_interface_language_and_leads_home(view, base_url, lang):
    view.get(f"{base_url}/documents/no-such-record?lang={lang}")
    page = view.find_element(*by(".error-page"))
    assert view.find_element(*by("html")).get_attribute("lang") == lang
    if lang == "km":
        assert not any(c.isascii() and c.isalpha() for c in page.find_element(*by("h1")).text)
    home = page.find_element(*by("a[href^='/']"))
    assert parse_qs(urlsplit(home.get_attribute("href")).query).get("lang") == [lang]
    assert view.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    shot(view, f"28-error-404-{lang}")
    home.click()
    wait_for(view, lambda d: d.find_elements(*by("#q")))


def test_favicon_is_served(base_url):
    import urllib.request

    with urllib.request.urlopen(f"{base_url}/favicon.ico") as response:
        assert response.status == 200 and response.read(4) == b"\x00\x00\x01\x00"


# ----------------------------------------------------------------------------- C. export links
@pytest.mark.parametrize("lang", ["en", "km"])
def test_export_links_carry_the_search_and_its_filters(view, base_url, lang):
    load(view, f"{base_url}/search?q=prison&organisation=LICADHO&sort=date&page=2&lang={lang}")
    for fmt in ("csv", "json", "ris", "atom"):
        link = view.find_element(*by(f"#export-{fmt}"))
        assert link.text == t(f"export_{fmt}", lang)
        params = parse_qs(urlsplit(link.get_attribute("href")).query)
        assert params["q"] == ["prison"] and params["organisation"] == ["LICADHO"] and "page" not in params
    assert view.find_element(*by("link[rel=alternate][type='application/atom+xml']"))
    view.execute_script("document.getElementById('export').scrollIntoView()")
    shot(view, f"16-export-links-{lang}")


# ----------------------------------------------------------------------------- F. language versions
@pytest.mark.parametrize("lang", ["en", "km"])
def test_the_english_statement_links_to_its_khmer_version_and_back(view, base_url, lang):
    load(view, f"{base_url}/search?q=Chea+Chantha&language=en&lang={lang}")
    load(view, view.find_element(*by(".result h3 a")).get_attribute("href"))
    link = view.find_element(*by("#versions a"))
    assert link.find_element(*by("span[lang=km]")).text == "ខ្មែរ"
    link.click()
    wait_for(view, lambda d: d.find_element(*by("article")).get_attribute("lang") == "km")
    assert "ជា ចាន់ថា" in view.find_element(*by("h1")).text
    assert parse_qs(urlsplit(view.current_url).query)["lang"] == [lang]
    back = view.find_element(*by("#versions a"))
    assert back.find_element(*by("span[lang=en]")).text == "English"
    shot(view, f"18-language-version-{lang}")


# ----------------------------------------------------------------------------- G. print, help
@pytest.mark.parametrize("lang", ["en", "km"])
def test_print_shows_the_citation_without_navigation(desktop, base_url, lang):
    load(desktop, f"{base_url}/documents/{KHMER_RESILIENCE_DOC}?q=resilience&lang={lang}")
    desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for css in (".site-header", "#back-to-results", ".site-footer", "#match-bar .match-nav", "#first-match"):
            assert not desktop.find_element(*by(css)).is_displayed(), css
        for css in ("h1", ".citation-org", ".citation-date", ".doc-meta code", ".body-text mark"):
            assert desktop.find_element(*by(css)).is_displayed(), css
        shot(desktop, f"17-document-print-{lang}")
    finally:
        desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_result_list_prints_each_title_with_its_address_and_no_navigation(desktop, base_url, lang):
    load(desktop, f"{base_url}/search?q=prison&organisation=LICADHO&lang={lang}")
    desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        for css in (".site-header", ".filters", ".chips", ".sort", ".export", ".site-footer"):
            assert not desktop.find_element(*by(css)).is_displayed(), css
        titles = desktop.find_elements(*by(".result h3 a"))
        assert titles and all(a.is_displayed() for a in titles)
        after = desktop.execute_script(
            "return getComputedStyle(document.querySelector('.result h3 a'), '::after').content")
        assert urlsplit(titles[0].get_attribute("href")).path in after, after
        for css in (".result .org", ".result time", "#summary"):
            assert desktop.find_element(*by(css)).is_displayed(), css
        shot(desktop, f"29-results-print-{lang}")
    finally:
        desktop.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.mark.parametrize("lang", ["en", "km"])
def test_query_syntax_help_is_one_click_away(view, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(view, f"{base_url}/?lang={lang}")
    help_box = view.find_element(*by("#syntax-help"))
    assert help_box.get_attribute("open") is None
    summary = view.find_element(*by("#syntax-help summary"))
    assert summary.text == t("syntax_help", lang)
    view.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)  # keyboard only
    assert help_box.get_attribute("open") is not None
    assert "OR" in help_box.text and t("syntax_phrase", lang)[:8] in help_box.text
    shot(view, f"30-syntax-help-{lang}")
    summary.click()
    assert help_box.get_attribute("open") is None


@pytest.mark.parametrize("lang", ["en", "km"])
def test_suggestions_while_typing_by_keyboard(view, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(view, f"{base_url}/?lang={lang}")
    box = view.find_element(*by("#q"))
    assert box.get_attribute("role") == "combobox"
    box.send_keys("ជា" if lang == "km" else "Chea")
    wait_for(view, lambda d: d.find_element(*by("#q")).get_attribute("aria-expanded") == "true")
    options = [o.text for o in view.find_elements(*by("#suggest-list [role=option]"))]
    wanted = "ជា ចាន់ថា" if lang == "km" else "Chea Chantha"
    assert options[0] == wanted, options
    status = view.find_element(*by("#suggest-status")).get_attribute("textContent")
    assert status == t("suggestions_count", lang, n=len(options))
    assert view.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    shot(view, f"19-suggestions-{lang}")
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == "suggest-0"
    box.send_keys(Keys.ENTER)
    wait_for(view, lambda d: "q=" in d.current_url)
    assert parse_qs(urlsplit(view.current_url).query)["q"] == [wanted]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_escape_closes_suggestions_and_enter_searches_what_was_typed(view, base_url, lang):
    from selenium.webdriver.common.keys import Keys

    load(view, f"{base_url}/?lang={lang}")
    box = view.find_element(*by("#q"))
    box.send_keys("pris")
    wait_for(view, lambda d: d.find_element(*by("#q")).get_attribute("aria-expanded") == "true")
    box.send_keys(Keys.ESCAPE)
    assert box.get_attribute("aria-expanded") == "false"
    box.send_keys(Keys.ENTER)
    wait_for(view, lambda d: "q=pris" in d.current_url)


# ----------------------------------------------------------------------------- without JavaScript
@pytest.mark.parametrize("lang", ["en", "km"])
def test_every_control_works_without_javascript(view, base_url, lang):
    view.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        view.get(f"{base_url}/search?q=rights&lang={lang}")
        assert "js" not in (view.find_element(*by("html")).get_attribute("class") or "")
        # without the script the filters are open, also on a phone
        assert view.find_element(*by("#facet-organisation")).is_displayed()
        view.find_element(*by("#facet-organisation input[value='CIVICUS'] + label")).click()
        assert "organisation=" not in view.current_url  # nothing happens until the button
        apply = view.find_element(*by(".apply-filters"))
        assert apply.text == t("apply_filters", lang)
        apply.click()
        wait_for(view, lambda d: "organisation=CIVICUS" in d.current_url)
        view.find_element(*by("a[data-sort='oldest']")).click()  # sorting is a link
        wait_for(view, lambda d: "sort=oldest" in d.current_url and "organisation=CIVICUS" in d.current_url)
        view.find_element(*by("#year_from")).send_keys("2020")
        view.find_element(*by(".apply-range")).click()
        wait_for(view, lambda d: "year_from=2020" in d.current_url and "sort=oldest" in d.current_url)
        shot(view, f"20-no-javascript-results-{lang}")
        load_href = view.find_element(*by(".result h3 a")).get_attribute("href")
        view.get(load_href)
        assert view.find_elements(*by(".body-text mark#m1"))
        wait_for(view, lambda d: mark_in_view(d, "m1"))  # opened at the first match, clear of the bar
        assert view.find_element(*by("#first-match")).get_attribute("href").endswith("#m1")
        assert not view.find_element(*by("#match-nav")).is_displayed()  # the buttons need the script
        shot(view, f"20-no-javascript-document-{lang}")
    finally:
        view.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


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
    source = AXE.read_text(encoding="utf-8")
    found = {}
    for name, path in AXE_PAGES.items():
        for size in (DESKTOP, PHONE):
            (as_desktop if size == DESKTOP else as_phone)(driver)
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
    as_desktop(driver)
    assert not found, found
