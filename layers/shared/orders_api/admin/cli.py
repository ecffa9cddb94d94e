"""`orders-admin`: creates clients, sets their settings, and issues, rotates and revokes API keys.

Keys are printed only when issued; the table holds nothing but their hashes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from orders_api.app import client_admin as admin
from orders_api.domain.client_settings import ClientSettings
from orders_api.settings import current as environment
from orders_api.store.registry import Registry
from orders_api.store.table import Table

SETTINGS_FLAGS = {
    "name": "name",
    "sender_email": "sender_email",
    "sender_name": "sender_name",
    "review_link_template": "review_link_template",
    "shop_review_link_template": "shop_review_link_template",
    "default_locale": "default_locale",
    "delay": "invitation_delay",
    "reminder": "invitation_reminder",
    "send_time": "send_time",
    "time_zone": "time_zone",
    "invitation_cap": "invitation_cap",
    "retention_days": "retention_days",
    "usage_key": "usage_key",
}


def _offset(value: str) -> dict[str, Any]:
    """UNIT:AMOUNT as the dict ClientSettings validates; unit and range are checked there."""
    unit, separator, amount = value.partition(":")
    if not separator or not amount.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected UNIT:AMOUNT such as days:7, got {value!r}")
    return {"unit": unit.strip(), "amount": int(amount)}


def _reminder(value: str) -> dict[str, Any] | None:
    return None if value.lower() == "none" else _offset(value)


def _cap(value: str) -> dict[str, Any] | None:
    """COUNT:DAYS as the dict ClientSettings validates, or none."""
    if value.lower() == "none":
        return None
    count, separator, days = value.partition(":")
    if not separator or not count.strip().isdigit() or not days.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected COUNT:DAYS such as 1:30, got {value!r}")
    return {"count": int(count), "days": int(days)}


def _days(value: str) -> int | None:
    if value.lower() == "none":
        return None
    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of days or none, got {value!r}")
    return int(value)


def _optional(value: str) -> str | None:
    """'none' clears a setting."""
    return None if value.lower() == "none" else value


def _settings_parser() -> argparse.ArgumentParser:
    """The settings flags shared by create-client and set-settings; unset flags leave fields alone."""
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("client settings")
    default = argparse.SUPPRESS
    group.add_argument("--name", default=default)
    group.add_argument("--sender-email", default=default)
    group.add_argument("--sender-name", default=default)
    group.add_argument("--review-link-template", default=default, metavar="URL")
    group.add_argument("--shop-review-link-template", type=_optional, default=default, metavar="URL|none")
    group.add_argument("--default-locale", type=_optional, default=default, metavar="TAG|none")
    group.add_argument("--delay", type=_offset, default=default, metavar="UNIT:AMOUNT")
    group.add_argument("--reminder", type=_reminder, default=default, metavar="UNIT:AMOUNT|none")
    group.add_argument("--send-time", default=default, metavar="HH:MM")
    group.add_argument("--time-zone", default=default, metavar="NAME")
    group.add_argument("--invitation-cap", type=_cap, default=default, metavar="COUNT:DAYS|none")
    group.add_argument("--retention-days", type=_days, default=default, metavar="DAYS|none")
    group.add_argument(
        "--usage-key",
        type=_optional,
        default=default,
        metavar="VALUE|none",
        help="value of the client's own API Gateway API key (its usage plan sets the client's limits); "
        "none: the default usage plan",
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orders-admin", description=__doc__)
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--table", default=None, help="default: $TABLE_NAME")
    target.add_argument("--stack", help="read the table name from this stack's TableName output")
    parser.add_argument("--endpoint-url", help="AWS endpoint; default: $AWS_ENDPOINT_URL")
    parser.add_argument("--region", help="the stack's region; default: $AWS_DEFAULT_REGION or the profile's")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    settings = _settings_parser()
    create = commands.add_parser("create-client", parents=[settings], help="create a client")
    create.add_argument("client_id", metavar="CLIENT_ID")
    update = commands.add_parser("set-settings", parents=[settings], help="change a client's settings")
    update.add_argument("client_id", metavar="CLIENT_ID")
    issue = commands.add_parser("issue-key", help="issue a key and print it (shown only this once)")
    issue.add_argument("client_id", metavar="CLIENT_ID")
    revoke = commands.add_parser("revoke-key", help="revoke a key")
    revoke.add_argument("key", metavar="KEY")
    rotate = commands.add_parser("rotate-key", help="issue a new key, then revoke the old one")
    rotate.add_argument("client_id", metavar="CLIENT_ID")
    rotate.add_argument("--old", required=True, metavar="KEY")
    commands.add_parser("list-clients", help="print every client id, one a line")
    return parser


def _table_from_stack(session: boto3.Session, stack: str, endpoint_url: str | None) -> str:
    described = session.client("cloudformation", endpoint_url=endpoint_url).describe_stacks(StackName=stack)
    outputs = described["Stacks"][0].get("Outputs", [])
    name = next((o["OutputValue"] for o in outputs if o["OutputKey"] == "TableName"), None)
    if name is None:
        raise LookupError(f"stack {stack!r} has no TableName output")
    return str(name)


def _registry(args: argparse.Namespace) -> Registry:
    session = boto3.Session(region_name=args.region)
    if session.region_name is None:
        raise ValueError("name the region with --region or AWS_DEFAULT_REGION")
    table = (
        _table_from_stack(session, args.stack, args.endpoint_url)
        if args.stack
        else args.table or environment().table
    )
    if not table:
        raise ValueError("name the table with --table, --stack or TABLE_NAME")
    return Registry(Table(table, session.client("dynamodb", endpoint_url=args.endpoint_url)))


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    given = vars(args)
    return {field: given[flag] for flag, field in SETTINGS_FLAGS.items() if flag in given}


def _run(args: argparse.Namespace) -> list[str]:
    """The command's output lines."""
    registry = _registry(args)
    if args.command == "create-client":
        settings = ClientSettings.model_validate({**_changes(args), "client_id": args.client_id})
        return [admin.create_client(registry, settings).model_dump_json(indent=2)]
    if args.command == "set-settings":
        return [admin.update_settings(registry, args.client_id, _changes(args)).model_dump_json(indent=2)]
    if args.command == "issue-key":
        return [admin.issue_key(registry, args.client_id)]
    if args.command == "revoke-key":
        if not admin.revoke_key(registry, args.key):
            raise LookupError("unknown key")
        return ["revoked"]
    if args.command == "rotate-key":
        return [admin.rotate_key(registry, args.client_id, args.old)]
    return admin.list_clients(registry)


def _message(error: Exception) -> str:
    """Pydantic's report, one 'field: problem' per error, without its type codes and links."""
    if isinstance(error, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
    return str(error)


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status 0 on success, 2 on bad input (unknown client or key, invalid settings), 1 when AWS fails."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        lines = _run(args)
    except (ValueError, LookupError) as error:
        print(f"orders-admin: error: {_message(error)}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"orders-admin: AWS error: {error}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0
