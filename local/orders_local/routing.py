"""API Gateway's choice of route for a request.

The resource is chosen first, segment by segment (a literal beats a {param},
which beats a {proxy+}); only then the method, exact before ANY. A resource
without a matching method is not a fallback to a less specific one: API Gateway
answers that with its missing-route response too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from orders_local.template import Route

_LITERAL, _PARAMETER, _GREEDY = 2, 1, 0


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    path_parameters: dict[str, str]


def split_path(path: str) -> list[str]:
    """Raw (still percent-encoded) segments; one trailing slash is ignored, as API Gateway does."""
    trimmed = path.removeprefix("/").removesuffix("/")
    return trimmed.split("/") if trimmed else []


def _match(resource: str, segments: list[str]) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """The resource's specificity rank and decoded path parameters, or None when it does not match."""
    parts = split_path(resource)
    rank: list[int] = []
    parameters: dict[str, str] = {}
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            rest = segments[index:]
            if not rest or index != len(parts) - 1:
                return None
            parameters[part[1:-2]] = "/".join(unquote(s) for s in rest)
            rank.append(_GREEDY)
            return tuple(rank), parameters
        if index >= len(segments):
            return None
        segment = unquote(segments[index])
        if part.startswith("{") and part.endswith("}"):
            if not segment:
                return None
            parameters[part[1:-1]] = segment
            rank.append(_PARAMETER)
        elif part == segment:
            rank.append(_LITERAL)
        else:
            return None
    if len(parts) != len(segments):
        return None
    return tuple(rank), parameters


def match_route(routes: Iterable[Route], method: str, path: str) -> RouteMatch | None:
    """The route API Gateway would invoke for `method` on the raw `path`, or None for its 'no route' answer."""
    segments = split_path(path)
    by_resource: dict[str, list[Route]] = {}
    for route in routes:
        by_resource.setdefault(route.path, []).append(route)
    best: tuple[tuple[int, ...], str, dict[str, str]] | None = None
    for resource in by_resource:
        matched = _match(resource, segments)
        if matched is not None and (best is None or matched[0] > best[0]):
            best = (matched[0], resource, matched[1])
    if best is None:
        return None
    _, resource, parameters = best
    candidates = by_resource[resource]
    exact = [r for r in candidates if r.method == method.upper()]
    chosen = exact or [r for r in candidates if r.method == "ANY"]
    return RouteMatch(chosen[0], parameters) if chosen else None
