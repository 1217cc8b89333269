"""Questions and function words in a query: never required, never counted.

A question typed in natural language ("what happened to Chea Chantha?",
"តើអ្នកសារព័ត៌មានណាខ្លះត្រូវបានចាប់ខ្លួន?") should rank like its content words. `content_words`
rewrites the top level of a parsed query: a plain word that is a function word (question words,
auxiliaries, articles, prepositions, pronouns: `ENGLISH_FUNCTION_WORDS`) is dropped; an
unspaced Khmer word is segmented and cut at the Khmer question and function words inside it
(`KHMER_FUNCTION_WORDS`), each remaining stretch becoming a plain word of its own (typed text,
so the lexicon and the sub-word field still see compounds whole), and cut again where the
lexicon's forms inside it begin and end (`khmer_lexicon_pieces`: Khmer is typed without spaces
between words, so an unspaced run is often several words). A query made only of function
words is kept as typed (so it still finds the documents that hold them). Phrases, fields and
operators are left alone: what is quoted stays strict.
"""
from __future__ import annotations

import re

from analyzers.khmer import normalize
from indexer import queryparse as P

# Question words, auxiliaries, articles, prepositions, pronouns and fillers of typed questions.
# Content words that questions also use (happen aside) are not here: "arrested", "charged".
# An acronym (all capitals: WHO, IT, US) is never a function word.
ENGLISH_FUNCTION_WORDS = frozenset("""
what whats why how who whom whose when where which whether
did does do done doing is are was were be been being am has have had having
can could would should will shall may might must
the a an of to in on at for from by with about into onto over under than then there here
this that these those it its they them their theirs he him his she her hers we us our you your
i me my mine any some many much more most very also just only really please tell explain
and or not no nor if so as
happen happens happened happening
""".split())

# Khmer question words and the function words questions are built with (normalised forms).
# Left out on purpose: មាន (to have; also "rich"), ជា (also a family name), ហេតុ (reason).
# With them: the copulas of "what is" questions (អ្វីទៅជា, គឺជា), colloquial question words
# (ម្តេច, ប៉ុណ្ណា) and yes/no particles (ឬអត់).
KHMER_FUNCTION_WORDS = frozenset(normalize(w) for w in """
តើ អ្វី ហេតុអ្វី ហេតុដូចម្តេច យ៉ាងដូចម្តេច ដូចម្តេច យ៉ាងម៉េច ម៉េច នរណា អ្នកណា ពេលណា ឯណា ទីណា
កន្លែងណា ណា ខ្លះ ប៉ុន្មាន ទេ ឬទេ ដែរឬទេ មែនទេ ឬ ទេឬ បាន ត្រូវបាន ត្រូវ ហើយឬនៅ ឬនៅ
ទៅជា គឺជា ជាអ្វី បានជា ហេតុអ្វីបានជា ហេតុអី ម្តេច យ៉ាងណា ប៉ុណ្ណា មួយណា ឬអត់
""".split())

# The Khmer of the English list's pronouns, fillers and "about" (please, tell, explain, want to
# know, I, we, they, this, that, about, is, what (colloquial), not, also): function words only in
# a question or request (a query holding one of KHMER_FUNCTION_WORDS, a question mark, or
# starting with សូម, please). Elsewhere they are parts of words a segmenter may cut off: ពេល|នេះ
# (now), អត់|ធ្មត់ (patience), អី|វ៉ាន់ (belongings); cutting them everywhere lowered the Khmer
# known-word benchmark (test single words 0.954 -> 0.943 MAP).
KHMER_QUESTION_FILLERS = frozenset(normalize(w) for w in """
សូម ប្រាប់ ពន្យល់ ចង់ដឹង ខ្ញុំ យើង ពួកគេ នេះ នោះ អំពី គឺ អី អត់ ដែរ
""".split())

# Khmer prepositions and conjunctions that join the words of a compound term (អំពើហិង្សាក្នុង
# គ្រួសារ, violence in the family): a lexicon form made of term forms with these between them is
# cut like one made of term forms end to end (khmer_lexicon_pieces), and such a joining word is no
# word of the query of its own (indexer.querybuild). Not function words in general: a query
# word made of them alone, or one outside a form, is searched as typed.
KHMER_JOINING_WORDS = frozenset(normalize(w) for w in """
ក្នុង នៃ និង របស់ ដល់ លើ ពី ចំពោះ សម្រាប់ ជាមួយ នៅ ទៅ
""".split())

