"""Chinese line breaking in the reports (禁则), as a property: for any text and any width, no
line starts with closing punctuation or ends with opening punctuation (where a break could
avoid it), nothing is lost, and standard numbers stay whole when the line can hold them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from inspector_app.reports import fonts, linebreak

CJK = "底板防水卷材搭接宽度不足依据实测要求整改请立即返工并于三日内回复楼层部位"
PUNCT = "，。、；：！？）》」】（《「【“”"
TOKENS = ["GB 50300-2013", "100 mm", "≥ 100 mm", "5.0.3", "3#楼", "JGJ/T 235-2011", "24 h",
          "Ⓐ~Ⓑ轴", "⌀12", "25℃", "③~⑤/Ⓐ~Ⓑ"]  # the symbols: runs in the symbol fonts (<font> tags)


def lines_of(text: str, width: float, *, styled: bool = False) -> list[str]:
    fonts.register()
    style = ParagraphStyle("t", fontName=fonts.FONT, fontSize=10, leading=14, wordWrap="CJK")
    markup = ("<b>注</b>" if styled else "") + fonts.para(text)  # two runs: the mixed-run splitter
    para = Paragraph(markup, style)
    para.wrap(width, 10_000)
    return ["".join(f.text for f in line.words) if hasattr(line, "words") else "".join(line[1])
            for line in para.blPara.lines]


pieces = st.one_of(st.sampled_from(list(CJK)), st.sampled_from(list(PUNCT)), st.sampled_from(TOKENS))


@settings(max_examples=150, deadline=None)
@given(st.lists(pieces, min_size=1, max_size=80), st.integers(min_value=60, max_value=480), st.booleans())
def test_no_closing_mark_starts_a_line_and_no_opening_mark_ends_one(parts, width, styled):
    text = "".join(parts)
    lines = lines_of(text, width, styled=styled)
    assert "".join(lines).replace(" ", "") == (("注" if styled else "") + text).replace(" ", "")  # nothing lost
    for k, line in enumerate(lines):
        if not line:
            continue
        if k > 0 and line[0] in linebreak.CANNOT_START:
            previous = lines[k - 1]  # allowed only when the line before is all closing marks or one char
            assert len(previous) <= 1 or all(c in linebreak.CANNOT_START for c in previous), (lines, k)
        if k < len(lines) - 1 and line[-1] in linebreak.CANNOT_END:
            assert len(line) == 1 or all(c in linebreak.CANNOT_END for c in line), (lines, k)


def test_standard_numbers_and_measures_stay_whole():
    text = "底板防水卷材搭接宽度不足，依据GB 50300-2013第5.0.3条（详见附件）；实测100 mm，要求≥ 100 mm。" * 4
    for width in (90, 120, 150, 200, 237, 300):
        joined = "\n".join(lines_of(text, width))  # a token split across lines would contain a newline
        assert joined.count("GB 50300-2013") == 4, (width, joined)
        assert joined.count("≥ 100 mm") == 4 and joined.count("100 mm") == 8, (width, joined)
        assert joined.count("5.0.3") == 4, (width, joined)
