"""Running the template's Lambda handlers in this process, and firing the scheduled one.

Invocations run one at a time: Powertools keeps the current event in class
attributes shared by every resolver, so two handlers running at once in one
process would read each other's requests. Lambda gets the same isolation from
one execution environment per concurrent request.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType
from typing import Any

from orders_local.faults import Faults
from orders_local.polling import Poller
from orders_local.template import Function, Template

ACCOUNT_ID = "123456789012"
DEFAULT_MAILER_INTERVAL = 60.0

logger = logging.getLogger("orders_local.runtime")

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    timeout: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_stream_name: str = "local"
    _started: float = field(default_factory=time.monotonic)

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._started + self.timeout - time.monotonic()) * 1000))


class FunctionRuntime:
    """Imports each handler on first use, like a cold start, so one broken function cannot stop the rest."""

    def __init__(self, template: Template, region: str) -> None:
        self.template = template
        self.region = region
        self._modules: dict[str, ModuleType] = {}
        self._handlers: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self.faults = Faults()
        self._api_functions = {route.function for route in template.routes}

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        function = self.template.functions[name]
        with self._lock:
            handler = self._handler(function)
            context = LambdaContext(
                function_name=function.name,
                memory_limit_in_mb=function.memory_size,
                invoked_function_arn=f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{function.name}",
                timeout=function.timeout,
            )
            if name not in self._api_functions:
                return handler(event, context)
            # Under the lock: whatever the functions' DynamoDB client does now is this request's doing.
            with self.faults.next_request():
                return handler(event, context)

    def module(self, name: str) -> ModuleType:
        """The function's handler module, imported on first use; later calls get the same one, warm."""
        function = self.template.functions[name]
        if function.name not in self._modules:
            self._modules[function.name] = _import_file(function, function.handler.rpartition(".")[0])
        return self._modules[function.name]

    def _handler(self, function: Function) -> Handler:
        if function.name not in self._handlers:
            handler = getattr(self.module(function.name), function.handler.rpartition(".")[2], None)
            if not callable(handler):
                raise TypeError(f"{function.handler} in {function.code_uri} is not a function")
            self._handlers[function.name] = handler
        return self._handlers[function.name]


def _import_file(function: Function, module_name: str) -> ModuleType:
    """Imports the handler's file under a name of its own: several functions have an app.py.

    The code directory is on sys.path while the module loads, as it is in Lambda,
    so a handler may import the files next to it.
    """
    path = function.code_uri.joinpath(*module_name.split(".")).with_suffix(".py")
    unique = f"_orders_local_{function.name}_{module_name.replace('.', '_')}"
    spec = importlib.util.spec_from_file_location(unique, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[unique] = module
    sys.path.insert(0, str(function.code_uri))
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[unique]
        raise
    finally:
        sys.path.remove(str(function.code_uri))
    return module


def _event_time(moment: datetime) -> str:
    """Microseconds kept: a run at a moment must see what was queued a fraction of a second before it."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def scheduled_event(function: Function, moment: datetime, region: str) -> dict[str, Any]:
    """The event EventBridge Scheduler (or a classic schedule rule) delivers at `moment`."""
    if any(s.type == "ScheduleV2" for s in function.schedules):
        source, resource = "aws.scheduler", f"arn:aws:scheduler:{region}:{ACCOUNT_ID}:schedule/default/local"
    else:
        source, resource = "aws.events", f"arn:aws:events:{region}:{ACCOUNT_ID}:rule/local"
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": source,
        "account": ACCOUNT_ID,
        "time": _event_time(moment),
        "region": region,
        "resources": [resource],
        "detail": {},
    }


class ScheduleTimer(Poller):
    """Fires the template's scheduled function: on demand, and every `interval` seconds in the background."""

    name = "schedule"
    wait_first = True

    def __init__(self, runtime: FunctionRuntime, interval: float) -> None:
        super().__init__(interval)
        self.runtime = runtime
        self.function = runtime.template.scheduled_function()

    def run(self, moment: datetime) -> Any:
        """The function's result; LookupError when the template schedules no function."""
        if self.function is None:
            raise LookupError("the template has no scheduled function")
        return self.runtime.invoke(
            self.function.name, scheduled_event(self.function, moment, self.runtime.region)
        )

    def start(self) -> None:
        if self.function is not None:
            super().start()

    def poll_once(self) -> int:
        """One scheduled run; 0, so the next waits a whole interval."""
        self.run(datetime.now(UTC))
        return 0
