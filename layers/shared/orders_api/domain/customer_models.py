"""Customer requests and answers: the patch, the profile the customer routes show, and erasures.

Apart from orders_api.domain.models, so the functions that write orders load none of these.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StrictBool, model_validator

from orders_api.domain import examples
from orders_api.domain.base_models import Strict, Wire
from orders_api.domain.models import Customer, Suppression
from orders_api.domain.scalars import Email


class CustomerProfile(Customer):
    """The customer as the customer routes show it: with the suppression of their address."""

    suppressed: Suppression | None = Field(
        default=None, description="bounced or complained: nothing is sent to this address any more"
    )


class CustomerPatch(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"opt_out": True}, {"suppressed": None}]})

    opt_out: StrictBool | None = None
    suppressed: None = Field(
        default=None, description="null lifts the suppression of the customer's address (it works again)"
    )

    @model_validator(mode="after")
    def _something_to_change(self) -> CustomerPatch:
        if self.opt_out is None and "suppressed" not in self.model_fields_set:
            raise ValueError("send opt_out (true or false) or suppressed: null")
        return self


class ErasureRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"emails": ["jane@example.com"]}]})

    emails: Annotated[list[Email], Field(min_length=1, max_length=100)]


class CustomerErasure(Wire):
    customer_id: str
    orders: int = Field(description="orders erased by this request; 0 when already erased")


class CustomerErasureEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": {"customer_id": "C7", "orders": 3}}]})

    data: CustomerErasure


class Erasures(Wire):
    customers: int
    orders: int


class ErasuresEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": {"customers": 1, "orders": 3}}]})

    data: Erasures


class CustomerEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": examples.CUSTOMER_PROFILE}]})

    data: CustomerProfile
