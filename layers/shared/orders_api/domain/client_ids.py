"""Client ids: a '#'-free alphabet, which is what keeps every stored key free of collisions."""

from __future__ import annotations

import re

CLIENT_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def is_valid_client_id(client_id: str) -> bool:
    return bool(CLIENT_ID_PATTERN.match(client_id))
