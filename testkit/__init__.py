"""What the tests and the benchmarks share: fake AWS with the template's tables, the functions as
`make run` loads them, and an API client that goes through the same API Gateway emulator in-process.
"""

from testkit.api import DEMO_KEY, OTHER_KEY, Api, Reply, demo_api
from testkit.aws import SENDER, fake_aws
from testkit.events import bus_recorder, drain_queue, drain_stream
from testkit.functions import TEMPLATE, Context, DynamoCalls, counting_calls, handler_module

__all__ = [
    "DEMO_KEY",
    "OTHER_KEY",
    "SENDER",
    "TEMPLATE",
    "Api",
    "Context",
    "DynamoCalls",
    "Reply",
    "bus_recorder",
    "counting_calls",
    "demo_api",
    "drain_queue",
    "drain_stream",
    "fake_aws",
    "handler_module",
]
