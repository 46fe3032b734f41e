"""`kasuhara-bot`: the operators' commands."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from bot.config import ConfigError, Settings, StartupError, load_settings, provided
from bot.logging_setup import configure_logging
from bot.policy.document import PolicyFormatError
from bot.privacy.crypto import Cipher, DataKeyError, generate_key

Command = Callable[[argparse.Namespace], int]


def _cipher(settings: Settings) -> Cipher:
    if settings.data_key is None or not settings.data_key.get_secret_value():
        raise DataKeyError(
            "KASUHARA_DATA_KEY is not set: report text is stored encrypted; "
            "make a key with `kasuhara-bot gen-key` and put it in the environment or .env"
        )
    return Cipher.from_setting(settings.data_key.get_secret_value())


def cmd_run(_: argparse.Namespace) -> int:
    from bot.serve import serve

    required = ["slack_bot_token", "supervisor_channel", "hr_channel", "data_key"]
    if not provided("SLACK_APP_TOKEN"):  # HTTP mode: requests are verified with the secret
        required.append("slack_signing_secret")
    settings = load_settings(*required)
    asyncio.run(serve(settings, _cipher(settings)))
    return 0


def cmd_demo(_: argparse.Namespace) -> int:
    from bot.demo.story import run_demo

    # The refusals the story provokes on purpose are not operator news here.
    logging.getLogger("kasuhara").setLevel(logging.ERROR)
    return asyncio.run(run_demo(print))


def cmd_db(args: argparse.Namespace) -> int:
    from storage.migrate import upgrade_sync

    upgrade_sync(load_settings().database_url, args.revision)
    print(f"database upgraded to {args.revision}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.cli.terminal import answer_in_terminal

    print(answer_in_terminal(load_settings(), " ".join(args.question)))
    return 0


def cmd_check(_: argparse.Namespace) -> int:
    from bot.cli.check import run_check

    settings = load_settings()
    settings.require("slack_bot_token")
    report, ok = asyncio.run(run_check(settings))
    print(report)
    return 0 if ok else 1


def cmd_gen_key(_: argparse.Namespace) -> int:
    print(generate_key())
    return 0


def cmd_eval_qa(args: argparse.Namespace) -> int:
    from bot.policy.evaluate import run_eval_qa

    policy = Path(args.policy) if args.policy else load_settings().policy_path
    print(run_eval_qa(Path(args.file), policy))
    return 0


def cmd_policy_check(args: argparse.Namespace) -> int:
    from bot.policy.check import run_policy_check

    report, ok = run_policy_check(Path(args.file))
    print(report)
    return 0 if ok else 2


def _argument(parse: Callable[[str], object]) -> Callable[[str], object]:
    """An argparse `type` that shows the parser's own message for a bad value."""

    def convert(text: str) -> object:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def _iso_week(text: str) -> object:
    from bot.digest.weeks import parse_week

    return _argument(parse_week)(text)


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.digest.format import digest_report

    print(asyncio.run(digest_report(load_settings(), week=args.week, fmt=args.format)))
    return 0


def cmd_rotate_key(_: argparse.Namespace) -> int:
    from bot.clock import utcnow
    from bot.privacy.keys import rotate_data_key
    from storage.db import engine_for, make_sessions

    settings = load_settings()
    _cipher(settings)  # no key, or a malformed one: refused here in one line
    assert settings.data_key is not None  # _cipher refused a missing key
    setting = settings.data_key.get_secret_value()

    async def rotate() -> str:
        async with engine_for(settings.database_url) as engine:
            done = await rotate_data_key(make_sessions(engine), setting, now=utcnow())
        return f"re-encrypted {done.rotated} of {done.checked} reports under the first key"

    print(asyncio.run(rotate()))
    return 0


