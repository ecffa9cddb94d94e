"""Example bodies for the OpenAPI document, attached to the wire models that they illustrate.

One order, O-1001 of customer C-7, runs through every example, so the request and
response examples tell one story. Tests validate each example against its model.
"""

from __future__ import annotations

from typing import Any

ORDER_ID = "O-1001"
CUSTOMER_ID = "C-7"
_CREATED = "2026-11-14T09:31:02.000000Z"
_SHIPPED = "2026-11-16T15:04:27.000000Z"
_STAMPS = {"created_at": _CREATED, "updated_at": _CREATED}

ORDER_IN: dict[str, Any] = {
    "id": ORDER_ID,
    "placed_at": "2026-11-14T09:30:00Z",
    "currency": "EUR",
    "total_value": 109.85,
    "time_zone": "Europe/Amsterdam",
    "note": "Gift wrap, please",
    "attributes": {"channel": "web"},
    "customer": {
        "id": CUSTOMER_ID,
        "email": "jane@example.com",
        "name": "Jane Doe",
        "phone": "+31 20 123 4567",
    },
    "items": [
        {
            "id": "SKU-1",
            "name": "Trail shoe",
            "url": "https://shop.example/p/sku-1",
            "image_url": "https://shop.example/i/sku-1.jpg",
            "gtin": "4006381333931",
            "price": 89.95,
            "delivery_date": "2026-11-18",
        },
        {"id": "SKU-2", "name": "Running socks", "price": 9.95, "quantity": 2},
    ],
    "invitation": {"delay": {"unit": "days", "amount": 7}, "reminder": {"unit": "days", "amount": 14}},
}
STATUS_UPDATE: dict[str, Any] = {"status": "shipped", "note": "Tracking #ABCDEFG", "notify_customer": True}

CUSTOMER: dict[str, Any] = {
    **ORDER_IN["customer"],
    "opt_out": False,
    "erased": False,
    **_STAMPS,
}
CUSTOMER_PROFILE: dict[str, Any] = {**CUSTOMER, "suppressed": None}
ORDER: dict[str, Any] = {
    **ORDER_IN,
    "placed_at": "2026-11-14T09:30:00.000000Z",
    "status": "shipped",
    "customer": CUSTOMER,
    "items": [
        {
            **item,
            "quantity": item.get("quantity", 1),
            "reviewable": True,
            "reviewed": False,
            "deleted": False,
            **_STAMPS,
        }
        for item in ORDER_IN["items"]
    ],
    "invitation": {
        **ORDER_IN["invitation"],
        "from": "delivery",
        "state": "scheduled",
        "send_at": "2026-11-25T09:00:00.000000Z",
        "reminder_at": "2026-12-02T09:00:00.000000Z",
    },
    "status_history": [{**STATUS_UPDATE, "created_at": _SHIPPED}],
    "deleted": False,
    "created_at": _CREATED,
    "updated_at": _SHIPPED,
    "version": 2,
}
_INVALID_EMAIL = "value is not a valid email address: An email address must have an @-sign."
BATCH_REQUEST: dict[str, Any] = {
    "mode": "merge",
    "orders": [
        {"id": "O-1002", "customer": {"id": "C-8"}},
        {"id": "O-1003", "customer": {"id": "C-9", "email": "not-an-email"}},
    ],
}
BATCH_RESULTS: dict[str, Any] = {
    "data": [
        {
            "index": 0,
            "id": "O-1002",
            "status": 201,
            "order": {
                "id": "O-1002",
                "status": "placed",
                "customer": {"id": "C-8", "opt_out": False, **_STAMPS},
                "items": [],
                "invitation": {
                    "delay": {"unit": "days", "amount": 7},
                    "reminder": {"unit": "days", "amount": 14},
                },
                "status_history": [],
                "deleted": False,
                **_STAMPS,
                "version": 1,
            },
        },
        {
            "index": 1,
            "id": "O-1003",
            "status": 422,
            "errors": [{"field": "order.customer.email", "message": _INVALID_EMAIL}],
        },
    ]
}
ORDER_PAGE: dict[str, Any] = {
    "data": [ORDER],
    "links": {"next": "/v1/orders?limit=1&customer_id=C-7&after=eyJmIjoiM0M5YUtZ.dfBLTrOStREU"},
    "next_cursor": "eyJmIjoiM0M5YUtZ.dfBLTrOStREU",
}
PROBLEM: dict[str, Any] = {
    "type": "https://orders-api.example.com/problems/validation-error",
    "title": "Validation failed",
    "status": 422,
    "detail": "The request has invalid fields.",
    "instance": "/v1/orders",
    "errors": [
        {"field": "order.customer.email", "message": _INVALID_EMAIL},
        {"field": "order.items[0].quantity", "message": "Input should be greater than or equal to 1"},
    ],
    "request_id": "cb4262b0-0539-437e-9f81-44cfdae90784",
}
