"""``python -m bot.cli``: the same entry point as the ``kasuhara-bot`` script."""

from bot.cli.main import main

raise SystemExit(main())
