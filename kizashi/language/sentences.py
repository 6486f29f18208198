"""Sentence splitting that respects paragraphs and Japanese quotation brackets.

GiNZA's own splitter merges headings and bylines into the next paragraph, so
we split first (per paragraph, on 。！？ outside 「」『』 and parentheses) and
hand GiNZA one sentence at a time.
"""
from __future__ import annotations

import re

from ..model import Paragraph, Sentence

_OPEN = "「『（(【〈《"
_CLOSE = "」』）)】〉》"
_ENDERS = "。！？!?"
# A headline's trailing credit: 「北朝鮮、ロシアに兵器を輸出 韓国国家情報院」 names who says so
# after a space, in words without particles; parsed with the headline it would become its head.
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_LAST_GAP = re.compile(r"[ \u3000]+(?=[^ \u3000]+$)")
_CLAUSE = re.compile(r"、.*[にをへ]")  # a headline's own clause: 「X、YにZを…」
_CREDIT = re.compile(r"[ \u3000]+([\u4e00-\u9fff\u30a0-\u30ffA-Za-z・=＝]{1,13}"
                     r"(?:院|省|局|部|庁|機関|当局|通信|新聞|放送|テレビ|社|筋|軍|政府|紙|報道|メディア))$"
                     # 「ロシア、北朝鮮に防空システム提供＝韓国情報機関」: a wire's credit after an equals sign
                     r"|[ \u3000]*[=＝][ \u3000]*([^\s、。=＝「」]{1,16})$")


def split_sentences(text: str, paragraphs: list[Paragraph]) -> list[Sentence]:
    """Sentences with offsets into ``text``; a paragraph never shares a sentence with another."""
    spans = [(p.start, p.end) for p in paragraphs] or _lines(text)
    out: list[Sentence] = []
    for start, end in spans:
        out.extend(_split_block(text, start, end))
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _split_block(text: str, start: int, end: int) -> list[Sentence]:
    out: list[Sentence] = []
    depth = 0
    s = start
    i = start
    while i < end:
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        elif ch in _ENDERS and depth == 0:
            j = i + 1
            while j < end and text[j] in _ENDERS + _CLOSE:
                j += 1
            out.append(_trimmed(text, s, j))
            s = j
            i = j
            continue
        elif ch == "\n":
            out.append(_trimmed(text, s, i))
            s = i + 1
        i += 1
    if s < end:
        out.extend(_headline_credit(text, _trimmed(text, s, end)))
    return [x for x in out if x.end > x.start]


def _headline_credit(text: str, sent: Sentence) -> list[Sentence]:
    """「北朝鮮、ロシアに砲弾輸出か 韓国情報機関」: the credit after the space is its own sentence;
    「…の誕生…北朝鮮、ロシアから技術を受けるか」: a headline's … joins two headlines."""
    line = text[sent.start:sent.end]
    cut = line.find("…")
    if cut > 1 and line[cut:].strip("…") and "。" not in line:
        after = sent.start + cut + len(line[cut:]) - len(line[cut:].lstrip("…"))
        return [_trimmed(text, sent.start, sent.start + cut), *_headline_credit(text, _trimmed(text, after, sent.end))]
    m = _CREDIT.search(line)
    if m is not None and _HIRAGANA.search(line[:m.start()]):
        credit = m.start(1) if m.group(1) is not None else m.start(2)
        return [_trimmed(text, sent.start, sent.start + m.start()), Sentence(sent.start + credit, sent.end)]
    gap = _LAST_GAP.search(line)  # 「ロシア、北朝鮮に食料を供与　武器支援の見返りに」: a second phrase
    if gap is not None and "。" not in line and _CLAUSE.search(line[:gap.start()]) and len(line) - gap.end() >= 4:
        return [_trimmed(text, sent.start, sent.start + gap.start()), _trimmed(text, sent.start + gap.end(), sent.end)]
    return [sent]


def _trimmed(text: str, s: int, e: int) -> Sentence:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return Sentence(s, e)