_KHMER = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")
_EDGE_PUNCT = "?!.,;:¿¡។៕៖\"'“”‘’()[]"
_QUESTION_MARKS = "?!¿¡"


def is_english_function_word(text: str) -> bool:
    word = text.strip(_EDGE_PUNCT)
    if len(word) > 1 and word.isupper():
        return False  # an acronym
    return word.lower().replace("’", "'").replace("'", "") in ENGLISH_FUNCTION_WORDS


def khmer_content_pieces(text: str, analyzer, words: frozenset = KHMER_FUNCTION_WORDS) -> list[str] | None:
    """The stretches of `text` (typed text) between its Khmer function words (`words`), or None
    when it holds none (nothing to cut). [] when it is only function words."""
    tokens = [(t.text, t.startchar, t.endchar)
              for t in analyzer(text, mode="query", chars=True, removestops=False)]
    function = [False] * len(tokens)
    for i in range(len(tokens)):  # a function word the segmenter cut in two or three (ហេតុ|អ្វី)
        for j in range(i + 1, min(i + 3, len(tokens)) + 1):
            if "".join(t[0] for t in tokens[i:j]) in words:
                function[i:j] = [True] * (j - i)
    if any(function) and normalize(text) == text:  # never cut inside a lexicon form
        for start, end in _lexicon_spans(text):
            for n, (_, s, e) in enumerate(tokens):
                if start <= s and e <= end and (start, end) != (s, e):
                    function[n] = False
    if not any(function):
        return None
    pieces, start, end = [], None, None
    for (word, s, e), is_function in zip(tokens, function):
        if is_function:
            if start is not None:
                pieces.append(text[start:end])
            start = None
            continue
        if start is None:
            start = s
        end = e
    if start is not None:
        pieces.append(text[start:end])
    return pieces


