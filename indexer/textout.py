"""Plain-text rendering of a search result for the terminal."""
from __future__ import annotations

import html
import re

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def snippet_text(snippet_html: str, color: bool) -> str:
    """Snippet HTML as text: marks in bold (terminal) or [brackets], entities unescaped."""
    def mark(m):
        inner = m.group(1)
        return f"\x1b[1m{inner}\x1b[0m" if color else f"[{inner}]"
    return html.unescape(_MARK.sub(mark, snippet_html))


def render_text(result: dict, color: bool = False) -> str:
    lines = []
    total, page, per_page = result["total"], result["page"], result["per_page"]
    corrected = result.get("corrected")
    if corrected:
        lines.append(f"Showing results for: {corrected['query']} (--no-typos to search {corrected['original']!r})")
    elif result.get("suggestion"):
        lines.append(f"Did you mean: {result['suggestion']}")
    first = (page - 1) * per_page + 1
    if total:
        last = first + len(result["results"]) - 1
        lines.append(f"{total} result(s) for {result['query']!r}; showing {first}-{last}")
    else:
        lines.append(f"No results for {result['query']!r}")
    if result.get("matched") == "any":
        lines.append("No document has all the words; showing documents with any of them")
    if result.get("also_searched"):
        lines.append(f"Also searched: {', '.join(result['also_searched'])} (--no-expand to search only the query)")
    for n, hit in enumerate(result["results"], first):
        lines.append("")
        lines.append(f"{n}. {hit['title']}")
        meta = [hit.get("organisation"), hit.get("doc_type"), hit.get("date") or "undated",
                hit.get("language"), hit["id"]]
        lines.append("   " + " · ".join(str(m) for m in meta if m))
        if hit.get("snippet"):
            lines.append("   " + snippet_text(hit["snippet"], color))
    lines.append("")
    for name, counts in result["facets"].items():
        shown = ", ".join(f"{value} ({count})" for value, count in counts.items())
        lines.append(f"{name}: {shown or '-'}")
    return "\n".join(lines)
