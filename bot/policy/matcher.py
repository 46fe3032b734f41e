"""Answers a free-text question with the policy passages that fit it, or declines.

No Slack and no wording here: the result is structured, and the Slack layer phrases it.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from bot.policy.analyzers import make_analyzer
from bot.policy.concepts import ConceptSet, Link, cue_key, link_passages, load_concepts
from bot.policy.document import Passage, PolicyDocument
from bot.policy.lexicon import Hit, Lexicon
from bot.policy.normalize import Readings, render
from bot.policy.vocabulary import (
    COLLEAGUE,
    CONCEPT,
    CUSTOMER,
    INTERNAL,
    OUT_OF_SCOPE,
    TOPIC,
    build_phrases,
)

DeclineReason = Literal["out_of_scope", "internal_harassment"]
MAX_MATCHES = 3
_RELATED_DECAY = 0.8
# A concept covered by another found concept (「土下座して謝れ」: the apology is the kneeling)
# keeps this share of its score, when the policy has a passage for the covering one.
_COVERED_SHARE = 0.3
# A manner concept (しつこく, 延々と) found with another behaviour keeps this share: 「しつこく
# 家族構成を聞かれた」 is first about privacy, then about persistence.
_MANNER_SHARE = 0.7
# A question that names the very word linking a passage to a concept (「暴言」 in ①「…威圧的な言動・
# 暴言」) points at that passage more than at others linked to the concept by other words.
_LINK_WORD_EVIDENCE = 1.25
# The concept of a list's catch-all item (「その他、…行為」): see _stand_ins.
_CATCH_ALL = "other_conduct"
# 「運賃を投げつけられた」「シフトを聞かれて待ち伏せされた」: a behaviour told in the passive is
# something done to the asker, and the topic nouns around it (運賃, シフト) are its setting. Against
# out-of-scope cues such a question's best passage counts this many times.
_VICTIM_WEIGHT = 2.0
# "racist remarks to my coworker", "yelled at a colleague": the colleague is the one it was
# done to, not the one who did it.
_TO_SOMEONE = re.compile(r" (?:to|at|toward|towards|on) (?:my |our |a |the |another )?$")
# A Japanese passive ending: 「〜られ」「〜され」「叩かれ」「言われ」「頼まれ」「騒がれ」.
_PASSIVE = re.compile(r"[らさかまわたがばぱ]れ")


@dataclass(frozen=True)
class Match:
    passage: Passage
    score: float


@dataclass(frozen=True)
class Answer:
    matches: tuple[Match, ...]
    declined: bool
    decline_reason: DeclineReason | None


@dataclass(frozen=True)
class Tuning:
    """Thresholds, chosen on dev.jsonl and checked on tests/policy/heldout.jsonl."""

    min_score: float = 0.55  # the best passage must reach this, else "out of scope"
    extra_ratio: float = 0.6  # a second/third passage must reach this share of the best
    oos_ratio: float = 1.0  # out-of-scope cues at least this share of the best: decline
    decay: float = 0.5  # each further phrase of one passage counts this much less
    suggest_min: float = 0.55  # a behaviour suggestion needs at least this score
    suggest_ratio: float = 0.5  # a further suggestion must reach this share of the first
    related: float = 0.6  # a concept no passage covers lends this share to its related ones


class PolicyMatcher:
    """Built once per document (≈0.5 s); `answer` is then a few milliseconds.

    A question is scored against concepts (data/concepts.json) and against the passages' own
    words; a passage's score is its own plus each matched concept's score times the link's
    strength (concepts.link_passages).
    """

    def __init__(
        self,
        doc: PolicyDocument,
        analyzer: str = "chars",
        tuning: Tuning | None = None,
        concepts: ConceptSet | None = None,
        *,
        lazy: bool = False,
    ) -> None:
        """`lazy`: build the index on the first question instead of now (the app starts fast)."""
        self.doc = doc
        self.tuning = tuning or Tuning()
        self._analyzer_name = analyzer
        self._concepts = concepts
        self._lock = threading.Lock()
        self._built = False
        if not lazy:
            self._ensure_built()

    def warm_in_background(self) -> None:
        """Build the index in a daemon thread now, so start-up does not wait for it and the
        first question (or report suggestion) rarely does."""
        threading.Thread(target=self._ensure_built, name="policy-matcher", daemon=True).start()

    def _ensure_built(self) -> None:
        if self._built:
            return
        with self._lock:  # two first questions at once build it once
            if not self._built:
                self._build()
                self._built = True

    def _build(self) -> None:
        doc = self.doc
        self.concepts = self._concepts or load_concepts()
        readings = Readings(dict(doc.vocabulary.readings))
        self._analyzer = make_analyzer(self._analyzer_name, readings)
        phrases = build_phrases(doc, self._analyzer, readings, self.concepts)
        self._lexicon = Lexicon(
            phrases, detectors=frozenset({INTERNAL, COLLEAGUE, CUSTOMER, TOPIC})
        )
        self._order = {p.id: i for i, p in enumerate(doc.passages)}
        self.links: dict[str, tuple[Link, ...]] = link_passages(doc, self.concepts, readings)
        self._by_concept: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self._link_keys: dict[tuple[str, str], tuple[str, ...]] = {}
        for pid, links in self.links.items():
            for link in links:
                self._by_concept[link.concept].append((pid, link.strength))
                self._link_keys[pid, link.concept] = self._link_words(pid, link, readings)
        self._fallback_id = doc.fallback_passage or self._strongest("definition")
        # 「その他、…を脅かす行為」: a numbered catch-all item stands in for any behaviour the
        # list does not name (a list item, not a sentence that says 「その他」 in passing).
        self._catch_all = [
            (pid, strength)
            for pid, strength in self._by_concept.get(_CATCH_ALL, [])
            if doc.passage(pid).behaviour is not None
        ]

    def _link_words(self, pid: str, link: Link, readings: Readings) -> tuple[str, ...]:
        """Rendered words that tie the passage to the concept: the cues found, or for a link set
        in the file, the concept's cues that occur in the passage text."""
        if link.why != ("file",):
            return tuple(cue_key(cue, readings) for cue in link.why)
        text = render(self.doc.passage(pid).text, readings)
        keys = (cue_key(cue, readings) for cue in self.concepts.get(link.concept).link)
        return tuple(key for key in keys if key in text)

    def _strongest(self, concept: str) -> str | None:
        linked = sorted(self._by_concept.get(concept, []), key=lambda pair: -pair[1])
        return linked[0][0] if linked else None

    def answer(self, question: str) -> Answer:
        self._ensure_built()
        forms = self._analyzer.forms(question)
        scores = self._scores(forms)
        ranked = self._ranked(scores)
        if not ranked or ranked[0].score < self.tuning.min_score:
            ranked = self._fallback(scores) or ranked
        if self._is_internal(scores, ranked):
            return Answer((), True, "internal_harassment")
        best = ranked[0].score if ranked else 0.0
        t = self.tuning
        evidence = best * (_VICTIM_WEIGHT if self._told_as_victim(scores, forms[0]) else 1.0)
        if best < t.min_score or scores.get(OUT_OF_SCOPE, 0.0) >= t.oos_ratio * evidence:
            return Answer((), True, "out_of_scope")
        floor = max(t.min_score, t.extra_ratio * best)
        kept = [ranked[0], *(m for m in ranked[1:MAX_MATCHES] if m.score >= floor)]
        return Answer(tuple(kept), False, None)

    def _told_as_victim(self, scores: dict[str, float], rendered: str) -> bool:
        """A behaviour concept was found and the question is in the passive (see _PASSIVE)."""
        behaviour = any(
            key.startswith(CONCEPT)
            and value >= self.tuning.min_score
            and self.concepts.get(key[len(CONCEPT) :]).kind == "behaviour"
            for key, value in scores.items()
        )
        return behaviour and _PASSIVE.search(rendered) is not None

    def _fallback(self, scores: dict[str, float]) -> list[Match]:
        """On-topic but nothing specific: the document's fallback passage, just above the bar."""
        fallback = self._fallback_id
        if fallback is None or scores.get(TOPIC, 0.0) == 0:
            return []
        return [Match(self.doc.passage(fallback), self.tuning.min_score)]

    def _is_internal(self, scores: dict[str, float], ranked: list[Match]) -> bool:
        """Harassment by a colleague: an explicit cue (パワハラ), or a colleague plus a behaviour.

        Any customer context (「客」, 「上司を出せ」) vetoes it: a customer demanding the boss,
        or our staff misbehaving as customers (section 4), is the policy's business.
        """
        if scores.get(CUSTOMER, 0.0) > 0:
            return False
        if scores.get(INTERNAL, 0.0) > 0:
            return True
        behaviour = any(
            m.passage.behaviour is not None and m.score >= self.tuning.min_score for m in ranked
        )
        return behaviour and scores.get(COLLEAGUE, 0.0) > 0

    def suggest_behaviours(self, text: str, limit: int = 3) -> list[int]:
        """Every behaviour number the report text supports, most salient first, at most `limit`.

        A report often shows several (土下座させろ + 怒鳴られた + 今週3回目 → ④, ③, ⑤): each
        behaviour passage that reaches `suggest_min` and `suggest_ratio` of the first counts.
        """
        ranked = [m for m in self._ranked(self.scores(text)) if m.passage.behaviour is not None]
        if not ranked or ranked[0].score < self.tuning.suggest_min:
            return []
        floor = max(self.tuning.suggest_min, self.tuning.suggest_ratio * ranked[0].score)
        return [
            m.passage.behaviour for m in ranked[:limit] if m.score >= floor and m.passage.behaviour
        ]

    def scores(self, text: str) -> dict[str, float]:
        """Score per passage id, per concept ("@sexual") and per cue class ("#out_of_scope")."""
        self._ensure_built()
        return self._scores(self._analyzer.forms(text))

    def _scores(self, forms: tuple[str, ...]) -> dict[str, float]:
        hits = [h for h in self._lexicon.hits(forms) if not _colleague_as_recipient(h, forms[0])]
        return self._through_concepts(self._combine(hits), forms[0])

    def _through_concepts(self, scores: dict[str, float], rendered: str) -> dict[str, float]:
        """Add each matched concept's score to the passages linked to it."""
        found = self._uncovered(
            {k[len(CONCEPT) :]: v for k, v in scores.items() if k.startswith(CONCEPT)}
        )
        lent, catch_all = self._stand_ins(found)
        result = dict(scores)
        for pid, strength in self._catch_all if catch_all else ():
            result[pid] = result.get(pid, 0.0) + catch_all * strength
        for cid in found.keys() | lent.keys():
            value = max(found.get(cid, 0.0), lent.get(cid, 0.0))
            linked = self._by_concept.get(cid, [])
            for pid, strength in linked:
                # Evidence only chooses among the passages of one concept.
                keys = self._link_keys.get((pid, cid), ()) if len(linked) > 1 else ()
                if any(key in rendered for key in keys):
                    strength *= _LINK_WORD_EVIDENCE
                result[pid] = result.get(pid, 0.0) + value * strength
        return result

    def stand_in(self, concept_id: str) -> str | None:
        """The passage id quoted for a question about a concept no passage covers (its
        closest related concept's passage, or the catch-all list item), None: declined.
        For `policy check`; a covered concept returns its own strongest passage."""
        self._ensure_built()
        if concept_id in self._by_concept:
            return self._strongest(concept_id)
        lent, catch_all = self._stand_ins({concept_id: 1.0})
        scores: dict[str, float] = {}
        for pid, strength in self._catch_all if catch_all else ():
            scores[pid] = catch_all * strength
        for cid, value in lent.items():
            for pid, strength in self._by_concept.get(cid, []):
                scores[pid] = max(scores.get(pid, 0.0), value * strength)
        ranked = self._ranked(scores)
        return ranked[0].passage.id if ranked else None

    def _stand_ins(self, found: dict[str, float]) -> tuple[dict[str, float], float]:
        """For concepts the policy does not cover: the score each related concept stands in
        with, and the score lent to the catch-all list item (for a behaviour none of whose
        related concepts is covered either: 「体を触られた」 → 「その他、…を脅かす行為」)."""
        lent: dict[str, float] = {}
        catch_all = 0.0
        for cid, value in found.items():
            if cid in self._by_concept:
                continue
            concept = self.concepts.get(cid)
            for rank, related in enumerate(concept.related):
                share = self.tuning.related * _RELATED_DECAY**rank  # the first is the closest
                lent[related] = max(lent.get(related, 0.0), share * value)
            if concept.kind == "behaviour" and not set(concept.related) & self._by_concept.keys():
                catch_all = max(catch_all, self.tuning.related * value)
        return lent, catch_all

    def _uncovered(self, found: dict[str, float]) -> dict[str, float]:
        """Weaken concepts covered by another found concept that this policy has a passage for
        (concepts.json `covers`), and manner concepts found with another behaviour (`manner`),
        so the specific behaviour is quoted first."""
        result = dict(found)
        for cid in found:
            if cid not in self._by_concept:
                continue
            for covered in self.concepts.get(cid).covers:
                if covered in result:
                    result[covered] = found[covered] * _COVERED_SHARE
        behaviours = {c for c in found if self.concepts.get(c).kind == "behaviour"}
        for cid in behaviours:
            if not self.concepts.get(cid).manner:
                continue
            # It yields to an act found at least as strongly; 「何度も繰り返し要求」 stays first.
            others = [found[o] for o in behaviours if not self.concepts.get(o).manner]
            if others and max(others) >= found[cid]:
                result[cid] = result[cid] * _MANNER_SHARE
        return result

    def _combine(self, hits: list[Hit]) -> dict[str, float]:
        by_owner: dict[str, list[float]] = defaultdict(list)
        for hit in hits:
            by_owner[hit.owner].append(hit.weight)
        decay = self.tuning.decay
        return {
            owner: sum(w * decay**i for i, w in enumerate(sorted(weights, reverse=True)))
            for owner, weights in by_owner.items()
        }

    def _ranked(self, scores: dict[str, float]) -> list[Match]:
        ranked = [Match(p, scores[p.id]) for p in self.doc.passages if p.id in scores]
        ranked.sort(key=lambda m: (-m.score, self._order[m.passage.id]))
        return ranked


def _colleague_as_recipient(hit: Hit, rendered: str) -> bool:
    """A colleague cue after "to", "at"… (see _TO_SOMEONE) names who was harassed."""
    if hit.owner != COLLEAGUE or not hit.spans:
        return False
    before = rendered[: hit.spans[0][0]].rstrip() + " "
    return _TO_SOMEONE.search(before) is not None
