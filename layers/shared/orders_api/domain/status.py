"""The statuses an order moves through, apart from the models, so that code which never loads pydantic
can name them."""

from __future__ import annotations

from typing import Literal, get_args

Status = Literal["placed", "paid", "processing", "shipped", "delivered", "completed", "canceled", "returned"]
STATUSES: tuple[Status, ...] = get_args(Status)
