"""The extraction lexicons (items, flow predicates, certainty and attribution cues) as data.

Everything language-specific that the rules consult is read from
``items.yaml`` and ``cues.yaml``, so a missed word is fixed in data, not code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..exc import OntologyError

ITEMS = ("artillery_ammunition", "missiles", "drones", "weapons", "troops", "workers",
         "military_technology", "missile_technology", "satellite_technology", "submarine_technology",
         "nuclear_technology", "food", "fertilizer", "energy", "cash", "humanitarian_aid", "materials",
         "intelligence")
GENERIC_TECHNOLOGY = "military_technology"


@dataclass(frozen=True)
class Lexicon:
    # items
    item_cues: dict[str, str | None]  # cue → item (None for a blocker)
    item_pattern: re.Pattern[str]  # every cue and blocker, longest first
    technology_of: dict[str, str]  # item → the technology item its programme names
    generic_technology: frozenset[str]
    object_cues: dict[str, str]  # lemma → item, counted only as a flow verb's object
    programme_pattern: re.Pattern[str]  # what follows an item that names its programme
    # flow predicates by frame
    give: frozenset[str]
    arrival_suffixes: frozenset[str]  # ロシア|入り: arriving, when the compound before is a state or place
    knowledge_verbs: frozenset[str]  # ノウハウを|伝える: giving, when the object is know-how
    payment_verbs: frozenset[str]  # 石油で|支払う: what pays is what flows
    receive: frozenset[str]
    seek: frozenset[str]
    agent: frozenset[str]
    roles: dict[str, frozenset[str]]  # role → case-marker strings
    unspecified_parties: frozenset[str]
    linking_nouns: frozenset[str]
    linking_verbs: frozenset[str]
    exchange_nouns: frozenset[str]
    transparent_nouns: frozenset[str]
    use: frozenset[str]  # 使用する: the user of an item received it
    observe: frozenset[str]  # 非難する: the subject watches the flow, does not do it
    regulate: frozenset[str]  # 供給を制限する: a rule about anyone, no inferred parties
    deploy: frozenset[str]  # 投入する: the subject sends, or uses what another state sent
    contents: frozenset[str]  # 含まれる: part of a shipment already named
    presence: frozenset[str]  # 働く, 参加する: people of one state at work in another
    presence_items: frozenset[str]  # the items that are people (troops, workers)
    army_presence: frozenset[str]  # 展開, 駐留: where an army named as such stands or fights
    training: frozenset[str]  # 訓練, 再教育: training another state's people
    trainees: frozenset[str]  # 人員, 兵士: the people trained
    training_item: str  # what training passes (military_technology)
    combat: frozenset[str]  # 戦う, 参戦: presence at war, where the place may be the enemy's
    hostile_pairs: frozenset[frozenset[str]]  # states at war: presence in the other's land is no transfer
    agreements: tuple[str, ...]  # 輸出契約: a flow agreed, the partner the other party
    object_recipient: frozenset[str]  # 北朝鮮を支援する: the object is helped
    help_nouns: frozenset[str]  # ロシアの支援を得て…建造: help with the helped one's programme
    programme_verbs: frozenset[str]  # 建造する, 開発する: what a programme's object takes
    quantity_nouns: frozenset[str]  # 砲弾の6割が: a share stands for the item
    anaphors: frozenset[str]  # その多くを送った: an item named before
    origin_suffixes: tuple[str, ...]  # 北朝鮮製: made in, so sent from
    mutual_adverbs: tuple[str, ...]  # 互いに: both ways
    both_parties: frozenset[str]  # 両国: both states of the text's pair
    usual_pair: frozenset[str]  # the two states of the exchange (PRK, RUS)
    usual_from: dict[str, str]  # item → the state of the pair it usually comes from
    side_nouns: frozenset[str]  # ロシア側: the state is the compound, never an owner before it
    not_parties: frozenset[str]  # 同期間に, 一緒に: goal-marked words that name no party
    # certainty
    uncertain_tail: re.Pattern[str]
    conditional_tail: re.Pattern[str]
    intention_tail: re.Pattern[str]
    negation_tail: re.Pattern[str]
    not_negation: re.Pattern[str]
    uncertain_lemmas: frozenset[str]
    negated_lemmas: frozenset[str]
    denial_forms: re.Pattern[str]
    double_negation: re.Pattern[str]
    affirmative_compounds: frozenset[str]
    modality_scale: dict[str, str]
    cleft_evaluative: frozenset[str]
    purpose_nouns: frozenset[str]
    factive_nouns: frozenset[str]
    means_nouns: frozenset[str]  # 提供することで: a means shares the main clause's modality
    hearsay_nouns: frozenset[str]  # 〜との情報: a report passed on, not asserted
    assessment_nouns: frozenset[str]  # 〜との分析がある: an assessment nobody is named for
    open_subjects: frozenset[str]  # あらゆる選択肢がある: the clause it heads is open
    decision_verbs: frozenset[str]  # 〜することを決めた: a plan
    uncertain_forms: re.Pattern[str]  # 時間の問題: a multi-word "not yet, but expected"
    aim_nouns: frozenset[str]  # 〜する狙い: an aim does not reach into the means
    only_words: tuple[str, ...]  # だけ…のではなく: "not only"
    # attribution
    attribution_verbs: frozenset[str]
    by_forms: tuple[str, ...]
    judgement_nouns: frozenset[str]
    source_nouns: tuple[str, ...]
    strip_suffixes: tuple[str, ...]

    @property
    def flow_predicates(self) -> frozenset[str]:
        return self.give | self.receive | self.arrival_suffixes | self.knowledge_verbs

    @property
    def parse_triggers(self) -> tuple[str, ...]:
        """Item words only: a sentence naming no item can hold no flow, so it need not be parsed."""
        cues = [c for c, item in self.item_cues.items() if item is not None]
        return tuple(sorted(set(cues) | self.generic_technology, key=len, reverse=True))

    def may_carry_flow(self, text: str, lemmas: Iterable[str]) -> bool:
        """Is there anything in this sentence a flow could be read from? A flow verb or noun
        (提供, 送る, 受け取る, 要請), one inside a compound (労働者派遣), a destination
        (ロシア向けの砲弾, 〜への弾薬) or an exchange (〜の見返りに)."""
        lemmas = set(lemmas)
        if not self.flow_lemmas.isdisjoint(lemmas):
            return True
        if self.origin_pattern.search(text):
            return True  # 北朝鮮製か, and any use of what another state made
        if not self.use.isdisjoint(lemmas) and self.owned_item_pattern.search(text):
            return True  # 北朝鮮の砲弾を使う: a use needs an owner named before the item
        if not (self.presence | self.combat).isdisjoint(lemmas):
            return True  # 北朝鮮兵がクルスクで戦っている: people at work or at war abroad
        if not text.rstrip().endswith(("。", "．")) and ("に" in text or "へ" in text):
            return True  # 北朝鮮、ロシアに砲弾数百万発: a headline may leave its verb out
        return bool(self.flow_surface_pattern.search(text))

    @cached_property
    def taken_up_pattern(self) -> re.Pattern[str]:
        """A flow noun as a topic (供与は, 派遣が), or counted people (約1500人は): it may take up the flow
        of the sentence before."""
        nouns = [w for w in self.give if len(w) >= 2 and _KANJI.fullmatch(w)]
        return re.compile("(?:" + words_pattern(tuple(nouns)).pattern + r"|[0-9０-９千万]+人|陣)(?:は|が|も)")

    @cached_property
    def owned_item_pattern(self) -> re.Pattern[str]:
        """の right before an item word (北朝鮮の砲弾, イランのシャヘド)."""
        return re.compile("の(?:" + self.item_pattern.pattern + ")")

    @cached_property
    def origin_pattern(self) -> re.Pattern[str]:
        """北朝鮮製か, イラン製の: a suffix of origin closing a word (not 製造, 生産, 国産)."""
        suffixes = "|".join(map(re.escape, self.origin_suffixes))
        return re.compile(rf"[\u4e00-\u9fff\u30a0-\u30ff](?<![生量増減財資共物水畜農破遺出原特名国])(?:{suffixes})"
                          r"(?![\u4e00-\u9fff])")

    @cached_property  # asked once per sentence
    def flow_lemmas(self) -> frozenset[str]:
        return self.give | self.receive | self.seek | self.exchange_nouns | self.contents

    @cached_property  # asked once per sentence
    def flow_surface_pattern(self) -> re.Pattern[str]:
        compounds = [w for w in self.give | self.receive if len(w) >= 2 and _KANJI.fullmatch(w)]
        markers = [m for m in self.roles["recipient"] if m.startswith(("への", "に対", "向け"))]
        return words_pattern(tuple(sorted(set(compounds + markers))))

    def may_qualify(self, text: str, lemmas: Iterable[str]) -> bool:
        """Could anything in this sentence make a claim less than certain, or attribute it?
        When nothing can, the parse would only confirm "certain, unattributed", so a sentence
        with an event and no such word need not be parsed."""
        if any(p.search(text) for p in (self.uncertain_tail, self.conditional_tail, self.intention_tail,
                                        self.negation_tail, self.denial_forms)):
            return True
        if any(form in text for form in self.by_forms + self.source_nouns):
            return True
        return not self.qualifying_lemmas.isdisjoint(lemmas)

    @cached_property  # asked once per sentence
    def qualifying_lemmas(self) -> frozenset[str]:
        return (self.uncertain_lemmas | self.negated_lemmas | self.purpose_nouns | frozenset(self.modality_scale)
                | self.attribution_verbs | self.judgement_nouns)

    def role_of(self, marker: str) -> str | None:
        for role in ("recipient", "source", "subject", "object", "agent", "instrument", "possessor"):
            if marker in self.roles[role]:
                return role
        return None


_KANJI = re.compile(r"[\u4e00-\u9fff々]+")


@lru_cache(maxsize=16)
def words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words``, longest first; a pattern that never matches when there are none."""
    alternatives = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives)) or r"(?!)")


