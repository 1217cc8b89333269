"""Turn the service's highlighted HTML (escaped text + <mark>) into markup that is safe to insert.

The service promises escaped text with only <mark> around matched words. This module does not take
that on trust: it keeps <mark>, </mark> (and paragraph/line breaks for document bodies) and escapes
everything else, so a mistake upstream can never reach the page as live HTML.
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

_SNIPPET_TAGS = ("<mark>", "</mark>")
_BODY_TAGS = (*_SNIPPET_TAGS, "<p>", "</p>", "<br>", "<br/>", "<br />")
_TAG = re.compile(r"(</?mark>|</?p>|<br\s*/?>)", re.IGNORECASE)


def safe_snippet(fragment: str | None) -> Markup:
    """Snippet HTML with only <mark> tags kept; anything else is shown as text."""
    return _keep_tags(fragment or "", _SNIPPET_TAGS)


def safe_body(fragment: str | None) -> Markup:
    """Document-body HTML with only <mark>, <p> and <br> kept; anything else is shown as text."""
    return _keep_tags(fragment or "", _BODY_TAGS)


def _keep_tags(fragment: str, allowed: tuple[str, ...]) -> Markup:
    out: list[str] = []
    open_marks = 0
    for part in _TAG.split(fragment):
        tag = part.lower().replace(" ", "")
        if tag in {t.replace(" ", "") for t in allowed}:
            if tag == "<mark>":
                open_marks += 1
            elif tag == "</mark>":
                if not open_marks:
                    continue
                open_marks -= 1
            out.append("<br>" if tag.startswith("<br") else tag)
        else:
            # Text between tags arrives escaped; unescape then escape again so it is escaped exactly once.
            out.append(str(escape(html.unescape(part))))
    out.extend("</mark>" for _ in range(open_marks))
    return Markup("".join(out))
