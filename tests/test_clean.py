"""The clean stage: real corpus articles against their gold, and articles we write for each rule."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.clean.duplicates import MIN_SENTENCE, comparison_key
from kizashi.clean.paragraphs import SEPARATOR
from kizashi.clean.stage import clean, clean_text
from kizashi.config import Options
from kizashi.ingest import read_file
from kizashi.model import Document

OPTIONS = Options()
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = sorted((SHARED / "eval" / "gold").glob("*.json"))


def _score_module():
    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cleaned_corpus_document(gold: dict) -> Document:
    [doc] = read_file(SHARED / "corpus" / gold["document"], OPTIONS)
    return clean(doc, OPTIONS)


def assert_paragraphs_consistent(text: str, paragraphs) -> None:
    assert SEPARATOR.join(text[p.start:p.end] for p in paragraphs) == text
    for p in paragraphs:
        assert p.kind in ("title", "subtitle", "byline", "heading", "body")
        assert text[p.start:p.end] and text[p.start:p.end] == text[p.start:p.end].strip()


# --- the real corpus, judged by the gold files and score.py's own match rule ------
@pytest.mark.skipif(not GOLD, reason="no gold files in ../shared/eval/gold")
@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.stem)
def test_corpus_metadata_matches_gold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text("utf-8"))
    doc = _cleaned_corpus_document(gold)
    match_meta = _score_module().match_meta
    for key in ("title", "author", "outlet", "published", "language"):
        got = getattr(doc.metadata, key)
        assert match_meta(gold["metadata"].get(key), got), f"{key}: got {got!r}, want {gold['metadata'].get(key)!r}"


@pytest.mark.skipif(not GOLD, reason="no gold files in ../shared/eval/gold")
@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.stem)
def test_corpus_cleaning_matches_gold(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text("utf-8"))
    doc = _cleaned_corpus_document(gold)
    for boilerplate in gold["cleaning"].get("must_not_contain", []):
        assert boilerplate not in doc.text
    for passage in gold["cleaning"].get("must_appear_once", []):
        assert doc.text.count(passage) == 1, passage
    assert_paragraphs_consistent(doc.text, doc.paragraphs)
    assert doc.id and doc.removed


@pytest.mark.skipif(not GOLD, reason="no gold files in ../shared/eval/gold")
@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.stem)
def test_corpus_cleaning_is_idempotent(gold_path: Path) -> None:
    doc = _cleaned_corpus_document(json.loads(gold_path.read_text("utf-8")))
    text, paragraphs, removed, _ = clean_text(doc.text, OPTIONS)
    assert (text, paragraphs, removed) == (doc.text, doc.paragraphs, [])


# --- articles we write -----------------------------------------------------------
TITLE = "新港が本格稼働へ"
P1 = "港湾局は先月、新しい貨物ターミナルの運用を始めたと発表した。"
P2 = "関係者によると、初年度の取扱量は前年の二倍に達する見通しだという。"
P3 = "一方で、周辺の道路整備が遅れているとの指摘も出ている。市は来年度の予算で対応する方針だ。"
P4 = "専門家は、冬季の荷動きが今後の焦点になるとみている。"
BODY = [P1, P2, P3, P4]


def run(*lines: str, sep: str = "\n\n"):
    return clean_text(sep.join(lines), OPTIONS)


@pytest.mark.parametrize("lines, reason", [
    (("コメントを残す", "メールアドレスが公開されることはありません。 * が付いている欄は必須項目です", "コメント",
      "名前 *", "メール *", "サイト", "次回のコメントで使用するためブラウザーに自分の名前、メールアドレス、サイトを保存する。",
      "コメントを送信"), "boilerplate:comment_form"),
    (("Leave a Reply", "Your email address will not be published.", "Name", "Email", "Website"),
     "boilerplate:comment_form"),
    (("この記事を読んで…", "興味深い", "悲しい", "すっきり", "腹立つ"), "boilerplate:footer"),
    (("関連記事", "新ターミナルの全容", "港の歴史をたどる"), "boilerplate:related"),
    (("あわせて読みたい", "新ターミナルの全容"), "boilerplate:related"),
    (("シェア ツイート LINE",), "boilerplate:share"),
    (("Copyright © 2024 Harbour Daily. All rights reserved.",), "boilerplate:copyright"),
    (("無断転載禁止",), "boilerplate:copyright"),
    (("example-harbour.com",), "boilerplate:site_name"),
])
def test_page_furniture_at_the_end_is_removed(lines: tuple[str, ...], reason: str) -> None:
    text, _, removed, _ = run(TITLE, *BODY, *lines)
    assert text == SEPARATOR.join([TITLE, *BODY])
    assert [r.text for r in removed] == list(lines)
    assert removed[0].reason == reason


@pytest.mark.parametrize("caption", [
    "新しいターミナルに入港する貨物船 – 写真: Example Agency",
    "写真=入港する貨物船(港湾局提供)",
    "(写真:港湾局提供)",
    "▲入港する貨物船。港湾局提供",
    "Photo: Example Agency",
])
def test_photo_captions_are_removed(caption: str) -> None:
    text, _, removed, _ = run(TITLE, caption, *BODY)
    assert caption not in text and P1 in text
    assert removed[0].reason == "boilerplate:photo_caption"


def test_a_minus_sign_triangle_is_not_a_caption() -> None:
    text, _, removed, _ = run(TITLE, *BODY, "▲3.2%")
    assert "▲3.2%" in text and not removed


def test_inline_photo_credit_is_cut_from_the_paragraph() -> None:
    text, paragraphs, removed, _ = run(TITLE, P1 + "(写真:港湾局提供)", P2)
    assert text == SEPARATOR.join([TITLE, P1, P2])
    assert removed[0].reason == "boilerplate:photo_caption"
    assert_paragraphs_consistent(text, paragraphs)


def test_inline_credit_is_cut_and_gives_the_author() -> None:
    text, _, removed, md = run(TITLE, P1, P2 + "(文・佐藤花子)")
    assert text == SEPARATOR.join([TITLE, P1, P2])
    assert (removed[0].reason, md.author) == ("boilerplate:credit", "佐藤花子")


def test_a_related_header_in_mid_article_goes_alone() -> None:
    text, _, removed, _ = run(TITLE, P1, "関連記事", "港の歴史", P2, P3)
    assert text == SEPARATOR.join([TITLE, P1, "港の歴史", P2, P3])
    assert [r.text for r in removed] == ["関連記事"]


def test_prose_starting_like_a_header_is_kept() -> None:
    line = "コメントすることは控えたいと述べた港湾局の担当者は、詳細を明らかにしなかった。"
    text, _, removed, _ = run(TITLE, P1, line, P2)
    assert line in text and not removed


def test_content_farm_author_box_and_comment_form() -> None:
    text, _, removed, md = run(TITLE, *BODY, "Taro Example", "「コーヒーの第一人者。ゲームオタク。音楽愛好家。」",
                               "コメントを残す", "メールアドレスが公開されることはありません。")
    assert text == SEPARATOR.join([TITLE, *BODY])
    assert md.author == "Taro Example"
    assert {r.reason for r in removed} == {"boilerplate:author_bio", "boilerplate:comment_form"}


def test_quoted_prose_at_the_end_is_not_a_self_description() -> None:
    quote = "「港の発展は市の将来を左右する。我々は全力で取り組む。」"
    text, _, removed, md = run(TITLE, *BODY, "Taro Example", quote)
    assert quote in text and md.author is None and not removed


# --- repeated passages --------------------------------------------------------------
def test_article_pasted_twice_with_headings_is_kept_once() -> None:
    copy = [TITLE, "◇港の現状", P1, P2, "◇今後の課題", P3, P4]
    text, paragraphs, removed, md = run(*copy, *copy)
    assert text == SEPARATOR.join(copy)
    assert md.title == TITLE
    assert [p.kind for p in paragraphs] == ["title", "heading", "body", "body", "heading", "body", "body"]
    assert {r.reason for r in removed} == {"duplicate:heading", "duplicate:passage"}


def test_article_pasted_twice_without_headings() -> None:
    text, _, removed, _ = run(TITLE, *BODY, *BODY, sep="\n")
    assert text == SEPARATOR.join([TITLE, *BODY])
    assert [r.reason for r in removed] == ["duplicate:passage"] * 4


def test_byline_pasted_twice_goes_with_its_copy() -> None:
    head = [TITLE, "Justin Example", "Harbour Times", "September 15, 2023"]
    text, _, _, md = run(*head, P1, P2, *head, P1, P2)
    assert text == SEPARATOR.join([*head, P1, P2])
    assert md.published == "2023-09-15"


@pytest.mark.parametrize("first, second", [
    ("市場の拡大のため需要は供給を上回るスピードで伸び続けている。",
     "市場の拡大によって需要はその供給を上回るスピードで伸び続けている。"),
    ("港湾局は先月、新しい貨物ターミナルの運用を始めたと発表した。",
     "港湾局は先月、新たな貨物ターミナルの運用を始めたと発表した。"),
    ("新しい倉庫群は年内に完成する予定だと担当者は説明した。",
     "新しい倉庫群は年内に完成する予定だと担当者は説明した。"),
])
def test_reworded_sentence_goes_but_the_rest_of_its_paragraph_stays(first: str, second: str) -> None:
    text, paragraphs, removed, _ = run(TITLE, P2 + first, second + P4)
    assert text == SEPARATOR.join([TITLE, P2 + first, P4])
    assert [(r.text, r.reason) for r in removed] == [(second, "duplicate:sentence")]
    assert_paragraphs_consistent(text, paragraphs)


def test_sentences_on_the_same_subject_are_not_duplicates() -> None:
    a = "港湾局は先月、新しい貨物ターミナルの運用を始めたと発表した。"
    b = "港湾局は今月、古い旅客ターミナルの閉鎖を決めたと明らかにした。"
    text, _, removed, _ = run(TITLE, a, b)
    assert b in text and not removed


def test_repeated_heading_goes() -> None:
    text, _, removed, _ = run(TITLE, "◇港の現状", P1, P2, "◇港の現状", P3)
    assert text == SEPARATOR.join([TITLE, "◇港の現状", P1, P2, P3])
    assert [r.reason for r in removed] == ["duplicate:heading"]


def test_short_standalone_paragraphs_stay() -> None:
    lines = [TITLE, P1, "そうだ。", P2, "では、なぜか。", P3, "そうだ。", P4]
    text, _, removed, _ = run(*lines)
    assert text == SEPARATOR.join(lines) and not removed


def test_repeated_sentence_inside_one_paragraph() -> None:
    text, _, removed, _ = run(TITLE, P1 + P2 + P2)
    assert text == SEPARATOR.join([TITLE, P1 + P2])
    assert [r.reason for r in removed] == ["duplicate:sentence"]


# --- stage contract -----------------------------------------------------------------
def test_stage_fills_the_document() -> None:
    raw = "\n".join([TITLE, "Justin Example", "Harbour Times", "September 15, 2023", *BODY, *BODY, "example.com"])
    doc = clean(Document(source="a.txt", raw_sha256="0", text=raw), OPTIONS)
    assert doc.text.startswith(TITLE) and doc.text.count(P1) == 1
    assert doc.id and len(doc.id) == 16
    assert doc.metadata.language == "ja" and doc.metadata.outlet == "Harbour Times"
    assert [r.reason for r in doc.removed].count("duplicate:passage") == 4
    assert_paragraphs_consistent(doc.text, doc.paragraphs)
    again = clean(Document(source="a.txt", raw_sha256="0", text=doc.text, metadata=doc.metadata), OPTIONS)
    assert (again.text, again.paragraphs, again.metadata, again.removed, again.id) == \
        (doc.text, doc.paragraphs, doc.metadata, [], doc.id)


def test_empty_text() -> None:
    assert run("")[:3] == ("", [], [])


# --- idempotence on generated articles ------------------------------------------------
SENTENCES = [P1, P2, P3, P4,
             "市は来年度の予算で道路の拡幅に取り組む方針だ。",
             "住民の間では騒音を心配する声も上がっている。",
             "貨物船の入港は週に三便から五便に増える。",
             "そうだ。"]
EXTRAS = ["◇港の現状", "Justin Example", "September 15, 2023", "example.com", "コメントを残す",
          "新しいターミナルに入港する貨物船 – 写真: Example Agency", "無断転載禁止", "関連記事",
          "【執筆:山田太郎】", "マリア・サンプル:みなと大学講師", "Taro Example", "Harbour Times",
          "「コーヒーの第一人者。ゲームオタク。音楽愛好家。」", "新港が本格稼働へ、物流の拠点に期待(2)",
          "(c) Harbour Times", "港湾局は先月、新たな貨物ターミナルの運用を始めたと発表した。"]

paragraph = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3).map("".join)
line = st.one_of(paragraph, st.sampled_from(EXTRAS))


@settings(max_examples=60, deadline=None)
@given(title=st.sampled_from(["", TITLE]), lines=st.lists(line, min_size=1, max_size=10),
       sep=st.sampled_from(["\n", "\n\n"]))
def test_cleaning_twice_changes_nothing(title: str, lines: list[str], sep: str) -> None:
    text, paragraphs, _, _ = clean_text(sep.join([title, *lines]), OPTIONS)
    assert_paragraphs_consistent(text, paragraphs)
    again, again_paragraphs, removed, _ = clean_text(text, OPTIONS)
    assert (again, again_paragraphs, removed) == (text, paragraphs, [])
    keys = [comparison_key(text[p.start:p.end]) for p in paragraphs if p.kind == "body"]
    long_keys = [k for k in keys if len(k) >= MIN_SENTENCE]  # a short line may repeat on purpose
    assert len(long_keys) == len(set(long_keys))


@pytest.mark.parametrize("first, second", [
    ("北朝鮮は13日、日本海に向けて弾道ミサイルを発射した。", "北朝鮮は18日、日本海に向けて弾道ミサイル2発を発射した。"),
    ("港湾局は貨物100万トンを扱ったと発表した。", "港湾局は貨物200万トンを扱ったと発表した。"),
    ("韓国国防省は、新しい港が完成したと発表した。", "韓国国家情報院は、新しい港が完成したと発表した。"),
])
def test_similar_sentences_with_other_facts_stay(first: str, second: str) -> None:
    text, _, removed, _ = run(TITLE, first, second)
    assert second in text and not removed
