"""Wire models of orders: the one definition of each order request and answer, and of the customer
as an order carries it. Their base and the problem body are in domain.base_models; the customer
routes' bodies in domain.customer_models; the list's page in domain.page_models.

Requests and responses share one shape. Input models accept the read-only fields
(so a fetched order can be posted back as it is) and drop them; unknown fields are
rejected because they are usually typos.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    ConfigDict,
    Field,
    FieldSerializationInfo,
    JsonValue,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_serializer,
    model_validator,
)

from orders_api.domain import examples
from orders_api.domain.base_models import Offset, Strict, Wire
from orders_api.domain.field_errors import FieldError
from orders_api.domain.scalars import (
    Attributes,
    Currency,
    Email,
    Gtin,
    Identifier,
    Instant,
    IsoDate,
    LocaleTag,
    Money,
    ShortText,
    Text,
    TimeZoneName,
    Url,
)
from orders_api.domain.status import Status
from orders_api.domain.text import MAX_ITEMS

WriteMode = Literal["merge", "create", "replace"]
Suppression = Literal["bounced", "complained"]
InvitationState = Literal["scheduled", "sent", "reminded", "canceled", "not_eligible", "failed"]
Note = Annotated[Text, StringConstraints(max_length=2000)]

T = TypeVar("T")


def _ignored_when_invalid(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        return None


# What the service sets: documented with the type it is shown with, so a fetched order can be posted
# back as it is, and ignored on input, whatever its value.
ReadOnly = Annotated[
    T | None,
    WrapValidator(_ignored_when_invalid),
    Field(
        default=None,
        exclude=True,
        json_schema_extra={
            "readOnly": True,
            "description": "Read-only: set by the service, ignored on input",
        },
    ),
]


class CustomerBase(Strict):
    id: Identifier
    email: Email | None = None
    name: Annotated[Text, StringConstraints(max_length=250)] | None = None
    phone: Annotated[Text, StringConstraints(max_length=32)] | None = None


class CustomerIn(CustomerBase):
    opt_out: ReadOnly[bool]
    erased: ReadOnly[bool]
    suppressed: ReadOnly[Suppression]
    created_at: ReadOnly[Instant]
    updated_at: ReadOnly[Instant]


class Customer(CustomerBase):
    opt_out: bool = False
    erased: bool = Field(default=False, description="true after an erasure: email, name and phone are gone")
    created_at: Instant | None = None
    updated_at: Instant | None = None


class ItemBase(Strict):
    id: Identifier
    name: Annotated[Text, StringConstraints(max_length=2048)] | None = None
    url: Url | None = None
    image_url: Url | None = None
    family_id: ShortText | None = None
    category: ShortText | None = None
    sku: ShortText | None = None
    gtin: Gtin | None = None
    price: Money | None = None
    quantity: Annotated[StrictInt, Field(ge=1)] = 1
    returned: Annotated[StrictInt, Field(ge=0)] | None = None
    delivery_date: IsoDate | None = None
    reviewable: StrictBool | None = Field(
        default=None, description="default: true when the item has a name; false cancels its review"
    )
    reviewed: StrictBool = Field(
        default=False, description="the customer reviewed this item: it leaves the reminder"
    )
    properties: Attributes | None = None

    @model_validator(mode="after")
    def _returned_within_quantity(self) -> ItemBase:
        if self.returned is not None and self.returned > self.quantity:
            raise ValueError("returned must not exceed quantity")
        return self


class ItemIn(ItemBase):
    deleted: ReadOnly[bool]
    created_at: ReadOnly[Instant]
    updated_at: ReadOnly[Instant]


class Item(ItemBase):
    deleted: bool = False
    created_at: Instant
    updated_at: Instant

    @property
    def is_reviewable(self) -> bool:
        return self.reviewable if self.reviewable is not None else bool(self.name)

    @field_serializer("reviewable")
    def _effective_reviewable(self, value: bool | None, info: FieldSerializationInfo) -> bool | None:
        """Stored as given (None = default); shown to users resolved."""
        if info.context and info.context.get("public"):
            return self.is_reviewable
        return value


class InvitationBase(Strict):
    delay: Offset | None = None
    reminder: Offset | None = Field(default=None, description="null for no reminder; >= 24 h after delay")
    from_: Literal["delivery", "order"] | None = Field(default=None, alias="from")


class InvitationIn(InvitationBase):
    state: ReadOnly[InvitationState]
    send_at: ReadOnly[Instant]
    sent_at: ReadOnly[Instant]
    reminder_at: ReadOnly[Instant]
    reminded_at: ReadOnly[Instant]
    reason: ReadOnly[str]


class Invitation(InvitationBase):
    model_config = ConfigDict(serialize_by_alias=True)

    state: InvitationState | None = None
    send_at: Instant | None = None
    sent_at: Instant | None = None
    reminder_at: Instant | None = None
    reminded_at: Instant | None = None
    reason: str | None = None


class StatusChange(Strict):
    status: Status
    note: Note | None = None
    notify_customer: bool = False
    created_at: Instant


class OrderBase(Strict):
    id: Identifier
    placed_at: Instant | None = None
    currency: Currency | None = None
    total_value: Money | None = None
    time_zone: TimeZoneName | None = None
    locale: LocaleTag | None = Field(
        default=None,
        description="The language of every email about this order (exact tag, then its language, "
        "then the client's default_locale, then en)",
    )
    note: Note | None = None
    attributes: Attributes | None = None


class OrderIn(OrderBase):
    customer: CustomerIn
    items: Annotated[list[ItemIn], Field(max_length=MAX_ITEMS)] = Field(default_factory=list)
    invitation: InvitationIn | None = None
    status: ReadOnly[Status]
    status_history: ReadOnly[list[StatusChange]]
    deleted: ReadOnly[bool]
    deleted_at: ReadOnly[Instant]
    created_at: ReadOnly[Instant]
    updated_at: ReadOnly[Instant]
    version: ReadOnly[int]

    @model_validator(mode="after")
    def _unique_item_ids(self) -> OrderIn:
        ids = [item.id for item in self.items]
        repeated = sorted({item_id for item_id in ids if ids.count(item_id) > 1})
        if repeated:
            raise ValueError(f"item ids must be unique within an order; repeated: {', '.join(repeated)}")
        return self


class Order(OrderBase):
    status: Status = "placed"
    customer: Customer
    items: list[Item] = Field(default_factory=list)
    invitation: Invitation = Field(default_factory=Invitation)
    status_history: list[StatusChange] = Field(default_factory=list)
    deleted: bool = False
    deleted_at: Instant | None = None
    created_at: Instant
    updated_at: Instant
    version: int = 0

    def public(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, context={"public": True})


class UpsertOrderRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"order": examples.ORDER_IN}]})

    order: OrderIn


class BatchRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_REQUEST]})

    mode: WriteMode = "merge"
    orders: Annotated[list[JsonValue], Field(min_length=1, max_length=100)]


class StatusUpdateRequest(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.STATUS_UPDATE]})

    status: Status
    note: Note | None = None
    notify_customer: StrictBool = False


class OrderEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [{"data": examples.ORDER}]})

    data: Order


class BatchResult(Wire):
    index: int
    id: str | None = None
    status: int
    order: Order | None = None
    errors: list[FieldError] | None = None

    def public(self) -> dict[str, Any]:
        shown: dict[str, Any] = {"index": self.index, "id": self.id, "status": self.status}
        if self.order is not None:
            shown["order"] = self.order.public()
        if self.errors is not None:
            shown["errors"] = [error.shown() for error in self.errors]
        return shown


class BatchEnvelope(Wire):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_RESULTS]})

    data: list[BatchResult]
