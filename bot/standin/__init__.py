"""A faithful local Slack stand-in for tests and the offline demo (see README.md here)."""

from bot.standin.driver import SlackDriver
from bot.standin.server import SlackStandin
from bot.standin.state import ApiCall
from bot.standin.transport import DriverResponse
from bot.standin.workspace import ChannelInfo, UserInfo, Workspace

__all__ = [
    "ApiCall",
    "ChannelInfo",
    "DriverResponse",
    "SlackDriver",
    "SlackStandin",
    "UserInfo",
    "Workspace",
]
