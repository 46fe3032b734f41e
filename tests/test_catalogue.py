"""The message catalogue: both languages agree, code only uses keys that exist, no words in code."""

from __future__ import annotations

import re
import string
import tokenize
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.cases.actions import ACTIONS
from bot.messages import catalog
from handlers.alert_actions import ALERT_BUTTONS

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ROOT / "bot" / "messages"
SOURCES = [ROOT / "bot", ROOT / "handlers"]

# Where Japanese in string literals is data, not user-facing words.
JAPANESE_ALLOWED = ("bot/policy/", "slack_standin/", "bot/demo/story.py", "bot/demo/harness.py")

# Japanese words users may type as `/kasuhara` subcommands: input vocabulary, not output.
COMMAND_ALIASES = {
    ("handlers/commands.py", '"ヘルプ"'),
    ("handlers/commands.py", '"へるぷ"'),
    ("handlers/commands.py", '"報告"'),
    ("handlers/commands.py", '"状況"'),
}

JAPANESE = re.compile(
    "[\u3040-\u309f"  # hiragana
    "\u30a0-\u30ff"  # katakana
    "\u31f0-\u31ff"  # katakana phonetic extensions
    "\uff66-\uff9f"  # half-width katakana
    "\u3400-\u4dbf"  # CJK ideographs, extension A
    "\u4e00-\u9fff"  # CJK ideographs
    "\uf900-\ufaff]"  # CJK compatibility ideographs
)
KEY_USE = re.compile(r"\.t\(\s*(f?)[\"']([a-z_.]+)(\{?)")

# Slack limits: a modal's title/submit/close text, a button's or option's text.
MODAL_TEXT_MAX = 24
BUTTON_TEXT_MAX = 75
BUTTONS_AND_OPTIONS = (
    "alert.btn_",
    "alert.confirm_yes",
    "alert.confirm_no",
    "checkin.ok",
    "checkin.help",
    "contact.",
    "urgency.urgent",
    "urgency.after",
    "support.",
)


def _load(language: str) -> dict[str, Any]:
    return tomllib.loads((MESSAGES / f"{language}.toml").read_text("utf-8"))