def _lexicon_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the lexicon forms found in `text` (lexicon.expand)."""
    from lexicon.expand import expand_spans

    return [(s.start, s.end) for s in expand_spans(text) if s.expansions]


def _in_lexicon_phrases(words: list[str]) -> set[int]:
    """Indexes of the words (joined by spaces) inside a lexicon form of several words:
    "for" in "Cambodian Center for Human Rights", "of" in "freedom of expression"."""
    offsets, pos = [], 0
    for w in words:
        offsets.append((pos, pos + len(w)))
        pos += len(w) + 1
    inside = set()
    for start, end in _lexicon_spans(" ".join(words)):
        covered = [n for n, (a, b) in enumerate(offsets) if start <= a and b <= end]
        if len(covered) > 1:
            inside.update(covered)
    return inside


def khmer_lexicon_pieces(text: str, analyzer) -> list[str]:
    """An unspaced Khmer word cut where the lexicon's forms inside it begin and end (when those
    are word boundaries of the segmentation): "សកម្មជនបរិស្ថានជាប់ពន្ធនាគារ" -> សកម្មជន, បរិស្ថាន,
    ជាប់ពន្ធនាគារ, so each part is a word of its own (may be missing, is expanded); a form made
    of term forms end to end is cut between them too (ការបណ្តេញចេញដោយបង្ខំ, forced eviction ->
    ការបណ្តេញចេញ, ដោយបង្ខំ: a text holding "eviction" alone is a partial match, as for the English
    words), and the whole form is still found across the cut (the parts are `joined`); so is one
    whose term forms a joining word stands between (អំពើហិង្សាក្នុងគ្រួសារ: violence, ក្នុង, family);
    a word that holds no form, or one form not so made (ចាប់ខ្លួន), stays whole."""
    from lexicon.expand import expand_spans

    word = normalize(text).strip(_EDGE_PUNCT)
    if not word or any(c.isspace() for c in word):
        return [text]
    edges = {0, len(word)}
    for t in analyzer(word, mode="query", chars=True, removestops=False):
        edges.update((t.startchar, t.endchar))
    spans = [(s.start, s.end) for s in expand_spans(word)]
    cuts = set()
    for start, end in spans:
        inner = sorted((a, b) for a, b in spans if start <= a and b <= end and (a, b) != (start, end))
        outer = any(a <= start and end <= b and (a, b) != (start, end) for a, b in spans)
        if outer:
            continue  # a form inside another: cut there only when the inner forms tile it
        ats = [start, end]
        if inner and inner[0][0] == start and inner[-1][1] == end and all(
                b == a2 or word[b:a2] in KHMER_JOINING_WORDS for (_, b), (a2, _) in zip(inner, inner[1:])):
            ats += [at for (_, b), (a2, _) in zip(inner, inner[1:]) for at in (b, a2)]
        for at in ats:
            if 0 < at < len(word) and at in edges:
                cuts.add(at)
    if not cuts:
        return [text]
    bounds = [0, *sorted(cuts), len(word)]
    return [word[a:b] for a, b in zip(bounds, bounds[1:]) if word[a:b].strip()]


def only_function_words(tree: P.Group, analyzer) -> bool:
    """True when `tree` has plain words and all of them are function words (and nothing else)."""
    words = [c for c in tree.children if isinstance(c, P.Word)]
    if not words or len(words) != len(tree.children):
        return False
    for w in words:
        if _KHMER.search(w.text):
            if khmer_content_pieces(w.text, analyzer) != []:
                return False
        elif not is_english_function_word(w.text):
            return False
    return True


def _khmer_pieces(tree: P.Group, analyzer) -> dict[str, list[str] | None]:
    """{plain Khmer word as typed: its khmer_content_pieces}: cut at the question and function
    words of every query, and, when the query is a question or a request (a question mark, a
    plain word starting with សូម, please, or a question word in one), at its fillers too."""
    words = [c.text for c in tree.children if isinstance(c, P.Word) and _KHMER.search(c.text)]
    stripped = {w: w.strip(_QUESTION_MARKS) for w in words}
    if any(ch in w for w in words for ch in _QUESTION_MARKS) or any(normalize(w).startswith("សូម") for w in words):
        core = None
    else:
        core = {w: khmer_content_pieces(stripped[w], analyzer) for w in words}
        if all(pieces is None for pieces in core.values()):
            return core
    both = KHMER_FUNCTION_WORDS | KHMER_QUESTION_FILLERS
    return {w: khmer_content_pieces(stripped[w], analyzer, both) for w in words}


def content_words(tree: P.Group, analyzer) -> P.Group:
    """`tree` with its top-level function words dropped and its unspaced Khmer words cut at the
    function words inside them; `tree` itself when that would leave no plain word. Question and
    exclamation marks around a plain word are dropped (they never match anything)."""
    khmer_pieces = _khmer_pieces(tree, analyzer)
    khmer_pieces = {w.strip(_QUESTION_MARKS): pieces for w, pieces in khmer_pieces.items()}
    tree = P.Group([P.Word(c.text.strip(_QUESTION_MARKS)) if isinstance(c, P.Word) else c
                    for c in tree.children
                    if not (isinstance(c, P.Word) and not c.text.strip(_QUESTION_MARKS))])
    out: list = []
    changed = False
    plain_left = False
    plain_seen = False
    plain = [c.text for c in tree.children if isinstance(c, P.Word)]
    protected = _in_lexicon_phrases(plain) if any(map(is_english_function_word, plain)) else set()
    n_plain = -1
    for child in tree.children:
        if not isinstance(child, P.Word):
            out.append(child)
            continue
        plain_seen = True
        n_plain += 1
        if n_plain in protected:  # part of a lexicon form: the lexicon must see it
            out.append(child)
            plain_left = True
            continue
        if _KHMER.search(child.text):
            pieces = khmer_pieces[child.text]
            if pieces is None:
                pieces = [child.text]
            cut = [khmer_lexicon_pieces(p, analyzer) for p in pieces]
            parts = [part for c in cut for part in c]
            if parts == [child.text]:
                out.append(child)
                plain_left = True
                continue
            changed = True
            # the parts of one stretch (not those cut at a function word) stay joined
            out += [P.Word(part, joined=n < len(c) - 1) for c in cut for n, part in enumerate(c)]
            plain_left = plain_left or bool(parts)
        elif is_english_function_word(child.text):
            changed = True
        else:
            out.append(child)
            plain_left = True
    if not changed or (plain_seen and not plain_left):
        return tree
    return P.Group(out)