@lru_cache(maxsize=4)
def load_lexicon(data_dir: Path) -> Lexicon:
    items = _read(data_dir / "items.yaml")
    cues = _read(data_dir / "cues.yaml")
    item_cues: dict[str, str | None] = {}
    technology_of: dict[str, str] = {}
    for item, spec in items["items"].items():
        if item not in ITEMS:
            raise OntologyError(f"items.yaml: {item!r} is not an item of the contract")
        for cue in spec["cues"]:
            item_cues.setdefault(str(cue), item)
        if spec.get("technology"):
            technology_of[item] = spec["technology"]
    for word, item in items.get("object_cues", {}).items():
        if item not in ITEMS:
            raise OntologyError(f"items.yaml: object cue {word!r} names {item!r}, not an item of the contract")
    for word in items.get("blockers", []):
        item_cues.setdefault(str(word), None)
    generic = frozenset(map(str, items["generic_technology"]))
    words = sorted(set(item_cues) | generic, key=len, reverse=True)
    programme = "|".join(map(re.escape, sorted(items["programme_words"], key=len, reverse=True)))
    pred, cert, attr = cues["predicates"], cues["certainty"], cues["attribution"]
    return Lexicon(
        item_cues=item_cues,
        item_pattern=re.compile("|".join(map(re.escape, words))),
        technology_of=technology_of,
        generic_technology=generic,
        object_cues={str(k): v for k, v in items.get("object_cues", {}).items()},
        programme_pattern=re.compile(rf"(?:の|・|に関する|関連の?)*(?:{programme})"),
        give=frozenset(pred["give"]),
        arrival_suffixes=frozenset(pred["arrival_suffixes"]),
        knowledge_verbs=frozenset(pred["knowledge_verbs"]),
        payment_verbs=frozenset(pred["payment_verbs"]),
        receive=frozenset(pred["receive"]),
        seek=frozenset(pred["seek"]),
        agent=frozenset(pred["agent"]),
        roles={k: frozenset(v) for k, v in cues["roles"].items()},
        unspecified_parties=frozenset(cues["unspecified_parties"]),
        linking_nouns=frozenset(cues["linking_nouns"]),
        linking_verbs=frozenset(cues["linking_verbs"]),
        exchange_nouns=frozenset(cues["exchange_nouns"]),
        transparent_nouns=frozenset(cues["transparent_nouns"]),
        use=frozenset(pred["use"]),
        observe=frozenset(pred["observe"]),
        regulate=frozenset(pred["regulate"]),
        deploy=frozenset(pred["deploy"]),
        contents=frozenset(pred["contents"]),
        presence=frozenset(pred["presence"]),
        presence_items=frozenset(pred["presence_items"]),
        army_presence=frozenset(pred["army_presence"]),
        training=frozenset(pred["training"]),
        trainees=frozenset(pred["trainees"]),
        training_item=pred["training_item"],
        combat=frozenset(pred["combat"]),
        hostile_pairs=frozenset(frozenset(pair) for pair in pred["hostile_pairs"]),
        agreements=tuple(pred["agreements"]),
        object_recipient=frozenset(pred["object_recipient"]),
        help_nouns=frozenset(pred["help_nouns"]),
        programme_verbs=frozenset(pred["programme_verbs"]),
        quantity_nouns=frozenset(cues["quantity_nouns"]),
        anaphors=frozenset(cues["anaphors"]),
        origin_suffixes=tuple(cues["origin_suffixes"]),
        mutual_adverbs=tuple(cues["mutual_adverbs"]),
        both_parties=frozenset(cues["both_parties"]),
        usual_pair=frozenset(cues["usual_directions"]["pair"]),
        usual_from={item: state for state, items in cues["usual_directions"]["from"].items() for item in items},
        side_nouns=frozenset(cues["side_nouns"]),
        not_parties=frozenset(cues["not_parties"]),
        uncertain_tail=_alternation(cert["uncertain_tail"]),
        conditional_tail=_alternation(cert["conditional_tail"]),
        intention_tail=_alternation(cert["intention_tail"]),
        negation_tail=_alternation(cert["negation_tail"]),
        not_negation=_alternation(cert["not_negation"]),
        uncertain_lemmas=frozenset(cert["uncertain_lemmas"]),
        negated_lemmas=frozenset(cert["negated_lemmas"]),
        denial_forms=_alternation([re.escape(w) for w in cert["denial_forms"]]),
        double_negation=_alternation(cert["double_negation"]),
        affirmative_compounds=frozenset(cert["affirmative_compounds"]),
        modality_scale=dict(cert["modality_scale"]),
        cleft_evaluative=frozenset(cert["cleft_evaluative"]),
        purpose_nouns=frozenset(cert["purpose_nouns"]),
        factive_nouns=frozenset(cert["factive_nouns"]),
        means_nouns=frozenset(cert["means_nouns"]),
        hearsay_nouns=frozenset(cert["hearsay_nouns"]),
        assessment_nouns=frozenset(cert["assessment_nouns"]),
        open_subjects=frozenset(cert["open_subjects"]),
        decision_verbs=frozenset(cert["decision_verbs"]),
        uncertain_forms=_alternation([re.escape(w) for w in cert["uncertain_forms"]]),
        aim_nouns=frozenset(cert["aim_nouns"]),
        only_words=tuple(cert["only_words"]),
        attribution_verbs=frozenset(attr["verbs"]),
        by_forms=tuple(sorted(attr["by_forms"], key=len, reverse=True)),
        judgement_nouns=frozenset(attr["judgement_nouns"]),
        source_nouns=tuple(sorted(attr["source_nouns"], key=len, reverse=True)),
        strip_suffixes=tuple(attr["strip_suffixes"]),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise OntologyError(f"{path.name}: cannot read ({exc})") from exc
    if not isinstance(data, dict) or not data.get("sources"):
        raise OntologyError(f"{path.name}: expected a mapping with its sources")
    return data


def _alternation(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))
