"""Orders API. Importing the package starts a Lambda function's init phase (see orders_api.startup)."""

from orders_api.startup import begin

begin()
