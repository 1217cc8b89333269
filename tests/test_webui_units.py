"""Web UI building blocks: UI strings (English + Khmer), URL state, and the highlight sanitiser."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, strategies as st
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from webui import i18n
from webui.highlight import safe_body, safe_snippet
from webui.state import SearchState

TEMPLATES = Path(__file__).resolve().parent.parent / "webui" / "templates"
KHMER = re.compile(r"[\u1780-\u17FF]")


# --------------------------------------------------------------------------- i18n
def test_every_ui_string_has_english_and_khmer_text():
    for key, entry in i18n.STRINGS.items():
        assert entry.get("en", "").strip(), key
        assert KHMER.search(entry.get("km", "")), f"{key}: Khmer text missing"
        # The same placeholders in both languages, so formatting never fails in one of them.
        assert set(re.findall(r"{(\w+)}", entry["en"])) == set(re.findall(r"{(\w+)}", entry["km"])), key


def test_every_string_key_used_by_a_template_exists():
    used = set()
    for template in TEMPLATES.iterdir():
        used |= set(re.findall(r"""\bt\(\s*["']([\w ]+)["']\s*[,)]""", template.read_text(encoding="utf-8")))
    assert len(used) > 20, "the templates use no UI string?"
    # Keys built in templates from a prefix: one per facet and per sort order.
    from webui.pages import SORTS
    from webui.state import FACETS

    used |= {f"facet_{name}" for name in FACETS} | {f"sort_{name}" for name in SORTS}
    assert used - set(i18n.STRINGS) == set()


def test_ui_language_comes_from_the_url_first_then_accept_language():
    assert i18n.choose_language("km", [("en", 1.0)]) == "km"
    assert i18n.choose_language(None, [("km-KH", 1.0), ("en", 0.8)]) == "km"
    assert i18n.choose_language(None, [("fr", 1.0), ("km", 0.5), ("en", 0.3)]) == "km"
    assert i18n.choose_language(None, [("fr", 1.0)]) == "en"
    assert i18n.choose_language("xx", [("km", 1.0)]) == "km"  # an unsupported lang= falls back, no error
    assert i18n.choose_language("", []) == "en"


def test_numbers_use_khmer_digits_in_khmer_but_the_query_stays_verbatim():
    assert i18n.translate("results_count", "km", total=1234) == "លទ្ធផល ១,២៣៤"
    assert i18n.translate("results_count", "en", total=1234) == "1,234 results"
    assert i18n.translate("results_for", "km", q="UPR 2019") == "លទ្ធផលសម្រាប់ «UPR 2019»"
    assert i18n.language_label("km", "km") == "ខ្មែរ"
    assert i18n.language_label("mixed", "en") == "Khmer and English"
    assert i18n.language_label("fr", "en") == "Other language"


# --------------------------------------------------------------------------- URL state
def test_state_reads_filters_and_keeps_the_ui_language_in_every_link():
    args = MultiDict([("q", " ភាពធន់ "), ("organisation", "LICADHO"), ("organisation", "CCHR"),
                      ("organisation", "LICADHO"), ("organisation", " "), ("page", "3"), ("lang", "km")])
    state = SearchState.from_args(args, "km")
    assert state.q == "ភាពធន់"
    assert state.filters == {"organisation": ("LICADHO", "CCHR")}
    assert state.search_params().getlist("organisation") == ["LICADHO", "CCHR"]
    assert "lang" not in state.search_params()
    assert state.query_string().endswith("lang=km")
    # a language the browser chose (no lang= in the URL) stays out of links: a shared link opens
    # in the recipient's language
    chosen = SearchState.from_args(MultiDict([("q", "land")]), "km")
    assert "lang" not in chosen.query_string() and chosen.with_lang("en").query_string().endswith("lang=en")
    assert "page=3" in state.query_string()


def test_toggling_a_filter_adds_or_removes_it_and_returns_to_page_one():
    state = SearchState(q="land", filters={"organisation": ("LICADHO",)}, page="4", lang="en")
    added = state.toggled("organisation", "CCHR")
    assert added.filters["organisation"] == ("LICADHO", "CCHR") and added.page == ""
    removed = added.without("organisation", "LICADHO")
    assert removed.filters == {"organisation": ("CCHR",)}
    assert state.toggled("organisation", "LICADHO").filters == {}
    assert state.toggled("year", "2019", exclusive=True).toggled("year", "2020", exclusive=True).filters["year"] == ("2020",)
    assert state.cleared().filters == {} and state.cleared().q == "land"


# --------------------------------------------------------------------------- highlight sanitiser
def test_snippet_keeps_marks_and_shows_everything_else_as_text():
    service_snippet = "… &lt;script&gt;alert(1)&lt;/script&gt; <mark>ភាពធន់</mark> &amp; land …"
    assert safe_snippet(service_snippet) == service_snippet
    # Even if raw markup slipped through upstream, it is escaped, not rendered.
    assert safe_snippet('<script>x</script><mark>a</mark><img src=x onerror=alert(1)>') == (
        "&lt;script&gt;x&lt;/script&gt;<mark>a</mark>&lt;img src=x onerror=alert(1)&gt;")
    assert safe_snippet("</mark>a<mark>b") == "a<mark>b</mark>"  # unbalanced marks are repaired
    assert safe_snippet('<mark onclick="x">a</mark>') == "&lt;mark onclick=&#34;x&#34;&gt;a"


def test_body_keeps_paragraphs_and_line_breaks_only():
    assert safe_body("<p>one<br>two</p><p><mark>x</mark></p>") == "<p>one<br>two</p><p><mark>x</mark></p>"
    assert safe_body("<p><a href='javascript:x'>y</a></p>") == "<p>&lt;a href=&#39;javascript:x&#39;&gt;y&lt;/a&gt;</p>"


@given(st.text())
def test_any_escaped_text_comes_back_as_the_same_text_with_no_tags(text):
    out = str(safe_snippet(str(escape(text))))
    assert "<" not in out.replace("<mark>", "").replace("</mark>", "")
    assert out == str(escape(text))
