"""Encoding detection, text normalisation and date prefixes, on sentences written for these tests."""
from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kizashi.exc import IngestError
from kizashi.ingest import decode_bytes, normalise_text
from kizashi.ingest.encodings import UNDECODABLE
from kizashi.ingest.normalise import normalise_date

# ASCII digits and the line break give BOM-less UTF-16 its NUL pattern.
SENTENCE = ("北朝鮮の代表団は2023年9月にロシア極東を訪れ、砲弾の供与について協議したと報じられた。\n"
            "専門家は「両国の関係は一段と深まる」と指摘している。")


@pytest.mark.parametrize(("data", "encoding"), [
    (SENTENCE.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + SENTENCE.encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + SENTENCE.encode("utf-16-be"), "utf-16-be"),
    (SENTENCE.encode("utf-16-le"), "utf-16-le"),
    (SENTENCE.encode("utf-16-be"), "utf-16-be"),
    (SENTENCE.encode("shift_jis"), "cp932"),
    (SENTENCE.encode("cp932"), "cp932"),
    (SENTENCE.encode("euc_jp"), "euc_jp"),
    (SENTENCE.encode("iso2022_jp"), "iso2022_jp"),
], ids=["utf-8", "utf-8-bom", "utf-16le-bom", "utf-16be-bom", "utf-16le", "utf-16be",
        "shift_jis", "cp932", "euc-jp", "iso-2022-jp"])
def test_each_encoding_decodes_to_the_same_text(data: bytes, encoding: str) -> None:
    assert decode_bytes(data, "article.txt") == (SENTENCE, encoding)


def test_cp932_extensions_decode() -> None:
    text = "被害は①港湾②鉄道の二つ。"  # circled digits exist in CP932, not in JIS X 0208
    assert decode_bytes(text.encode("cp932"), "a.txt") == (text, "cp932")


@pytest.mark.parametrize("text", ["会談した", "北朝鮮とロシア", "協議"])
def test_euc_jp_bytes_that_also_decode_as_cp932_are_read_as_euc_jp(text: str) -> None:
    data = text.encode("euc_jp")
    data.decode("cp932")  # the ambiguity is real: these bytes are valid CP932 too
    assert decode_bytes(data, "a.txt") == (text, "euc_jp")


@pytest.mark.parametrize(("data", "declared", "expected"), [
    # a declared charset that decodes strictly wins over detection
    ("協議".encode("euc_jp"), "shift_jis", ("\uff76\uff68\uff75\uff84", "cp932")),
    (SENTENCE.encode("euc_jp"), "EUC-JP", (SENTENCE, "euc_jp")),
    # a declaration the bytes contradict is ignored
    (SENTENCE.encode("cp932"), "euc-jp", (SENTENCE, "cp932")),
    (SENTENCE.encode("utf-8"), "iso-8859-1", (SENTENCE, "utf-8")),
    (SENTENCE.encode("utf-8"), "no-such-charset", (SENTENCE, "utf-8")),
    (SENTENCE.encode("utf-8"), "utf-16", (SENTENCE, "utf-8")),
    # a BOM beats any declaration
    (codecs.BOM_UTF8 + SENTENCE.encode("utf-8"), "shift_jis", (SENTENCE, "utf-8-sig")),
])
def test_declared_charset(data: bytes, declared: str, expected: tuple[str, str]) -> None:
    assert decode_bytes(data, "page.html", declared=declared) == expected


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary file (PDF document)"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary file (ZIP archive)"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG image)"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "binary file (gzip archive)"),
    ("本文\x00途中にNUL".encode("utf-8"), "binary file (contains NUL bytes)"),
    (bytes(range(1, 9)) * 20 + b"text", "binary file (control characters)"),
    (bytes(range(0x80, 0x100)) * 2, UNDECODABLE),
    (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "bytes after the utf-8-sig byte order mark do not decode as utf-8-sig"),
])
def test_bad_bytes_raise_with_path_and_reason(data: bytes, reason: str) -> None:
    with pytest.raises(IngestError) as caught:
        decode_bytes(data, "corpus/bad.txt")
    assert caught.value.reason == reason
    assert str(caught.value) == f"corpus/bad.txt: {reason}"