def _flatten(node: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in node.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = str(value)
    return flat


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


JA = _flatten(_load("ja"))
EN = _flatten(_load("en"))


def _python_files() -> Iterator[Path]:
    for top in SOURCES:
        yield from sorted(top.rglob("*.py"))


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# -- (a) both languages have the same keys and placeholders ------------------------------------


def test_same_keys() -> None:
    assert sorted(set(JA) - set(EN)) == [], "keys in ja.toml with no English"
    assert sorted(set(EN) - set(JA)) == [], "keys in en.toml that ja.toml does not have"


def test_same_placeholders() -> None:
    differ = {
        key: (sorted(_placeholders(JA[key])), sorted(_placeholders(EN[key])))
        for key in JA.keys() & EN.keys()
        if _placeholders(JA[key]) != _placeholders(EN[key])
    }
    assert differ == {}


def test_no_empty_texts() -> None:
    assert [key for key, text in {**JA, **EN}.items() if not text.strip()] == []


@pytest.mark.parametrize("language", ["ja", "en"])
def test_catalog_loads(language: str) -> None:
    cat = catalog(language)
    assert all(cat.has(key) for key in JA)


def test_english_is_english() -> None:
    """A Japanese word left in en.toml would show up untranslated."""
    assert {key: text for key, text in EN.items() if JAPANESE.search(text)} == {}


def test_weekday_names() -> None:
    """bot/digest/format.py indexes the comma-separated `digest.weekdays` by weekday number."""
    for flat in (JA, EN):
        assert len(flat["digest.weekdays"].split(",")) == 7


def test_csv_columns_agree() -> None:
    assert len(EN["export.columns"].split(",")) == len(JA["export.columns"].split(","))


# -- (b) every key the code asks for exists ----------------------------------------------------


def _key_uses() -> list[tuple[str, str, bool]]:
    """(where, key or f-string prefix, is_prefix) for each `.t("…")` in bot/ and handlers/."""
    uses = []
    for path in _python_files():
        source = path.read_text("utf-8")
        for match in KEY_USE.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            is_prefix = bool(match.group(1) and match.group(3))
            uses.append((f"{_relative(path)}:{line}", match.group(2), is_prefix))
    return uses


def test_code_finds_key_uses() -> None:
    assert len(_key_uses()) > 50  # the regex still matches how the code calls the catalogue


def test_used_keys_exist() -> None:
    missing = [
        f"{where} {key}{'{…}' if is_prefix else ''}"
        for where, key, is_prefix in _key_uses()
        if not (any(k.startswith(key) for k in JA) if is_prefix else key in JA)
    ]
    assert missing == []


def _action_lines() -> Iterator[tuple[str, str]]:
    """(action, key) for every line each declared action and alert button needs: the keys
    are built from names at run time, so the prefix check above cannot see them."""
    for name, action in ACTIONS.items():
        yield name, f"thread.{name}"
        if action.tells_reporter:
            yield name, f"dm.status_{name}"
    for button in ALERT_BUTTONS:
        name = button.action.name
        yield name, f"alert.btn_{name}"
        if button.confirm:
            yield name, f"alert.confirm_{name}_title"
            yield name, f"alert.confirm_{name}_text"


@pytest.mark.parametrize(("action", "key"), list(_action_lines()))
def test_each_action_has_its_lines(action: str, key: str) -> None:
    assert key in JA and key in EN, f"action {action!r} needs {key} in ja.toml and en.toml"


def test_action_lines_are_listed() -> None:
    keys = {key for _, key in _action_lines()}
    assert {
        "thread.ack",
        "dm.status_take",
        "alert.btn_snooze",
        "alert.confirm_escalate_text",
    } <= keys


# -- (c) no Japanese words in code -------------------------------------------------------------


def _string_literals(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of string literals, skipping docstrings and other strings that begin a
    logical line (a bare string statement is documentation, not a message)."""
    fstring_start = getattr(tokenize, "FSTRING_START", None)  # Python 3.12+
    fstring_middle = getattr(tokenize, "FSTRING_MIDDLE", None)
    line_start = True
    depth = 0  # f-string nesting, 3.12+
    skipping = False  # inside an f-string that began a logical line
    with path.open("rb") as source:
        for tok in tokenize.tokenize(source.readline):
            if tok.type in (tokenize.ENCODING, tokenize.NL, tokenize.COMMENT):
                continue
            if tok.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
                line_start = True
                continue
            if fstring_start is not None and tok.type == fstring_start:
                if depth == 0:
                    skipping = line_start
                depth += 1
            elif fstring_start is not None and tok.type == tokenize.FSTRING_END:
                depth -= 1
            is_text = tok.type == fstring_middle or (tok.type == tokenize.STRING and not line_start)
            if is_text and not skipping:
                yield tok.start[0], tok.string
            line_start = False
            if depth == 0:
                skipping = False


def test_no_japanese_in_code() -> None:
    found = [
        f"{_relative(path)}:{line}: {text}"
        for path in _python_files()
        if not _relative(path).startswith(JAPANESE_ALLOWED)
        for line, text in _string_literals(path)
        if JAPANESE.search(text) and (_relative(path), text) not in COMMAND_ALIASES
    ]
    assert found == [], "user-facing words belong in bot/messages/ja.toml"


def test_scanner_sees_strings_not_docstrings(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""モジュール"""\ndef f():\n    """関数"""\n    # コメント\n    return "報告", f"{1}件"\n',
        "utf-8",
    )
    texts = [text for _, text in _string_literals(sample)]
    assert [t for t in texts if JAPANESE.search(t)] and not any(
        "モジュール" in t or "関数" in t or "コメント" in t for t in texts
    )


# -- Slack's length limits ---------------------------------------------------------------------


def _limited() -> Iterator[tuple[str, str, int]]:
    for language, flat in (("ja", JA), ("en", EN)):
        for section in ("modal", "resolve_modal"):
            for name in ("title", "submit", "close"):
                yield language, f"{section}.{name}", MODAL_TEXT_MAX
        for key in flat:
            if key.startswith(BUTTONS_AND_OPTIONS):
                yield language, key, BUTTON_TEXT_MAX


@pytest.mark.parametrize(("language", "key", "limit"), list(_limited()))
def test_slack_length_limits(language: str, key: str, limit: int) -> None:
    text = (JA if language == "ja" else EN)[key]
    assert len(text) <= limit, f"{language} {key} is {len(text)} characters: {text!r}"
