"""HTML pages: the main text without navigation, sidebars, cookie banners or footers (trafilatura),
the metadata from <title>, Open Graph and article tags, and the charset read correctly.

Decoding: a byte-order mark wins; then the charset the page declares (`<meta charset>`, the
HTTP-equiv Content-Type, an XML declaration), with the WHATWG meaning of labels (latin-1 and ascii
mean windows-1252); a page whose bytes do not fit its declaration is read in the encoding they do
fit (UTF-8, else charset detection) and a warning says so. A page that fits no encoding is an
ExtractionError naming the declared charset. Text set in a legacy Khmer font (inline
`font-family`, `<font face>`, or a class or tag rule of the page's <style>) is converted to
Unicode before the main text is picked (`reading.extract.legacy`).
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .legacy import CONVERTIBLE, convert, legacy_family_of_list, looks_like_limon
from .model import Extracted, ExtractionError

_HEAD_BYTES = 8192
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")
# WHATWG Encoding Standard: these labels are decoded as windows-1252 by every browser
_WHATWG = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
           "us-ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252", "cp819": "cp1252",
           "iso-8859-9": "cp1254", "tis-620": "cp874", "iso-8859-11": "cp874"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_FONT_RULE = re.compile(r"([^{}]+)\{[^}]*font-family\s*:\s*([^;}]+)", re.IGNORECASE)


def decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding used, warnings) for the bytes of a page; ExtractionError when no encoding fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding, []
            except UnicodeDecodeError as exc:
                raise ExtractionError(f"starts with a {encoding} byte-order mark but is not {encoding} "
                                      f"(byte {exc.start + len(bom)})") from exc
    head = data[:_HEAD_BYTES]
    match = _XML_DECL.match(head) or _META_CHARSET.search(head)
    label = match.group(1).decode("ascii").lower() if match else None
    declared = None
    warnings: list[str] = []
    if label:
        try:
            declared = codecs.lookup(_WHATWG.get(label, label)).name
        except LookupError:
            warnings.append(f"declares an unknown charset {label!r}")
    if declared:
        try:
            return data.decode(declared), declared, warnings
        except UnicodeDecodeError as exc:
            reason = f"declares charset {label!r} but byte {exc.start} is not {declared}"
    else:
        reason = "declares no charset" if not label else f"declares an unknown charset {label!r}"
    try:
        text = data.decode("utf-8")
        if declared:
            warnings.append(f"{reason}; read as UTF-8")
        return text, "utf-8", warnings if declared else []
    except UnicodeDecodeError:
        pass
    guess = _detect(data)
    if guess is None:
        raise ExtractionError(f"cannot decode the page: it {reason} and its bytes fit no known encoding")
    warnings.append(f"{reason}; read as {guess} (detected)")
    return data.decode(guess), guess, warnings


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # trafilatura depends on it; without it, the commonest legacy Western encoding
        from_bytes = None
    if from_bytes is not None:
        best = from_bytes(data).best()
        if best is not None:
            guess = codecs.lookup(best.encoding).name
            try:  # a Latin code page that reads these bytes as windows-1252 does: say windows-1252
                if guess != "cp1252" and data.decode("cp1252") == data.decode(guess):
                    return "cp1252"
            except UnicodeDecodeError:
                pass
            return guess
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return None


def extract_html(path) -> Extracted:
    """The page's main-text paragraphs (the headline first) and metadata: title (og:title, else
    <title>, else the first <h1>), date (article:published_time and kindred tags), url (canonical,
    else og:url), organisation (og:site_name), author."""
    import lxml.html
    import trafilatura

    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise ExtractionError("empty file (no HTML)")
    text, encoding, warnings = decode_html(data)
    try:
        tree = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ExtractionError(f"not readable as HTML: {exc}") from exc
    warnings += _convert_legacy_fonts(tree)
    metadata = _metadata(tree)
    for header in tree.xpath("//article//header | //main//header"):
        header.tag = "div"  # an entry header (headline, subtitle) is part of the article
        header.attrib.pop("class", None)
    _unwrap_layout_tables(tree)
    _drop_page_furniture(tree)
    markup = lxml.html.tostring(tree, encoding="unicode")
    found = trafilatura.extract(markup, output_format="txt", include_comments=False, include_tables=True,
                                include_images=False, include_links=False, deduplicate=False)
    paragraphs = [" ".join(line.split()) for line in (found or "").split("\n")]
    paragraphs = _without_trailing_footer([p for p in paragraphs if p])
    headline = _first_text(tree, "//h1")
    if paragraphs and headline and headline not in paragraphs[:3]:
        paragraphs[:0] = [headline] + [p for p in _standfirst(tree, paragraphs[0]) if p not in paragraphs[:3]]
    elif headline and not paragraphs:
        paragraphs = [headline]
    if not paragraphs:
        raise ExtractionError("no main text found in the page")
    if "title" not in metadata and headline:
        metadata["title"] = (headline, "html first heading")
    return Extracted(paragraphs=paragraphs, metadata=metadata, warnings=warnings, method="html")


# A site footer the page did not mark as one (no <footer>, e.g. a table row): copyright lines,
# "all rights reserved", contact lines. Only trailing short paragraphs are dropped.
_FOOTER_LINE = re.compile(r"(?:^|\s)(?:copyright\b|©|\(c\)\s*\d{4}|all rights reserved|tel(?:ephone)?\s*[:.]|"
                          r"e-?mail\s*:|p\.?\s*o\.?\s*box\b|powered by\b|designed by\b)", re.IGNORECASE)


def _without_trailing_footer(paragraphs: list[str]) -> list[str]:
    while len(paragraphs) > 1 and len(paragraphs[-1]) <= 300 and _FOOTER_LINE.search(paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    return paragraphs


_LEAD_TAGS = {"p", "h2", "h3", "h4", "h5", "h6"}
_NOT_LEAD = {"nav", "aside", "footer", "form", "button", "script", "style", "figure"}


def _standfirst(tree, first_paragraph: str, most: int = 3) -> list[str]:
    """Subtitle and lead paragraphs between the headline and the first paragraph trafilatura kept,
    inside the headline's <article> (trafilatura keeps the entry content and drops its header)."""
    heads = tree.xpath("//h1")
    container = heads[0].xpath("ancestor::article[1]") if heads else []
    if not container:
        return []
    found: list[str] = []
    started = False
    for element in container[0].iter():
        if element is heads[0]:
            started = True
            continue
        if not started or not isinstance(element.tag, str) or element.tag not in _LEAD_TAGS:
            continue
        if any(a.tag in _NOT_LEAD for a in element.iterancestors()):
            continue
        text = " ".join(element.text_content().split())
        if text == first_paragraph:
            return found
        if text:
            found.append(text)
            if len(found) > most:
                return []  # not a short lead: trafilatura left this out on purpose
    return []


