"""HTML pages: the search page, the document page and the OpenSearch description."""
from __future__ import annotations

import math

from flask import Blueprint, current_app, g, make_response, render_template, request, url_for

from webui import i18n, present
from webui.errors import bad_parameter_fields, render_error
from webui.originals import original_url
from webui.searching import repeatable, service, timed_search
from webui.state import FACETS, SearchState

pages = Blueprint("pages", __name__)

SORTS = ("relevance", "date", "oldest")
BROWSE_SORTS = ("date", "oldest")  # without a query there is no relevance: newest or oldest first
PAGE_WINDOW = 2  # page links shown either side of the current page


def _state() -> SearchState:
    return SearchState.from_args(request.args, g.lang)


def expansion_on() -> bool:
    """Whether this request searches lexicon expansions (on unless `expand` is 0/false/no/off)."""
    return request.args.get("expand", "").strip().lower() not in ("0", "false", "no", "off")


def typos_on() -> bool:
    """Whether this request searches typo alternatives (on unless `typos` is 0/false/no/off)."""
    return request.args.get("typos", "").strip().lower() not in ("0", "false", "no", "off")


def _url(endpoint: str, state: SearchState, *, expand: bool | None = None, typos: bool | None = None,
         **values) -> str:
    """A link for `state`; it keeps expansion (typo alternatives) off when this request turned it
    off, or `expand` (`typos`) says."""
    expand = expansion_on() if expand is None else expand
    tail = "" if expand else "&expand=0"
    tail += "" if (typos_on() if typos is None else typos) else "&typos=0"
    return f"{url_for(endpoint, **values)}?{state.query_string()}{tail}"


def facet_label(facet: str, value: str, lang: str) -> str:
    """How a facet value is shown: Khmer doc-type names, language names, Khmer digits for years."""
    if facet == "doc_type":
        from reading.model import doc_type_label

        return doc_type_label(value, lang)
    if facet == "language":
        return i18n.language_label(value, lang)
    if facet == "year":
        return i18n.localise_digits(value, lang)
    return value


def date_source_label(date_source: str | None, lang: str) -> str:
    """Where a document's date came from, in the UI language (unknown values shown as given)."""
    key = f"date_source_{date_source}"
    return i18n.translate(key, lang) if key in i18n.STRINGS else (date_source or i18n.translate("unknown", lang))


@pages.get("/")
@pages.get("/search")
def search():
    from indexer.search import BadParameter

    state = _state()
    lang = state.lang
    error = None
    params = state.search_params()
    for flag in ("expand", "typos"):
        if flag in request.args:
            params.setlist(flag, request.args.getlist(flag))
    try:
        result, elapsed_ms = timed_search(params)
    except BadParameter as exc:
        name, message = bad_parameter_fields(exc)
        error = {"parameter": name, "message": message}
        result, elapsed_ms = None, 0.0

    context = {
        "state": state,
        "error": error,
        "result": result,
        "took_ms": _took_ms(result, elapsed_ms),
        "lang_links": {code: _url("pages.search", state.with_lang(code)) for code in i18n.LANGUAGES},
        "form_action": url_for("pages.search"),
        "sorts": SORTS,
        "current_sort": state.sort or ("relevance" if state.q else "date"),
        "chips": [
            {"facet": facet, "label": facet_label(facet, value, lang),
             "url": _url("pages.search", state.without(facet, value))}
            for facet, value in state.active_filters()
        ] + present.range_chips(state, lambda st: _url("pages.search", st)),
        "clear_url": _url("pages.search", state.cleared()),
    }
    context["sort_links"] = present.sort_links(
        state, SORTS if state.q else BROWSE_SORTS, context["current_sort"],
        lambda st: _url("pages.search", st))
    if result is not None:
        context.update(
            facets=_facet_panel(state, result.get("facets") or {}),
            results=[_result_view(state, item) for item in result.get("results", [])],
            pagination=_pagination(state, result),
            suggestion_url=(_url("pages.search", state.with_query(result["suggestion"]), typos=True)
                            if result.get("suggestion") else None),
            also_searched=result.get("also_searched") or [],
            expand_on=result.get("expand", True),
            # the same search with expansion switched the other way (page 1: the totals change)
            toggle_expand_url=_url("pages.search", state.with_page(1),
                                   expand=not result.get("expand", True)),
            matched_any=result.get("matched") == "any",
            # "Showing results for <corrected> · Search instead for <original>" (typo alternatives)
            corrected_url=(_url("pages.search", state.with_query(result["corrected"]["query"]))
                           if result.get("corrected") else None),
            exact_url=(_url("pages.search", state.with_query(result["corrected"]["original"]), typos=False)
                       if result.get("corrected") else None),
        )
        context.update(present.page_extras(state, result, context["pagination"],
                                           lambda endpoint, st: _url(endpoint, st)))
        context["results"] = present.group_results(context["results"])
    html = render_template("search.html", **context)
    return html, (400 if error else 200)


