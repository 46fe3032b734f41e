"""Hypothesis strategies for what a broken or hostile Slack request could carry."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from hypothesis import strategies as st

from bot.demo.harness import OUTSIDER, STAFF, SUPERVISOR_IDS

ODD = st.sampled_from(
    [
        "\x00",  # NUL: PostgreSQL refuses it in text columns
        "\ud800",  # lone surrogates: cannot be encoded as UTF-8
        "\udfff",
        "\u202e",  # right-to-left override
        "\u200f",  # right-to-left mark
        "\ufeff",
        "\u0301",  # a combining accent with nothing to combine with
        "\U0001f600",
        "🇯🇵",
        "ｶｽﾊﾗ",
        "²",  # a digit to str.isdigit(), not to int()
        "١٢",
        "\r\n",
        "<!channel>",
        "&amp;",
        "%00",
        "\\",
        '"',
        "kasuhara",
    ]
)
SHORT = st.one_of(st.text(max_size=12), st.lists(ODD, max_size=6).map("".join))
LONG = st.builds(
    lambda piece, n: (piece * n)[:n], ODD | SHORT.filter(bool), st.integers(1, 100_000)
)
TEXT = st.one_of(SHORT, SHORT, LONG)
SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), TEXT, st.just(2**70), st.just("9" * 40)
)
JUNK = st.recursive(
    SCALAR,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(SHORT, kids, max_size=3),
    max_leaves=8,
)
USER = st.sampled_from([STAFF[0], SUPERVISOR_IDS[0], OUTSIDER]) | SHORT
ID_VALUE = st.one_of(
    st.sampled_from(["1", "0", "-1", "²", "١", "99999999999", "9" * 5000, "1e3", " 1", ""]), JUNK
)
ACTIONS = st.sampled_from(
    [
        "case.ack",
        "case.take",
        "case.escalate",
        "case.resolve",
        "case.snooze",
        "checkin.ok",
        "checkin.help",
        "report.description",
        "unknown.action",
    ]
)


def maybe(strategy: st.SearchStrategy[Any], junk: st.SearchStrategy[Any] = JUNK) -> Any:
    """Mostly the right shape, sometimes anything at all."""
    return st.one_of(strategy, strategy, junk)


def form(fields: dict[str, Any]) -> bytes:
    """A form body, with strings Python cannot encode sent as the raw bytes they would be."""
    pairs = [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in fields.items()]
    return "&".join(
        urllib.parse.quote(k, errors="surrogatepass")
        + "="
        + urllib.parse.quote(v, errors="surrogatepass")
        for k, v in pairs
    ).encode("ascii")


def interactive(payload: Any) -> bytes:
    # ensure_ascii keeps lone surrogates as \ud800 escapes, as a JSON encoder may send them.
    return form({"payload": json.dumps(payload, allow_nan=True)})


def drop_some(draw: Any, fields: dict[str, Any]) -> dict[str, Any]:
    gone = draw(st.sets(st.sampled_from(sorted(fields)), max_size=2))
    return {k: v for k, v in fields.items() if k not in gone}
