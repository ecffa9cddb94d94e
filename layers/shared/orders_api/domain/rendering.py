"""Email templates in a Jinja2 sandbox: the built-in ones per language and the shops' own.

Both go through the same strict environment: no Python internals (SandboxedEnvironment
refuses private and unsafe attributes), no files or network (no loader for a shop's
template, so include, import and extends fail; no globals but a short range), HTML
autoescaped, StrictUndefined, a whitelist of filters, operators that cannot build huge
values, and a cap on the output. A shop's template is rendered once at write time
against a sample order with the most items an order can hold, under a deadline, so a
template that loops without end or blows up is refused before it is stored.

Templates are compiled once per container: built-ins per language on first use, a shop's
by its source text.
"""

from __future__ import annotations

import operator
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from functools import cache, lru_cache
from types import FrameType, TracebackType
from typing import Any

from jinja2 import PackageLoader, StrictUndefined, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from orders_api.domain.template_sets import PARTS, Part, TemplateSet
from orders_api.domain.template_sources import SUFFIX

MAX_OUTPUT = {"subject": 1_000, "text": 500_000, "html": 1_000_000}
MAX_NUMBER = 10_000
CHECK_SECONDS = 0.5
_SAFE_FILTERS = [
    "abs",
    "capitalize",
    "count",
    "d",
    "default",
    "dictsort",
    "e",
    "escape",
    "first",
    "float",
    "int",
    "items",
    "join",
    "last",
    "length",
    "list",
    "lower",
    "map",
    "max",
    "min",
    "reject",
    "rejectattr",
    "reverse",
    "round",
    "select",
    "selectattr",
    "sort",
    "string",
    "striptags",
    "sum",
    "title",
    "trim",
    "truncate",
    "unique",
    "upper",
    "urlencode",
    "wordcount",
]


class TemplateFault(Exception):
    """A template that cannot render: a syntax error, an unknown variable or a forbidden construct."""

    def __init__(self, part: str, message: str, line: int | None) -> None:
        super().__init__(message)
        self.part = part
        self.message = message
        self.line = line


def _range(*args: int) -> range:
    span = range(*args)
    if len(span) > MAX_NUMBER:
        raise SecurityError(f"range longer than {MAX_NUMBER}")
    return span


class Sandbox(SandboxedEnvironment):
    """SandboxedEnvironment with nothing that builds unbounded values or reaches outside the template."""

    intercepted_binops = frozenset(("*", "**", "%"))

    def __init__(self, *, html: bool, loader: PackageLoader | None = None) -> None:
        super().__init__(
            loader=loader,
            autoescape=html,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.globals = {"range": _range}
        self.filters = {name: self.filters[name] for name in _SAFE_FILTERS}
        self.tests = {name: self.tests[name] for name in ("defined", "undefined", "none", "number", "string")}

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right))
        if not numbers or (operator_name == "**" and abs(right) > 64):
            raise SecurityError(f"the {operator_name} operator takes two small numbers here")
        return {"*": operator.mul, "**": operator.pow, "%": operator.mod}[operator_name](left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Refuses string formatting and numbers large enough to build huge strings (ljust, center...)."""
        if getattr(__obj, "__name__", "") in ("format", "format_map"):
            raise SecurityError("string formatting is not available in templates")
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and abs(value) > MAX_NUMBER:
                raise SecurityError(f"numbers above {MAX_NUMBER} are not accepted as arguments")
        return super().call(__context, __obj, *args, **kwargs)


_TEXT = Sandbox(html=False)
_HTML = Sandbox(html=True)


def _environment(part: Part) -> Sandbox:
    return _HTML if part == "html" else _TEXT


@cache
def _built_in_environments(tag: str) -> tuple[Sandbox, Sandbox]:
    loader = PackageLoader("orders_api", f"templates/{tag}")
    return Sandbox(html=False, loader=loader), Sandbox(html=True, loader=loader)


@lru_cache(maxsize=512)
def _compiled(part: Part, source: str) -> Any:
    return _environment(part).from_string(source)


def _line(traceback: TracebackType | None) -> int | None:
    """The template line of the innermost template frame (Jinja2 rewrites frames to template lines)."""
    line = None
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == "<template>":
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _bounded(chunks: Iterator[str], part: Part) -> str:
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT[part]:
            raise SecurityError(f"the rendered {part} passes {MAX_OUTPUT[part]} characters")
        out.append(chunk)
    return "".join(out)


def render_part(part: Part, source: str | None, context: Mapping[str, Any], *, kind: str, tag: str) -> str:
    """One part rendered: a shop's source when given, else the built-in file of the language."""
    try:
        if source is None:
            text_env, html_env = _built_in_environments(tag)
            template = (html_env if part == "html" else text_env).get_template(f"{kind}.{SUFFIX[part]}")
        else:
            template = _compiled(part, source)
        return _bounded(template.generate(context), part)
    except TemplateSyntaxError as error:
        raise TemplateFault(part, error.message or "syntax error", error.lineno) from None
    except (TemplateError, ArithmeticError, TypeError, ValueError, LookupError, AttributeError) as error:
        raise TemplateFault(part, str(error) or type(error).__name__, _line(error.__traceback__)) from None


class _Deadline:
    """A trace on template frames only: stops a render that runs past its time, loops included."""

    def __init__(self, seconds: float) -> None:
        self.until = time.monotonic() + seconds

    def __call__(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any] | None:
        if frame.f_code.co_filename != "<template>":
            return None
        return self._line

    def _line(self, frame: FrameType, event: str, arg: Any) -> Callable[..., Any]:
        if time.monotonic() > self.until:
            raise SecurityError("the template takes too long to render")
        return self._line


def check(templates: TemplateSet, context: Mapping[str, Any], *, kind: str) -> list[TemplateFault]:
    """Every part rendered against a sample, under a deadline; the faults found (none: it is safe)."""
    faults: list[TemplateFault] = []
    for part in PARTS:
        previous = sys.gettrace()
        sys.settrace(_Deadline(CHECK_SECONDS))
        try:
            render_part(part, templates.part(part), context, kind=kind, tag="en")
        except TemplateFault as fault:
            faults.append(fault)
        except SecurityError as error:
            faults.append(TemplateFault(part, str(error), None))
        finally:
            sys.settrace(previous)
    return faults
