"""How every email names its client: an SES message tag and a header, so SES's feedback finds the client."""

from __future__ import annotations

CLIENT_TAG = "client_id"
CLIENT_HEADER = "X-Orders-Client"
