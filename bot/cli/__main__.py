"""``python -m bot.cli``: the same entry point as the ``kasuhara-bot`` script."""

from bot.cli import main

raise SystemExit(main())
