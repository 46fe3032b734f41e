"""Files v2: files.getUploadURLExternal, the upload URL itself, files.completeUploadExternal."""

from __future__ import annotations

import mimetypes
import secrets
from typing import Any

from aiohttp import web

from slack_standin.api_chat import check_content, require_postable, resolve_channel
from slack_standin.state import ApiError, State

Args = dict[str, Any]


def _invalid(message: str) -> ApiError:
    return ApiError("invalid_arguments", response_metadata={"messages": [f"[ERROR] {message}"]})


async def get_upload_url(state: State, args: Args) -> Args:
    try:
        length = int(args["length"])
    except (KeyError, TypeError, ValueError) as exc:
        raise _invalid("length must be an integer") from exc
    if length < 1:
        raise _invalid("length must be greater than 0")
    file_id, key = state.new_id("F"), secrets.token_urlsafe(12)
    state.uploads[file_id] = {
        "key": key,
        "filename": str(args.get("filename")),
        "length": length,
        "alt_txt": args.get("alt_txt"),
        "bytes": None,
    }
    return {"upload_url": f"{state.base_url}upload/v1/{key}", "file_id": file_id}


async def receive_upload(state: State, request: web.Request) -> web.Response:
    """The upload URL: takes the raw bytes (or a multipart "file" part), answers text/plain."""
    key = request.match_info["key"]
    pending = next((u for u in state.uploads.values() if u["key"] == key), None)
    if pending is None:
        return web.Response(status=404, text="upload_url_not_found")
    if request.content_type == "multipart/form-data":
        form = await request.post()
        part = next(iter(form.values()), b"")
        data = part.file.read() if hasattr(part, "file") else str(part).encode()
    else:
        data = await request.read()
    pending["bytes"] = data
    return web.Response(text=f"OK - {len(data)}", content_type="text/plain")


def _file_object(state: State, file_id: str, upload: Args, title: str) -> Args:
    ws, now = state.workspace, int(state.clock())
    name = upload["filename"]
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    base = f"https://files.slack.com/files-pri/{ws.team_id}-{file_id}/{name}"
    return {
        "id": file_id,
        "created": now,
        "timestamp": now,
        "name": name,
        "title": title,
        "mimetype": mime,
        "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "binary",
        "pretty_type": mime,
        "user": ws.bot_user_id,
        "user_team": ws.team_id,
        "editable": False,
        "size": len(upload["bytes"]),
        "mode": "hosted",
        "is_external": False,
        "external_type": "",
        "is_public": False,
        "public_url_shared": False,
        "display_as_bot": False,
        "url_private": base,
        "url_private_download": base.replace("files-pri", "files-pri/download", 1),
        "permalink": f"{ws.url}files/{ws.bot_user_id}/{file_id}/{name}",
        "channels": [],
        "groups": [],
        "ims": [],
        "shares": {},
        "alt_txt": upload.get("alt_txt") or "",
    }


def _targets(state: State, args: Args) -> list[str]:
    raw = args.get("channel_id") or args.get("channels") or ""
    ids = [c for c in str(raw).split(",") if c]
    for channel_id in ids:
        require_postable(state, resolve_channel(state, channel_id))
    return [resolve_channel(state, c).id for c in ids]


def _share(state: State, files: list[Args], channel_id: str, args: Args) -> None:
    """Sharing posts a message carrying the files, as Slack does."""
    info = state.channels[channel_id]
    msg = {
        "type": "message",
        "user": state.workspace.bot_user_id,
        "text": args.get("initial_comment") or "",
        "ts": state.new_ts(),
        "files": files,
        "upload": True,
        "display_as_bot": False,
    }
    if args.get("thread_ts"):
        msg["thread_ts"] = args["thread_ts"]
    state.add_message(channel_id, msg)
    bucket = "private" if info.is_private else "public"
    listing = "ims" if info.is_im else "groups" if info.is_private else "channels"
    share = {"ts": msg["ts"], "channel_name": info.name, "team_id": state.workspace.team_id}
    share |= {"share_user_id": state.workspace.bot_user_id, "source": "UNKNOWN"}
    for f in files:
        f[listing].append(channel_id)
        f["shares"].setdefault(bucket, {})[channel_id] = [share]


async def complete_upload(state: State, args: Args) -> Args:
    items = args.get("files")
    if not isinstance(items, list) or not items:
        raise _invalid("files must be a non-empty array")
    if args.get("blocks") is not None:
        check_content(args, need_content=False)
    targets = _targets(state, args)
    files = []
    for item in items:
        upload = state.uploads.get(str(item.get("id") if isinstance(item, dict) else ""))
        if upload is None or upload["bytes"] is None:
            raise ApiError("file_not_found")
        files.append(
            _file_object(state, item["id"], upload, item.get("title") or upload["filename"])
        )
    for channel_id in targets:
        _share(state, files, channel_id, args)
    recorded: list[str | None] = [*targets] or [None]  # an unshared upload has no channel
    for f, item in zip(files, items, strict=True):
        upload = state.uploads.pop(item["id"])
        for shared_to in recorded:
            state.files.append(
                {
                    "id": f["id"],
                    "title": f["title"],
                    "filename": f["name"],
                    "bytes": upload["bytes"],
                }
                | {"channel_id": shared_to, "initial_comment": args.get("initial_comment")}
                | {"thread_ts": args.get("thread_ts")}
            )
    return {"files": files}


HANDLERS = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
}