def _age(text: str) -> object:
    from bot.privacy.retention import parse_age

    return _argument(parse_age)(text)


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.clock import utcnow
    from bot.privacy.retention import parse_age, purge
    from storage.db import engine_for, make_sessions

    settings = load_settings()
    age = args.older_than or parse_age(settings.retention)

    async def run() -> str:
        async with engine_for(settings.database_url) as engine:
            done = await purge(make_sessions(engine), now=utcnow(), age=age, zone=settings.zone)
        before = done.resolved_before.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M %Z")
        return (
            f"purged {done.cases} closed cases resolved before {before} (older than {age}); "
            f"forgot {done.requests} delivery keys and {done.payloads} sent message payloads"
        )

    print(asyncio.run(run()))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from bot.privacy.audit_trail import case_history

    history = asyncio.run(case_history(load_settings(), args.case))
    if history is None:
        print(f"kasuhara-bot: no case {args.case}", file=sys.stderr)
        return 1
    print(history)
    return 0


def cmd_record(args: argparse.Namespace) -> int:
    from bot.record.terminal import record_for_terminal

    out = sys.stdout.buffer if args.output is None else None
    if out is not None and sys.stdout.isatty():
        print(
            "kasuhara-bot: a PDF is not for the terminal: redirect it (> file.pdf)", file=sys.stderr
        )
        return 2
    settings = load_settings()
    produced = asyncio.run(record_for_terminal(settings, _cipher(settings), args.case))
    if produced is None:
        print(f"kasuhara-bot: no case {args.case}", file=sys.stderr)
        return 1
    if out is None:
        Path(args.output).write_bytes(produced.content)
    else:
        out.write(produced.content)
        out.flush()
    print(f"{produced.case_number}: {produced.pages} pages", file=sys.stderr)
    return 0


COMMANDS: dict[str, tuple[Command, str]] = {
    "run": (cmd_run, "serve Slack (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)"),
    "demo": (cmd_demo, "play the whole story against the local Slack stand-in"),
    "ask": (cmd_ask, "answer a policy question in the terminal"),
    "check": (cmd_check, "verify tokens, scopes and that both channels are private"),
    "gen-key": (cmd_gen_key, "print a new KASUHARA_DATA_KEY"),
    "eval-qa": (cmd_eval_qa, "score the policy matcher on a JSONL question file"),
    "digest": (cmd_digest, "print a week's HR digest (needs only DATABASE_URL)"),
    "rotate-key": (cmd_rotate_key, "re-encrypt stored text under the first KASUHARA_DATA_KEY"),
    "purge": (cmd_purge, "remove the text of closed cases past retention"),
    "audit": (cmd_audit, "print a case's audit history"),
    "record": (cmd_record, "write a case record (PDF) to standard output, audited"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kasuhara-bot")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (func, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text).set_defaults(func=func)
    sub.choices["ask"].add_argument("question", nargs="+")
    sub.choices["eval-qa"].add_argument("file")
    sub.choices["eval-qa"].add_argument(
        "--policy", help="policy file to score (default KASUHARA_POLICY_PATH or the bundled one)"
    )
    sub.choices["digest"].add_argument("--week", type=_iso_week, help="e.g. 2026-W48")
    sub.choices["digest"].add_argument("--format", choices=("text", "json", "csv"), default="text")
    sub.choices["purge"].add_argument(
        "--older-than", type=_age, help="e.g. 3y, 18m, 6w, 90d (default KASUHARA_RETENTION)"
    )
    sub.choices["audit"].add_argument("--case", required=True, help="e.g. KH-2026-0001")
    sub.choices["record"].add_argument("case", help="e.g. KH-2026-0001")
    sub.choices["record"].add_argument("-o", "--output", help="a file instead of standard output")
    policy = sub.add_parser("policy", help="policy documents")
    policy_sub = policy.add_subparsers(dest="policy_command", required=True)
    check = policy_sub.add_parser(
        "check", help="how a policy file's passages link to the concepts, and what is missing"
    )
    check.add_argument("file")
    check.set_defaults(func=cmd_policy_check)
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply migrations")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=cmd_db)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.func is not cmd_run:  # `run` turns the collector back on once it listens
        gc.enable()
    configure_logging(logging.WARNING)
    try:
        return int(args.func(args))
    except (ConfigError, DataKeyError, PolicyFormatError) as exc:
        for line in str(exc).splitlines() or [type(exc).__name__]:
            print(f"kasuhara-bot: {line}", file=sys.stderr)
        return 2
    except StartupError as exc:
        print(f"kasuhara-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