# Page furniture by element, ARIA role, or id/class word. Trafilatura drops it from long articles
# itself; on a short page its fallback keeps everything, so it goes before extraction.
_FURNITURE_TAGS = ("nav", "aside", "footer", "form", "noscript", "script", "style", "template", "iframe")
_FURNITURE_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog")
_FURNITURE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|menubar|breadcrumbs?|sidebar|widget|cookies?|consent|gdpr|"
    r"banner|share|sharing|social|newsletter|subscribe|footer|masthead|skip-link|pagination|related)(?:$|[\s_-])",
    re.IGNORECASE)


def _drop_page_furniture(tree) -> None:
    body = tree.find("body")
    if body is None:
        return
    keep = set()
    for main in tree.xpath("//h1 | //article | //main | //*[@role='main']"):
        keep.add(main)
        keep.update(main.iterancestors())
    doomed = []
    for element in body.iter():
        if not isinstance(element.tag, str) or element in keep:
            continue
        if element.tag == "header" and not element.xpath("ancestor::article | ancestor::main"):
            doomed.append(element)
        elif element.tag in _FURNITURE_TAGS or (element.get("role") or "").lower() in _FURNITURE_ROLES:
            doomed.append(element)
        elif _FURNITURE_WORDS.search(f"{element.get('id') or ''} {element.get('class') or ''}"):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None and not any(a in doomed for a in element.iterancestors()):
            element.drop_tree()  # lxml.html: the element goes, the text after it stays