def _took_ms(result: dict | None, elapsed_ms: float) -> float | int:
    """Server-side search time for display: the service's own figure when it gives one."""
    ms = float((result or {}).get("took_ms", elapsed_ms))
    return round(ms, 1) if ms < 10 else int(round(ms))


def _facet_panel(state: SearchState, facets: dict) -> list[dict]:
    panel = []
    for facet in FACETS:
        exclusive = not repeatable(facet)
        counts = dict(facets.get(facet) or {})
        for value in state.filters.get(facet, ()):
            counts.setdefault(value, 0)  # an active filter stays visible (and removable) even at 0
        items = [
            {"value": value, "count": count, "label": facet_label(facet, value, state.lang),
             "checked": state.is_active(facet, value),
             "url": _url("pages.search", state.toggled(facet, value, exclusive=exclusive))}
            for value, count in counts.items()
        ]
        if facet == "year":
            items.sort(key=lambda item: item["value"], reverse=True)
        panel.append({"name": facet, "items": items, "exclusive": exclusive})
    return panel


def _result_view(state: SearchState, item: dict) -> dict:
    view = dict(item)
    view["href"] = _url("pages.document", state, doc_id=item["id"])
    view["doc_type_label"] = facet_label("doc_type", item.get("doc_type") or "unknown", state.lang)
    if state.q:
        view["href"] += "#m1"  # the document page opens at the first match
    return view


def _pagination(state: SearchState, result: dict) -> dict:
    total, page, per_page = result.get("total", 0), result.get("page", 1), result.get("per_page", 10) or 10
    last = max(1, math.ceil(total / per_page))
    numbers = sorted({1, last, *range(max(1, page - PAGE_WINDOW), min(last, page + PAGE_WINDOW) + 1)})
    links, previous = [], 0
    for number in numbers:
        if number - previous > 1:
            links.append({"gap": True})
        links.append({"number": number, "url": _url("pages.search", state.with_page(number)),
                      "current": number == page})
        previous = number
    return {
        "page": page,
        "last": last,
        "first_shown": (page - 1) * per_page + 1 if total else 0,
        "last_shown": min(total, page * per_page),
        "links": links if last > 1 else [],
        "previous_url": _url("pages.search", state.with_page(page - 1)) if page > 1 else None,
        "next_url": _url("pages.search", state.with_page(page + 1)) if page < last else None,
    }


@pages.get("/documents/<doc_id>")
def document(doc_id: str):
    from indexer.search import BadParameter

    state = _state()
    try:
        record = service().document(doc_id, state.q or None, expand=expansion_on(), part=request.args.get("part"))
    except BadParameter as exc:
        name, message = bad_parameter_fields(exc)
        return render_error(400, parameter=name, message=message)
    if record is None:
        return render_error(404)
    body, match_total = present.numbered_body(record.get("body_html"))
    from indexer.versions import language_versions

    versions = [dict(v, href=_url("pages.document", state, doc_id=v["id"]))
                for v in language_versions(service(), record)]
    here = _url("pages.document", state, doc_id=doc_id)
    here += "&" if "?" in here else "?"
    part, parts = record.get("body_part", 1), record.get("body_parts", 1)
    return render_template(
        "document.html",
        state=state,
        doc=record,
        doc_type_label=facet_label("doc_type", record.get("doc_type") or "unknown", state.lang),
        date_source_label=date_source_label(record.get("date_source"), state.lang),
        original_file_url=original_url(record),
        back_url=_url("pages.search", state),
        lang_links={code: _url("pages.document", state.with_lang(code), doc_id=doc_id)
                    for code in i18n.LANGUAGES},
        form_action=url_for("pages.search"),
        body=body,
        match_total=match_total,
        versions=versions,
        body_part=part, body_parts=parts,
        previous_part_url=f"{here}part={part - 1}" if part > 1 else None,
        next_part_url=f"{here}part={part + 1}" if part < parts else None,
    )


@pages.get("/favicon.ico")
def favicon():
    from flask import current_app

    return current_app.send_static_file("favicon.ico")


@pages.get("/opensearch.xml")
def opensearch():
    # never request.url_root: it echoes the Host header; the configured address, else site-relative
    root = current_app.config.get("BAYON_BASE_URL") or "/"
    body = render_template("opensearch.xml", root=root)
    response = make_response(body)
    response.mimetype = "application/opensearchdescription+xml"
    return response
