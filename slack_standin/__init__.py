"""A faithful local Slack stand-in for tests and the offline demo (see README.md here)."""

from slack_standin.driver import SlackDriver
from slack_standin.server import SlackStandin
from slack_standin.state import ApiCall
from slack_standin.transport import DriverResponse
from slack_standin.workspace import ChannelInfo, UserInfo, Workspace

__all__ = [
    "ApiCall",
    "ChannelInfo",
    "DriverResponse",
    "SlackDriver",
    "SlackStandin",
    "UserInfo",
    "Workspace",
]