@pytest.mark.parametrize(("raw", "expected"), [
    ("ＡＢＣ１２３", "ABC123"),
    ("ｶﾀｶﾅ", "カタカナ"),
    ("ｶﾞｯｺｳとﾊﾟﾝ", "ガッコウとパン"),
    ("ｱﾞ", "ア゛"),
    ("ｺﾝﾆﾁﾊ｡｢ﾃｽﾄ｣､ｵﾜﾘ･", "コンニチハ。「テスト」、オワリ・"),
    ("金正恩（キム・ジョンウン）総書記", "金正恩(キム・ジョンウン)総書記"),
    ("前年比１２０％増", "前年比120%増"),
    ("１．５倍", "1.5倍"),
    ("１，０００発", "1,000発"),
    ("１，２", "1，2"),  # not a thousands separator
    ("北朝鮮、ロシア。「会談」『声明』【速報】…〜～・", "北朝鮮、ロシア。「会談」『声明』【速報】…〜～・"),
    ("！？：；", "！？：；"),
    ("第一段落\r\n第二段落\r第三段落", "第一段落\n第二段落\n第三段落"),
    ("行末の空白   \n次の行\t\u3000", "行末の空白\n次の行"),
    ("一\n\n\n\n\n二", "一\n\n二"),
    ("一\n \n\t\n\n二", "一\n\n二"),
    ("\n\n本文\n\n", "本文"),
    ("ロ\u200bシ\u200dア\u202e語\u2066\u2069\ufeff", "ロシア語"),
    ("制御\x00文字\x07\x1b", "制御文字"),
    ("改\x0c頁\u2028行", "改\n頁\n行"),
    ("か\u3099", "が"),  # decomposed kana compose
    ("ｶ\u3099", "ガ"),
    ("表\tの列", "表\tの列"),
])
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


_AWKWARD = list("ＡＺａｚ０９　（）％．，ｶﾞﾟｱﾞ｡｢｣､･…〜～「」") + [
    "\r", "\n", "\t", " ", "\x00", "\x0b", "\x0c", "\x85", "\u2028", "\u2029",
    "\u200b", "\u200f", "\u202a", "\u2066", "\ufeff", "\u00ad", "\u3099", "\u309a", "か", "1", "a",
]
_TEXTS = st.text(st.one_of(st.sampled_from(_AWKWARD), st.characters(codec="utf-8")), max_size=60)


@given(_TEXTS)
def test_normalise_text_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


@given(_TEXTS)
def test_normalised_text_has_no_invisible_or_control_characters(text: str) -> None:
    result = normalise_text(text)
    assert not any(ch < " " and ch not in "\n\t" for ch in result)
    assert not set(result) & {"\r", "\u200b", "\u200e", "\u202e", "\u2067", "\ufeff"}
    assert "\n\n\n" not in result
    assert not any(line.endswith((" ", "\t")) for line in result.split("\n"))


@pytest.mark.parametrize(("value", "expected"), [
    ("2023-09-15", "2023-09-15"),
    ("2023-09-15T10:00:00+09:00", "2023-09-15"),
    ("2023-9-5", "2023-09-05"),
    ("2023/09/15", "2023-09-15"),
    ("2023.09.15", "2023-09-15"),
    ("2023-09", "2023-09"),
    ("2023", "2023"),
    ("2023年9月15日", "2023-09-15"),
    ("２０２３年９月", "2023-09"),
    ("Fri, 15 Sep 2023 10:00:00 +0900", "2023-09-15"),
    ("2023-13-01", None),
    ("2023-02-30", None),
    ("先週", None),
    ("", None),
])
def test_normalise_date_gives_an_iso_prefix_or_none(value: str, expected: str | None) -> None:
    assert normalise_date(value) == expected
