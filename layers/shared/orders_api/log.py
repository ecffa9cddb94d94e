"""The one Powertools Logger, with a formatter that keeps personal data and secrets out of logs.

Redaction runs on the final JSON line, so it also covers exception messages and
values pulled in by libraries, not only what this code chooses to log.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

from orders_api import settings

if TYPE_CHECKING:
    from aws_lambda_powertools.logging.types import LogRecord

_PATTERNS = (
    (re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), "[email]"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 [secret]"),
    (re.compile(r"ordk_[A-Za-z0-9_-]+"), "[api-key]"),
    (re.compile(r"(?i)(token=)[A-Za-z0-9._~%-]+"), r"\1[token]"),
    (re.compile(r"\+\d[\d ()-]{6,16}\d"), "[phone]"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFormatter(LambdaPowertoolsFormatter):
    def serialize(self, log: LogRecord) -> str:
        return redact(super().serialize(log))


logger = Logger(
    service=settings.current().service_name,
    logger_formatter=RedactingFormatter(),
)
