"""What the search and document pages show beyond the service's JSON: sort links, the date-range
chip, the page title, the past-the-end notice, export links, near-duplicate groups, numbered matches.

Pure functions of the search state and the service's result; URLs come from the caller's `url`
function so every link keeps the UI language and the expansion setting."""
from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup

from webui import i18n
from webui.highlight import safe_body
from webui.state import SearchState

EXPORT_FORMATS = ("csv", "json", "ris", "atom")
_MARK = re.compile(r"<mark>")


def sort_links(state: SearchState, sorts, current: str, url: Callable[[SearchState], str]) -> list[dict]:
    """One link per sort order (a link, not a menu: choosing never submits anything by itself)."""
    return [{"value": sort, "label": i18n.translate(f"sort_{sort}", state.lang),
             "url": url(state.with_sort(sort)), "current": sort == current} for sort in sorts]


def range_chips(state: SearchState, url: Callable[[SearchState], str]) -> list[dict]:
    """The date range as one removable chip ("Years: 2019–2021", "Years: 2019–")."""
    if not state.has_range():
        return []
    label = i18n.localise_digits(f"{state.year_from}–{state.year_to}", state.lang)
    return [{"facet": "year", "label": label, "url": url(state.without_range()), "range": True}]


def page_extras(state: SearchState, result: dict, pagination: dict,
                url: Callable[[str, SearchState], str]) -> dict:
    """Title, past-the-end notice, whether to show facets, also-searched terms with their language,
    and the export/feed links of this search (every page of it, the same filters)."""
    lang, total = state.lang, result.get("total", 0)
    if state.q:
        title = i18n.translate("title_results", lang, q=state.q, total=total)
    else:
        title = i18n.translate("title_browse", lang, total=total)
    past_end = bool(total) and result.get("page", 1) > pagination["last"]
    everything = state.with_page(1)
    return {
        "page_title": title,
        "past_end": past_end,
        "last_page_url": url("pages.search", state.with_page(pagination["last"])) if past_end else None,
        # facets of an empty result are empty: show them only when there is something to narrow, or
        # a filter to remove
        "show_facets": bool(total) or bool(state.active_filters()) or state.has_range(),
        "also_searched_terms": [{"text": term, "lang": i18n.script_language(term)}
                                for term in result.get("also_searched") or []],
        "export_links": {fmt: url(f"export.export_{fmt}", everything) for fmt in EXPORT_FORMATS},
    }


def group_results(views: list[dict]) -> list[dict]:
    """Results of one page with near-duplicates (same `group` key) folded into the first of them:
    it gains `copies`, every record of the group (itself first), each with its own link."""
    out: list[dict] = []
    by_key: dict[str, dict] = {}
    for view in views:
        key = view.get("group")
        if key and key in by_key:
            by_key[key]["copies"].append(view)
            continue
        view = dict(view, copies=[view])
        if key:
            by_key[key] = view
        out.append(view)
    return out


def numbered_body(body_html: str | None) -> tuple[Markup, int]:
    """The sanitised document body with each match given an id (m1, m2, ...), and how many."""
    safe = str(safe_body(body_html))
    count = 0

    def number(_match) -> str:
        nonlocal count
        count += 1
        return f'<mark id="m{count}">'

    return Markup(_MARK.sub(number, safe)), count
