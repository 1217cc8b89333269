"""Parse the user query syntax into a small tree; never raises.

Syntax: plain words (adjacent items: documents matching all rank first), "phrases", AND / OR / NOT
(upper case), -word, (groups), field:value with title:, org:, type:, year:Y or year:Y1..Y2, lang:.
Broken syntax (an unbalanced quote or parenthesis) is read as plain words, and so is a query nested
deeper than MAX_DEPTH (parentheses, or NOT applied to NOT): the parser and the query builder recurse
once per level, and a few hundred levels would exhaust Python's stack.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELD_ALIASES = {
    "title": "title",
    "org": "organisation", "organisation": "organisation", "organization": "organisation",
    "type": "doc_type", "doc_type": "doc_type",
    "year": "year",
    "lang": "language", "language": "language",
}
OPERATORS = {"AND", "OR", "NOT"}
MAX_DEPTH = 32  # nesting levels (groups and NOTs) read as syntax; deeper: the query as plain words


@dataclass
class Word:
    text: str
    # written with no space before the next word: a piece of an unspaced Khmer word cut by
    # indexer.questions, so a lexicon form across the cut is still found (indexer.querybuild)
    joined: bool = False


@dataclass
class Phrase:
    text: str


@dataclass
class FieldTerm:
    field: str  # canonical name: title, organisation, doc_type, year, language
    value: str
    quoted: bool = False


@dataclass
class Not:
    child: object


@dataclass
class And:
    """Explicit AND: every child must match."""
    children: list = field(default_factory=list)


@dataclass
class Or:
    children: list = field(default_factory=list)


@dataclass
class Group:
    """Adjacent items with no operator: any may match, documents matching more rank higher."""
    children: list = field(default_factory=list)


class _Broken(Exception):
    pass


_TOKEN = re.compile(r'\s+|\(|\)|"[^"]*"|[^\s()"]+|"')
_FIELD = re.compile(r"^([A-Za-z_]+):(.*)$", re.S)


def parse(text: str) -> Group:
    """The query tree of `text` (a Group at the top, possibly empty)."""
    text = text or ""
    try:
        tokens = _tokenize(text)
        parser = _Parser(tokens)
        tree = parser.parse()
        return tree if isinstance(tree, Group) else Group([tree])
    except _Broken:
        return plain_words(text)


def plain_words(text: str) -> Group:
    """Every run of non-space characters as a plain word, syntax characters dropped."""
    cleaned = re.sub(r'["()]', " ", text)
    return Group([Word(w) for w in cleaned.split() if w.strip("-")])


def _tokenize(text: str) -> list[tuple[str, str]]:
    if text.count('"') % 2:
        raise _Broken
    depth = 0
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        tok = m.group()
        pos = m.end()
        if tok.isspace():
            continue
        if tok == "(":
            depth += 1
            tokens.append(("LP", tok))
        elif tok == ")":
            depth -= 1
            if depth < 0:
                raise _Broken
            tokens.append(("RP", tok))
        elif tok.startswith('"'):
            tokens.append(("PHRASE", tok[1:-1]))
        elif tok in OPERATORS:
            tokens.append((tok, tok))
        else:
            # field:"quoted value" arrives as field: followed by a PHRASE token
            tokens.append(("WORD", tok))
    if depth:
        raise _Broken
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.toks, self.i = tokens, 0
        self.depth = 0  # groups and NOTs open around the current token

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else (None, None)

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def parse(self):
        node = self.or_expr()
        while self.i < len(self.toks):  # stray tokens (e.g. a leading ')') are skipped
            self.take()
            more = self.or_expr()
            node = _join_group(node, more)
        return node

    def or_expr(self):
        parts = [self.and_expr()]
        while self.peek()[0] == "OR":
            self.take()
            parts.append(self.and_expr())
        parts = [p for p in parts if not _empty(p)]
        if not parts:
            return Group([])
        return parts[0] if len(parts) == 1 else Or(parts)

    def and_expr(self):
        items: list = []
        strict = False
        while True:
            kind, _ = self.peek()
            if kind in (None, "RP", "OR"):
                break
            if kind == "AND":
                self.take()
                strict = True
                continue
            item = self.unary()
            if item is not None:
                items.append(item)
        if not items:
            return Group([])
        if strict:
            return And(items) if len(items) > 1 else items[0]
        return Group(items) if len(items) > 1 else items[0]

    def unary(self):
        kind, value = self.take()
        if kind == "NOT":
            nxt = self.peek()[0]
            if nxt in (None, "RP", "OR", "AND"):
                return None
            child = self._nested(self.unary)
            return Not(child) if child is not None else None
        if kind == "LP":
            node = self._nested(self.or_expr)
            if self.peek()[0] == "RP":
                self.take()
            return None if _empty(node) else node
        if kind == "PHRASE":
            return Phrase(value) if value.strip() else None
        if kind == "WORD":
            if value.startswith("-") and len(value) > 1:
                inner = self._word(value[1:])
                return Not(inner) if inner is not None else None
            return self._word(value)
        return None

    def _nested(self, parse_inner):
        """`parse_inner()` one level deeper; past MAX_DEPTH the whole query is read as plain words."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Broken
        try:
            return parse_inner()
        finally:
            self.depth -= 1

    def _word(self, value: str):
        m = _FIELD.match(value)
        if m and m.group(1).lower() in FIELD_ALIASES:
            name = FIELD_ALIASES[m.group(1).lower()]
            rest = m.group(2)
            if not rest and self.peek()[0] == "PHRASE":
                rest = self.take()[1]
                return FieldTerm(name, rest, quoted=True) if rest.strip() else None
            return FieldTerm(name, rest) if rest else None
        if value.startswith("-") and len(value) > 1:  # e.g. "--x"
            return self._word(value.lstrip("-"))
        return Word(value) if value.strip("-") else None


def _empty(node) -> bool:
    return isinstance(node, Group) and not node.children


def _join_group(a, b):
    if _empty(b):
        return a
    if _empty(a):
        return b
    left = a.children if isinstance(a, Group) else [a]
    right = b.children if isinstance(b, Group) else [b]
    return Group(left + right)
