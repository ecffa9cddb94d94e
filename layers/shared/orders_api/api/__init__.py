"""Lambda entry points; importing this package starts a function's init phase (see startup)."""

from orders_api.api.startup import begin

begin()
