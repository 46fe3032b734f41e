"""Policy as data, and a Japanese/English question matcher that quotes it (no Slack here).

Import from the modules themselves (`bot.policy.document`, `bot.policy.matcher`,
`bot.policy.evaluate`): this package re-exports nothing, so serving a question never loads the
evaluation tools.
"""
