"""JSON text as the API writes it: UTF-8 as is, no spaces."""

from __future__ import annotations

import json
from typing import Any


def dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
