"""reading.extract.pagetext: page numbers, line joining (Khmer without spaces, hyphenation),
running heads by repetition and position, footnotes after their page's body."""
from reading.extract.pagetext import Line, Page, clean_pages, is_page_number, join_lines

KM_A = "ជម្លោះដីធ្លីនៅតែជាបញ្ហាចម្បង"
KM_B = "មួយសម្រាប់គ្រួសារកសិករ។"


def test_page_numbers():
    for t in ["7", "- 7 -", "– 12 –", "Page 3", "Page 3 of 12", "page 3/12", "ទំព័រ ៣", "iv", "[4]"]:
        assert is_page_number(t), t
    for t in ["2023 Annual Report", "Page three", "Article 41", "ជម្លោះ", ""]:
        assert not is_page_number(t), t


def test_join_lines():
    assert join_lines([KM_A, KM_B]) == KM_A + KM_B
    assert join_lines(["the consul\u00ad", "tation process"]) == "the consultation process"
    assert join_lines(["the consul-", "tation process"]) == "the consultation process"
    assert join_lines(["a land-", "rights case"], {"land-rights"}) == "a land-rights case"
    assert join_lines(["forty-", "two villages"]) == "forty-two villages"
    assert join_lines(["End of line.", "Next"]) == "End of line. Next"
    # a space before a Khmer vowel sign is an artefact of the text layer
    assert join_lines(["មត ិ"]) == "មតិ"


def _line(text, y, size=10.0, x0=60.0, x1=500.0):
    return Line(text=text, x0=x0, y0=y, x1=x1, y1=y + size, size=size)


def test_one_page_cleaned_by_position_and_footnote_last():
    page = Page(595, 842, [
        _line("Page 1 of 1", 30, 8, 250, 340),
        _line("Land disputes remain the most common complaint received by our", 100),
        _line("provincial offices in the last year.", 114, x1=300),
        _line("Courts should examine complaints impartially.1", 140, x1=320),
        _line("1 Interviews by our monitors.", 760, 7, x1=250),
        _line("3", 800, 8, 290, 300),
    ])
    assert clean_pages([page]) == [
        "Land disputes remain the most common complaint received by our provincial offices in the last year.",
        "Courts should examine complaints impartially.1",
        "1 Interviews by our monitors.",
    ]


def test_running_head_by_repetition_and_paragraph_across_pages():
    def page(body, n):
        return Page(595, 842, [_line("Cambodian Rights Monitor: Annual Report", 30, 8),
                               *body, _line(f"{n}", 800, 8, 290, 300)])
    pages = [page([_line("The report covers the year and the work of our", 100)], 1),
             page([_line("provincial offices.", 100, x1=200)], 2),
             page([_line("Recommendations follow.", 100, x1=200)], 3)]
    assert clean_pages(pages) == [
        "The report covers the year and the work of our provincial offices.",
        "Recommendations follow."]
