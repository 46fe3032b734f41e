"""Method facts copied from /work/shared/slack-specs/methods (slack-ruby/slack-api-ref, MIT).

Embedded so the stand-in also runs where the spec folder is absent (offline demo);
tests/standin/test_spec_data.py checks this copy against the folder when it exists.
Each entry: HTTP method, bot scopes, required args (without "token"), documented errors.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MethodSpec:
    http_method: str
    bot_scopes: tuple[str, ...]
    required: tuple[str, ...]
    errors: tuple[str, ...]


def _spec(http_method: str, scopes: str, required: str, errors: str) -> MethodSpec:
    return MethodSpec(
        http_method, tuple(scopes.split()), tuple(required.split()), tuple(errors.split())
    )


METHODS: dict[str, MethodSpec] = {
    "apps.connections.open": _spec(
        "POST",
        "",
        "",
        ("forbidden_team insecure_request internal_error invalid_auth missing_args"),
    ),
    "auth.test": _spec(
        "POST",
        "",
        "",
        ("internal_error invalid_auth"),
    ),
    "chat.delete": _spec(
        "POST",
        "chat:write",
        "ts channel",
        ("cant_delete_message channel_not_found message_not_found"),
    ),
    "chat.getPermalink": _spec(
        "GET",
        "",
        "channel message_ts",
        ("channel_not_found message_not_found"),
    ),
    "chat.postEphemeral": _spec(
        "POST",
        "chat:write",
        "user channel",
        (
            "channel_not_found invalid_blocks invalid_blocks_format is_archived "
            "markdown_text_conflict message_limit_exceeded messages_tab_disabled msg_too_long "
            "no_text restricted_action too_many_attachments user_not_in_channel "
            "not_in_channel invalid_attachments cannot_reply_to_message"
        ),
    ),
    "chat.postMessage": _spec(
        "POST",
        "chat:write",
        "channel",
        (
            "app_access_restricted as_user_not_supported channel_not_found "
            "draft_already_deleted draft_already_sent draft_has_conflict draft_not_found "
            "duplicate_channel_not_found duplicate_message_not_found ekm_access_denied "
            "invalid_blocks invalid_blocks_format invalid_metadata_format "
            "invalid_metadata_schema is_archived markdown_text_conflict "
            "message_limit_exceeded messages_tab_disabled metadata_must_be_sent_from_app "
            "metadata_too_large msg_blocks_too_long no_text not_in_channel rate_limited "
            "restricted_action restricted_action_non_threadable_channel "
            "restricted_action_read_only_channel restricted_action_thread_locked "
            "restricted_action_thread_only_channel send_on_behalf_not_allowed "
            "slack_connect_canvas_sharing_blocked slack_connect_file_link_sharing_blocked "
            "slack_connect_lists_sharing_blocked team_not_found too_many_attachments "
            "too_many_contact_cards cannot_reply_to_message missing_file_data "
            "attachment_payload_limit_exceeded"
        ),
    ),
    "chat.update": _spec(
        "POST",
        "chat:write",
        "ts channel",
        (
            "as_user_not_supported blocked_file_type block_mismatch cant_broadcast_message "
            "cant_update_message channel_not_found edit_window_closed "
            "external_channel_migrating file_deleted file_is_deleted file_not_found "
            "file_share_limit_reached invalid_attachments invalid_blocks "
            "invalid_blocks_format invalid_metadata_format invalid_metadata_schema "
            "is_inactive markdown_text_conflict max_file_sharing_exceeded "
            "message_limit_exceeded message_not_found metadata_must_be_sent_from_app "
            "metadata_too_large msg_too_long no_dual_broadcast_content_update no_text "
            "posting_to_channel_denied slack_connect_blocked_file_type "
            "slack_connect_canvas_sharing_blocked slack_connect_clip_sharing_blocked "
            "slack_connect_file_link_sharing_blocked "
            "slack_connect_file_upload_sharing_blocked streaming_state_conflict "
            "team_not_found too_many_attachments unable_to_share_files update_failed"
        ),
    ),
    "conversations.history": _spec(
        "GET",
        "groups:history im:history mpim:history channels:history",
        "channel",
        (
            "channel_is_limited_access channel_not_found invalid_cursor "
            "invalid_metadata_filter_keys invalid_ts_latest invalid_ts_oldest not_in_channel"
        ),
    ),
    "conversations.info": _spec(
        "GET",
        "groups:read im:read mpim:read channels:read",
        "channel",
        ("channel_is_limited_access channel_not_found missing_scope"),
    ),
    "conversations.members": _spec(
        "GET",
        "groups:read im:read mpim:read channels:read",
        "channel",
        (
            "channel_not_found fetch_members_failed invalid_cursor invalid_limit "
            "method_not_supported_for_channel_type missing_scope"
        ),
    ),
    "conversations.open": _spec(
        "POST",
        "channels:manage groups:write im:write mpim:write",
        "",
        (
            "channel_not_found invalid_user_combination method_not_supported_for_channel_type "
            "missing_scope not_enough_users too_many_users user_disabled user_not_found "
            "user_not_visible users_list_not_supplied"
        ),
    ),
    "conversations.replies": _spec(
        "GET",
        "groups:history im:history mpim:history channels:history",
        "channel ts",
        (
            "channel_not_found invalid_cursor invalid_metadata_filter_keys invalid_ts_latest "
            "invalid_ts_oldest missing_scope thread_not_found "
            "method_not_supported_for_channel_type list_record_comment_fetch_failed"
        ),
    ),
    "files.completeUploadExternal": _spec(
        "POST",
        "files:write",
        "files",
        (
            "access_denied channel_not_found file_not_found file_update_failed invalid_blocks "
            "invalid_channel not_in_channel posting_to_channel_denied channels_limit_exceeded "
            "file_type_not_allowed file_uploads_except_images_disabled"
        ),
    ),
    "files.getUploadURLExternal": _spec(
        "POST",
        "files:write",
        "length filename",
        (
            "alt_txt_too_large file_upload_size_restricted file_uploads_disabled "
            "missing_argument snippet_too_large storage_limit_reached unknown_snippet_type "
            "unknown_subtype file_type_not_allowed file_uploads_except_images_disabled"
        ),
    ),
    "usergroups.users.list": _spec(
        "GET",
        "usergroups:read",
        "usergroup",
        ("no_such_subteam plan_upgrade_required invalid_cursor"),
    ),
    "users.info": _spec(
        "GET",
        "users:read",
        "user",
        ("too_many_users user_not_found user_not_visible"),
    ),
    "views.open": _spec(
        "POST",
        "",
        "view",
        (
            "duplicate_external_id exchanged_trigger_id expired_trigger_id invalid_trigger_id "
            "view_too_large"
        ),
    ),
    "views.publish": _spec(
        "POST",
        "",
        "user_id view",
        (
            "duplicate_external_id hash_conflict missing_profile_id not_allowed_token_type "
            "not_enabled not_implemented view_too_large"
        ),
    ),
    "views.push": _spec(
        "POST",
        "",
        "view",
        (
            "duplicate_external_id exchanged_trigger_id expired_trigger_id invalid_trigger_id "
            "not_found push_limit_reached view_too_large"
        ),
    ),
    "views.update": _spec(
        "POST",
        "",
        "view",
        ("duplicate_external_id hash_conflict not_found view_too_large"),
    ),
}
