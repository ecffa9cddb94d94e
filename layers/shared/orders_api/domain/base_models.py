"""What every function's models build on: the base of every wire model, the problem body every
route answers errors with, and the schedule offset that client settings and orders share.

Kept apart from orders_api.domain.models so that a function with no order to read (templates,
webhooks) loads only these, not the order's models.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from orders_api.domain import examples
from orders_api.domain.field_errors import FieldError
from orders_api.domain.schedule import MAX_AMOUNT

Unit = Literal["minutes", "hours", "days", "weekdays"]


class Wire(BaseModel):
    """Built on first use rather than at import: each function builds only the models it uses."""

    model_config = ConfigDict(defer_build=True)


class Strict(Wire):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Offset(Strict):
    unit: Unit
    amount: Annotated[
        StrictInt, Field(ge=0, description="days/weekdays <= 365, hours <= 8760, minutes <= 525600")
    ]

    @model_validator(mode="after")
    def _amount_within_unit(self) -> Offset:
        limit = MAX_AMOUNT[self.unit]
        if self.amount > limit:
            raise ValueError(f"amount must be at most {limit} {self.unit}")
        return self


class Problem(Wire):
    """RFC 9457 problem details."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PROBLEM]})

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None
    allowed: list[str] | None = None
    request_id: str | None = None