_BLOCKS = ("p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "table", "blockquote", "form")


def _is_layout_table(table) -> bool:
    """A table that lays out the page (menu column, content column, footer row) rather than holding
    data: it holds headings or tables of its own, or a cell with several paragraphs or blocks, or says
    role="presentation". Older NGO sites are built this way."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    for cell in table.xpath("./tr/td | ./tbody/tr/td | ./thead/tr/td"):
        if cell.xpath(".//h1 | .//h2 | .//h3 | .//table"):
            return True
        blocks = [child for child in cell if isinstance(child.tag, str) and child.tag in _BLOCKS]
        if len(blocks) >= 3:
            return True
    return False


def _unwrap_layout_tables(tree) -> None:
    """Layout tables become nested <div>s, so that the main-text picker sees the page's blocks
    instead of one data table of menus, article and footer."""
    for table in reversed(tree.xpath("//body//table")):
        if not _is_layout_table(table):
            continue
        for element in table.iter():
            if element.tag in ("table", "tbody", "thead", "tfoot", "tr", "td", "th"):
                element.tag = "div"
                for attribute in ("width", "valign", "colspan", "rowspan", "border", "bgcolor"):
                    element.attrib.pop(attribute, None)


def _first_text(tree, xpath: str) -> str | None:
    for element in tree.xpath(xpath):
        value = " ".join(element.text_content().split())
        if value:
            return value
    return None


def _meta(tree, *keys: str) -> tuple[str, str] | None:
    for key in keys:
        for element in tree.xpath(f'//meta[@property="{key}" or @name="{key}"]'):
            value = " ".join((element.get("content") or "").split())
            if value:
                return value, key
    return None


def _metadata(tree) -> dict[str, tuple[str, str]]:
    metadata: dict[str, tuple[str, str]] = {}
    site = _meta(tree, "og:site_name")
    if site:
        metadata["organisation"] = (site[0], "html og:site_name")
    og_title = _meta(tree, "og:title")
    title = _first_text(tree, "//head/title")
    if og_title:
        metadata["title"] = (og_title[0], "html og:title")
    elif title:
        if site:  # "Statement title | LICADHO" -> "Statement title"
            title = re.sub(rf"\s*[|\-–—:]\s*{re.escape(site[0])}\s*$", "", title) or title
        metadata["title"] = (title, "html <title>")
    date = _meta(tree, "article:published_time", "datePublished", "citation_publication_date",
                 "dc.date", "DC.date", "dcterms.date", "date")
    if date:
        metadata["date"] = (date[0], f"html {date[1]}")
    canonical = next((link.get("href") for link in tree.xpath('//link[@rel="canonical"]') if link.get("href")), None)
    if canonical and re.match(r"^https?://\S+$", canonical.strip()):
        metadata["url"] = (canonical.strip(), "html canonical")
    else:
        og_url = _meta(tree, "og:url")
        if og_url and re.match(r"^https?://\S+$", og_url[0]):
            metadata["url"] = (og_url[0], "html og:url")
    author = _meta(tree, "author", "article:author")
    if author:
        metadata["author"] = (author[0], f"html {author[1]}")
    return metadata


def _legacy_selectors(tree) -> dict[str, str]:
    """Simple selectors (`.class`, `tag`, `tag.class`) whose <style> rule sets a legacy font."""
    rules: dict[str, str] = {}
    for style in tree.xpath("//style"):
        for selectors, family in _FONT_RULE.findall(style.text_content() or ""):
            legacy = legacy_family_of_list(family)
            if legacy:
                for selector in selectors.split(","):
                    selector = selector.strip()
                    if re.fullmatch(r"[A-Za-z0-9]*(?:\.[\w-]+)?", selector) and selector:
                        rules[selector] = legacy
    return rules


def _element_family(element, rules: dict[str, str]) -> str | None:
    style = element.get("style") or ""
    match = re.search(r"font-family\s*:\s*([^;]+)", style, re.IGNORECASE)
    if match:
        return legacy_family_of_list(match.group(1)) or ""
    if element.tag == "font" and element.get("face"):
        return legacy_family_of_list(element.get("face")) or ""
    tag = element.tag if isinstance(element.tag, str) else ""
    for cls in (element.get("class") or "").split():
        for selector in (f".{cls}", f"{tag}.{cls}"):
            if selector in rules:
                return rules[selector]
    return rules.get(tag)


def _convert_legacy_fonts(tree) -> list[str]:
    """Convert in place the text of elements drawn in a legacy font (the nearest font setting wins)."""
    rules = _legacy_selectors(tree)
    warnings: list[str] = []
    body = tree.find("body")
    if body is None:
        return warnings

    def walk(element, family):
        own = _element_family(element, rules)
        if own is not None:
            family = own or None
        if family in CONVERTIBLE:
            if element.text:
                element.text = convert(element.text, family)
        elif family:
            message = f"text in a legacy {family.upper()} font has no conversion table; kept as typed"
            if message not in warnings:
                warnings.append(message)
        for child in element:
            if not isinstance(child.tag, str):
                continue
            walk(child, family)
            if child.tail and family in CONVERTIBLE:
                child.tail = convert(child.tail, family)

    walk(body, None)
    # no font named for these blocks (an external stylesheet, say) but their characters are Limon's
    for block in body.iter("p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"):
        text = block.text_content()
        if not looks_like_limon(text) or _named_font(block, rules):
            continue
        for element in block.iter():
            if element.text:
                element.text = convert(element.text, "limon")
            if element is not block and element.tail:
                element.tail = convert(element.tail, "limon")
        if "limon-guess" not in warnings:
            warnings.append("limon-guess")
    return [w if w != "limon-guess" else "text without a named font looks typed in Limon; converted to Unicode"
            for w in warnings]


def _named_font(block, rules) -> bool:
    """Whether a font-family is set on the block, an element inside it or above it."""
    for element in (*block.iterancestors(), *block.iter()):
        if isinstance(element.tag, str) and _element_family(element, rules) is not None:
            return True
    return False
