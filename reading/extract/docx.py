"""DOCX (Word 2007+) files: body paragraphs and tables in document order, then footnotes.

python-docx opens the package and gives the core properties; the body is walked as XML so that
tables, content controls and tracked insertions keep their place (`doc.paragraphs` alone silently
drops tables). Headers and footers live in their own parts and are never read; deleted text
(`w:del`), text boxes and field instructions are left out. Runs set in a legacy Khmer font
(Limon; `w:rFonts` on the run, its character style, the paragraph style chain or the document
defaults) are converted to Unicode run by run (`reading.extract.legacy`); a paragraph whose font is
not named anywhere and whose characters look typed in Limon is converted too (a warning says so).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .legacy import CONVERTIBLE, convert, legacy_family, looks_like_limon
from .model import Extracted, ExtractionError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": W}
_TAG = {name: f"{{{W}}}{name}" for name in (
    "p", "tbl", "tr", "tc", "sdt", "sdtContent", "r", "t", "tab", "br", "cr", "noBreakHyphen",
    "softHyphen", "rPr", "rFonts", "rStyle", "pPr", "pStyle", "del", "moveFrom", "txbxContent",
    "footnote", "customXml", "smartTag", "ins", "moveTo", "hyperlink", "fldSimple", "delText",
    "instrText", "ascii", "hAnsi", "cs", "val", "type", "id", "vMerge", "gridSpan", "tcPr",
)}
# the core properties python-docx's own template carries: not facts about the document
_TEMPLATE_CREATED = "2013-12-23T23:15:00"
_TOC_STYLE = re.compile(r"^(?:toc\s*\d|toc heading|table of figures)$", re.IGNORECASE)
_HEADING = re.compile(r"^(?:heading\s*\d|title)$", re.IGNORECASE)


def extract_docx(path) -> Extracted:
    """Paragraphs (body in order, table cells each their own paragraph, footnotes last) and metadata
    (title, author, date from the core properties; organisation from the app properties' Company)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    path = Path(path)
    try:
        if path.stat().st_size == 0:
            raise ExtractionError("empty file (0 bytes)")
        document = docx.Document(str(path))
    except ExtractionError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise ExtractionError(f"not a readable Word document (corrupt or truncated ZIP package: {exc})") from exc
    except KeyError as exc:
        raise ExtractionError(f"not a Word document: the package lacks {exc}") from exc
    except Exception as exc:  # lxml syntax errors, missing parts: a corrupt package, never a crash
        raise ExtractionError(f"corrupt Word document: {type(exc).__name__}: {exc}") from exc

    fonts = _FontResolver(document)
    walker = _Walker(fonts)
    walker.block(document.element.body)
    paragraphs = [text for text, _ in walker.paragraphs]
    footnotes = _footnotes(path, fonts, walker)
    warnings = list(walker.warnings)
    if not paragraphs and not footnotes:
        raise ExtractionError("no text in the document body (empty, or only images)")
    metadata = _metadata(document, path)
    if "title" not in metadata:
        heading = next((text for text, style in walker.paragraphs if style and _HEADING.match(style)), None)
        if heading:
            metadata["title"] = (heading, "docx first heading")
    return Extracted(paragraphs=paragraphs + footnotes, metadata=metadata, warnings=warnings, method="docx")


class _FontResolver:
    """The font a run's Latin code points are drawn in: run rFonts, character style, paragraph
    style chain, document defaults (w:ascii or w:hAnsi; theme fonts count as not legacy)."""

    def __init__(self, document):
        self.styles: dict[str, object] = {}
        self.default_paragraph_style = None
        styles_element = document.styles.element
        for style in styles_element.findall(f"{{{W}}}style"):
            style_id = style.get(f"{{{W}}}styleId")
            if style_id:
                self.styles[style_id] = style
                if style.get(f"{{{W}}}default") in ("1", "true") and style.get(f"{{{W}}}type") == "paragraph":
                    self.default_paragraph_style = style_id
        defaults = styles_element.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr")
        self.document_default = _fonts_of(defaults)
        self._cache: dict[str | None, tuple] = {}

    def style_fonts(self, style_id: str | None, seen=()) -> tuple:
        """(names) named by the style or the styles it is based on, nearest first."""
        if style_id in self._cache:
            return self._cache[style_id]
        style = self.styles.get(style_id) if style_id else None
        if style is None or style_id in seen:
            return ()
        own = _fonts_of(style.find(f"{{{W}}}rPr"))
        based = style.find(f"{{{W}}}basedOn")
        parent = self.style_fonts(based.get(_TAG["val"]), (*seen, style_id)) if based is not None else ()
        found = own or parent
        self._cache[style_id] = found
        return found

    def run_fonts(self, run, paragraph_style: str | None) -> tuple:
        rpr = run.find(_TAG["rPr"])
        own = _fonts_of(rpr)
        if own:
            return own
        if rpr is not None:
            char_style = rpr.find(_TAG["rStyle"])
            if char_style is not None:
                found = self.style_fonts(char_style.get(_TAG["val"]))
                if found:
                    return found
        return self.style_fonts(paragraph_style or self.default_paragraph_style) or self.document_default


def _fonts_of(rpr) -> tuple:
    if rpr is None:
        return ()
    fonts = rpr.find(_TAG["rFonts"])
    if fonts is None:
        return ()
    names = tuple(fonts.get(_TAG[key]) for key in ("ascii", "hAnsi") if fonts.get(_TAG[key]))
    if not names and (fonts.get(f"{{{W}}}asciiTheme") or fonts.get(f"{{{W}}}hAnsiTheme")):
        return ("(theme font)",)
    return names


def _family(fonts: tuple) -> str | None:
    for name in fonts:
        family = legacy_family(name)
        if family:
            return family
    return None


class _Walker:
    def __init__(self, fonts: _FontResolver):
        self.fonts = fonts
        self.paragraphs: list[tuple[str, str | None]] = []  # (text, paragraph style id)
        self.warnings: list[str] = []
        self._warned: set[str] = set()

    def warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.warnings.append(message)

    def block(self, element) -> None:
        """Paragraphs, tables and content controls of a body, cell or footnote, in order."""
        for child in element:
            tag = child.tag
            if tag == _TAG["p"]:
                self.paragraph(child)
            elif tag == _TAG["tbl"]:
                self.table(child)
            elif tag in (_TAG["sdt"], _TAG["sdtContent"], _TAG["customXml"]):
                if tag == _TAG["sdt"] and _is_table_of_contents(child):
                    continue  # a generated table of contents repeats the headings with page numbers
                content = child.find(_TAG["sdtContent"]) if tag == _TAG["sdt"] else child
                if content is not None:
                    self.block(content)

    def table(self, table) -> None:
        for row in table.iter(_TAG["tr"]):
            if row.getparent() is not table:
                continue
            for cell in row.findall(_TAG["tc"]):
                merge = cell.find(f"{_TAG['tcPr']}/{_TAG['vMerge']}")
                if merge is not None and merge.get(_TAG["val"]) in (None, "continue"):
                    continue  # the continuation of a vertically merged cell holds no text of its own
                self.block(cell)

    def paragraph(self, paragraph) -> None:
        ppr = paragraph.find(_TAG["pPr"])
        style = None
        if ppr is not None and ppr.find(_TAG["pStyle"]) is not None:
            style = ppr.find(_TAG["pStyle"]).get(_TAG["val"])
        pieces: list[tuple[str, str | None, bool]] = []  # (text, legacy family, font named)
        for run in paragraph.iter(_TAG["r"]):
            if _excluded(run, paragraph):
                continue
            text = _run_text(run)
            if not text:
                continue
            fonts = self.fonts.run_fonts(run, style)
            pieces.append((text, _family(fonts), bool(fonts)))
        if not pieces or (style and _TOC_STYLE.match(self._style_name(style) or "")):
            return
        unnamed = "".join(text for text, family, named in pieces if not named)
        guess = bool(unnamed.strip()) and looks_like_limon(unnamed)
        out = []
        for text, family, named in pieces:
            if family is None and not named and guess:
                family = "limon"
                self.warn("text without a named font looks typed in Limon; converted to Unicode")
            if family in CONVERTIBLE:
                text = convert(text, family)
            elif family:
                self.warn(f"text in a legacy {family.upper()} font has no conversion table; kept as typed")
            out.append(text)
        text = " ".join("".join(out).split())
        if text:
            self.paragraphs.append((text, self._style_name(style)))

    def _style_name(self, style_id: str | None) -> str | None:
        style = self.fonts.styles.get(style_id) if style_id else None
        if style is None:
            return style_id
        name = style.find(f"{{{W}}}name")
        return name.get(_TAG["val"]) if name is not None else style_id


def _is_table_of_contents(sdt) -> bool:
    gallery = sdt.find(f"{{{W}}}sdtPr/{{{W}}}docPartObj/{{{W}}}docPartGallery")
    return gallery is not None and (gallery.get(_TAG["val"]) or "").lower() == "table of contents"


def _excluded(run, paragraph) -> bool:
    """Runs of deleted or moved-away text, text boxes and nested paragraphs are not this paragraph's."""
    node = run.getparent()
    while node is not None and node is not paragraph:
        if node.tag in (_TAG["del"], _TAG["moveFrom"], _TAG["txbxContent"], _TAG["p"]):
            return True
        node = node.getparent()
    return False


def _run_text(run) -> str:
    parts = []
    for child in run:
        tag = child.tag
        if tag == _TAG["t"]:
            parts.append(child.text or "")
        elif tag in (_TAG["tab"], _TAG["br"], _TAG["cr"]):
            parts.append(" ")
        elif tag == _TAG["noBreakHyphen"]:
            parts.append("-")
    return "".join(parts)


def _footnotes(path: Path, fonts: _FontResolver, walker: _Walker) -> list[str]:
    """Footnote then endnote texts in order (separator and continuation notes left out), from
    word/footnotes.xml and word/endnotes.xml."""
    return _notes(path, fonts, walker, "footnotes", "footnote") + _notes(path, fonts, walker, "endnotes", "endnote")


def _notes(path: Path, fonts: _FontResolver, walker: _Walker, part: str, element: str) -> list[str]:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            if f"word/{part}.xml" not in package.namelist():
                return []
            root = etree.fromstring(package.read(f"word/{part}.xml"))
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError) as exc:
        walker.warn(f"{part} not read: {exc}")
        return []
    notes = _Walker(fonts)
    for note in root.findall(f"{{{W}}}{element}"):
        if note.get(_TAG["type"]) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        notes.block(note)
    for message in notes.warnings:
        walker.warn(message)
    return [text for text, _ in notes.paragraphs]


def _metadata(document, path: Path) -> dict[str, tuple[str, str]]:
    metadata: dict[str, tuple[str, str]] = {}
    core = document.core_properties
    template = core.created is not None and core.created.strftime("%Y-%m-%dT%H:%M:%S") == _TEMPLATE_CREATED
    title = " ".join((core.title or "").split())
    if title:
        metadata["title"] = (title, "docx core properties")
    author = " ".join((core.author or "").split())
    if author and author != "python-docx":
        metadata["author"] = (author, "docx core properties")
    if core.created is not None and not template:
        metadata["date"] = (core.created.date().isoformat(), "docx core properties (created)")
    company = _company(path)
    if company:
        metadata["organisation"] = (company, "docx app properties (Company)")
    return metadata


def _company(path: Path) -> str | None:
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            if "docProps/app.xml" not in package.namelist():
                return None
            root = etree.fromstring(package.read("docProps/app.xml"))
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError):
        return None
    for element in root.iter("{*}Company"):
        value = " ".join((element.text or "").split())
        if value:
            return value
    return None
