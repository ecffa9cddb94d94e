"""What the local runtime needs from template.yaml, read from the template itself.

Routes, authorizers, gateway responses, function settings and table shapes all
come from the one file that is deployed, so the local and deployed shapes cannot
drift apart.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"
DEFAULT_STAGE = "Prod"
LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
FOR_EACH = "Fn::ForEach::"


class TemplateError(ValueError):
    """The template uses something the local runtime cannot emulate."""


class CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation short tags (!Ref, !GetAtt, !Sub, ...) as their long, plain-dict forms."""


def _construct_intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix in ("Ref", "Condition"):
        return {suffix: value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


CfnLoader.add_multi_constructor("!", _construct_intrinsic)


@dataclass(frozen=True)
class Schedule:
    name: str
    type: str
    expression: str | None


@dataclass(frozen=True)
class EventRule:
    """An EventBridgeRule event of a function: the sources and detail-types its pattern matches."""

    sources: tuple[str, ...]
    detail_types: tuple[str, ...]

    def matches(self, source: str, detail_type: str) -> bool:
        return source in self.sources and (not self.detail_types or detail_type in self.detail_types)


@dataclass(frozen=True)
class StreamSource:
    """A DynamoDB event of a function: the table whose stream invokes it, and how its mapping reads it.

    `on_failure` is the logical id of the queue that gets a record's metadata once its retries are spent.
    """

    table: str
    batch_size: int = 100
    max_retries: int = -1
    on_failure: str | None = None
    # FilterCriteria's patterns, parsed: a record matching none of them never reaches the function.
    filters: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Function:
    name: str
    code_uri: Path
    handler: str
    timeout: int
    memory_size: int
    environment: dict[str, str]
    unresolved_environment: frozenset[str]
    schedules: tuple[Schedule, ...]
    rules: tuple[EventRule, ...] = ()
    # Environment variables naming a resource the local runtime creates: variable -> logical id.
    references: dict[str, str] = field(default_factory=dict)
    # Event sources: the tables whose streams, and the logical ids of the queues, that invoke it.
    streams: tuple[StreamSource, ...] = ()
    queues: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    path: str
    method: str
    function: str
    authorizer: str | None

    @property
    def public(self) -> bool:
        return self.authorizer is None


@dataclass(frozen=True)
class Authorizer:
    name: str
    function: str
    identity_headers: tuple[str, ...]


@dataclass(frozen=True)
class GatewayResponse:
    status: int | None
    headers: dict[str, str]
    templates: dict[str, str]


@dataclass(frozen=True)
class Table:
    create_args: dict[str, Any]
    time_to_live: dict[str, Any] | None

    @property
    def name(self) -> str:
        return str(self.create_args["TableName"])


@dataclass(frozen=True)
class Template:
    path: Path
    parameters: dict[str, str]
    stage: str
    functions: dict[str, Function]
    routes: tuple[Route, ...]
    authorizers: dict[str, Authorizer]
    gateway_responses: dict[str, GatewayResponse]
    tables: dict[str, Table]
    # Every resource as declared (Type, Properties), for the local runtime's queues, buses and keys.
    resources: dict[str, Any] = field(default_factory=dict)

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        """Logical id -> properties of every resource of one type."""
        return {
            name: resource.get("Properties") or {}
            for name, resource in self.resources.items()
            if isinstance(resource, dict) and resource.get("Type") == kind
        }

    def rule_targets(self, source: str, detail_type: str) -> list[Function]:
        """The functions whose EventBridge rules match an event, as the default bus would route it."""
        return [f for f in self.functions.values() if any(r.matches(source, detail_type) for r in f.rules)]

    def scheduled_function(self) -> Function | None:
        """The function EventBridge Scheduler fires (ScheduleV2 first, then classic Schedule rules)."""
        for kind in ("ScheduleV2", "Schedule"):
            for function in self.functions.values():
                if any(s.type == kind for s in function.schedules):
                    return function
        return None


def literal(value: Any) -> str | None:
    """A scalar as CloudFormation and API Gateway write it (true/false for booleans); None for anything else."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise TemplateError(f"{where} must be a mapping")
    return value


class _Resolver:
    """Resolves the few intrinsics whose local value is known: parameter defaults and table names."""

    def __init__(self, parameters: dict[str, str], resources: dict[str, Any]) -> None:
        self.parameters = parameters
        self.resources = resources

    def scalar(self, value: Any) -> str | None:
        text = literal(value)
        if text is not None:
            return text
        if isinstance(value, dict) and set(value) == {"Ref"}:
            name = value["Ref"]
            if name in self.parameters:
                return self.parameters[name]
            if self.resources.get(name, {}).get("Type") == "AWS::DynamoDB::Table":
                return str(name)
        return None


def read_document(path: Path = DEFAULT_TEMPLATE) -> dict[str, Any]:
    """The template as the Serverless transform receives it: read, then AWS::LanguageExtensions applied."""
    with path.open(encoding="utf-8") as stream:
        document = yaml.load(stream, Loader=CfnLoader)  # noqa: S506 - CfnLoader is a SafeLoader
    return expand_language_extensions(_mapping(document, "the template"))


def expand_language_extensions(document: dict[str, Any]) -> dict[str, Any]:
    """Expands every Fn::ForEach of a template that declares AWS::LanguageExtensions, as CloudFormation does.

    `Fn::ForEach::Loop: [Identifier, [Value, ...], {OutputKey: OutputValue}]` repeats its fragment once
    per value, with every `${Identifier}` in its keys and strings replaced by the value, every
    `&{Identifier}` by the value without its non-alphanumeric characters, and `{"Ref": Identifier}` by
    the value itself. The collection is a list of strings or a Ref to a CommaDelimitedList parameter's
    default. Loops nest, and may appear wherever a mapping may. As the transform allows intrinsic
    functions in Ref and Fn::GetAtt, `!Ref {Fn::Sub: "${Identifier}Function"}` names the resource
    itself once substituted. The transform leaves the template's Transform declaration.
    """
    declared = document.get("Transform")
    transforms = declared if isinstance(declared, list) else [] if declared is None else [declared]
    if LANGUAGE_EXTENSIONS not in transforms:
        if _has_for_each(document):
            raise TemplateError(f"Fn::ForEach needs the {LANGUAGE_EXTENSIONS} transform")
        return document
    parameters = _mapping(document.get("Parameters"), "Parameters")
    expanded = {
        key: value if key == "Transform" else _expand(value, parameters) for key, value in document.items()
    }
    remaining = [name for name in transforms if name != LANGUAGE_EXTENSIONS]
    if not remaining:
        del expanded["Transform"]
    else:
        expanded["Transform"] = remaining[0] if len(remaining) == 1 else remaining
    return expanded


def _has_for_each(value: Any) -> bool:
    if isinstance(value, dict):
        return any(str(k).startswith(FOR_EACH) or _has_for_each(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_for_each(item) for item in value)
    return False


def _expand(value: Any, parameters: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [_expand(item, parameters) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"} and (name := _literal_sub(value["Ref"])) is not None:
        return {"Ref": name}
    if set(value) == {"Fn::GetAtt"} and isinstance(value["Fn::GetAtt"], list) and value["Fn::GetAtt"]:
        name, *attribute = value["Fn::GetAtt"]
        if (literal := _literal_sub(name)) is not None:
            return {"Fn::GetAtt": [literal, *attribute]}
    expanded: dict[str, Any] = {}
    for key, item in value.items():
        produced = (
            _for_each(key, item, parameters)
            if isinstance(key, str) and key.startswith(FOR_EACH)
            else {key: _expand(item, parameters)}
        )
        for new_key, new_value in produced.items():
            if new_key in expanded:
                raise TemplateError(f"{key} produces {new_key}, which is already declared")
            expanded[new_key] = new_value
    return expanded


def _literal_sub(value: Any) -> str | None:
    """The logical id a Ref or Fn::GetAtt names with `Fn::Sub: "${Identifier}Thing"`, once substituted."""
    if isinstance(value, dict) and set(value) == {"Fn::Sub"} and isinstance(value["Fn::Sub"], str):
        text: str = value["Fn::Sub"]
        if "${" not in text:
            return text
    return None


def _for_each(key: str, spec: Any, parameters: dict[str, Any]) -> dict[str, Any]:
    if not (isinstance(spec, list) and len(spec) == 3):
        raise TemplateError(f"{key} must be [Identifier, Collection, Fragment]")
    identifier, collection, fragment = spec
    if not isinstance(identifier, str) or not re.fullmatch(r"[A-Za-z0-9]+", identifier):
        raise TemplateError(f"{key}: the identifier must be an alphanumeric string")
    if identifier in parameters:
        raise TemplateError(f"{key}: the identifier {identifier} is also a parameter")
    if not isinstance(fragment, dict) or not fragment:
        raise TemplateError(f"{key}: the fragment must be a non-empty mapping")
    for output_key in fragment:
        placeholders = (f"${{{identifier}}}", f"&{{{identifier}}}")
        if not str(output_key).startswith(FOR_EACH) and not any(p in str(output_key) for p in placeholders):
            raise TemplateError(
                f"{key}: the key {output_key} must contain ${{{identifier}}} or &{{{identifier}}}"
            )
    result: dict[str, Any] = {}
    for item in _collection(key, collection, parameters):
        for new_key, new_value in _expand(_substitute(fragment, identifier, item), parameters).items():
            if new_key in result:
                raise TemplateError(f"{key} produces {new_key} twice")
            result[new_key] = new_value
    return result


def _collection(key: str, collection: Any, parameters: dict[str, Any]) -> list[str]:
    if isinstance(collection, dict) and set(collection) == {"Ref"}:
        spec = _mapping(parameters.get(collection["Ref"]), f"{key}: parameter {collection['Ref']}")
        default = spec.get("Default")
        if spec.get("Type") != "CommaDelimitedList" or not isinstance(default, str):
            raise TemplateError(f"{key}: a Ref collection must name a CommaDelimitedList with a default")
        collection = [item.strip() for item in default.split(",")]
    if not isinstance(collection, list) or not all(isinstance(item, str) for item in collection):
        raise TemplateError(f"{key}: the collection must be a list of strings")
    return collection


def _substitute(value: Any, identifier: str, item: str) -> Any:
    if isinstance(value, str):
        stripped = re.sub(r"[^A-Za-z0-9]", "", item)
        return value.replace(f"${{{identifier}}}", item).replace(f"&{{{identifier}}}", stripped)
    if isinstance(value, list):
        return [_substitute(element, identifier, item) for element in value]
    if isinstance(value, dict):
        if value == {"Ref": identifier}:
            return item
        substituted: dict[Any, Any] = {}
        for key, element in value.items():
            new_key = _substitute(key, identifier, item)
            if new_key in substituted:
                raise TemplateError(f"{new_key} appears twice once {identifier} is {item}")
            substituted[new_key] = _substitute(element, identifier, item)
        return substituted
    return value


def load_template(path: Path = DEFAULT_TEMPLATE) -> Template:
    document = read_document(path)
    resources = _mapping(document.get("Resources"), "Resources")
    parameters = {
        name: default
        for name, spec in _mapping(document.get("Parameters"), "Parameters").items()
        if (default := literal(_mapping(spec, f"Parameter {name}").get("Default"))) is not None
    }
    resolver = _Resolver(parameters, resources)
    globals_ = _mapping(_mapping(document.get("Globals"), "Globals").get("Function"), "Globals.Function")

    stage = DEFAULT_STAGE
    authorizers: dict[str, Authorizer] = {}
    default_authorizer: str | None = None
    responses: dict[str, GatewayResponse] = {}
    for name, resource in resources.items():
        if resource.get("Type") == "AWS::Serverless::Api":
            properties = _mapping(resource.get("Properties"), name)
            stage = resolver.scalar(properties.get("StageName")) or DEFAULT_STAGE
            auth = _mapping(properties.get("Auth"), f"{name}.Auth")
            authorizers = _authorizers(_mapping(auth.get("Authorizers"), f"{name}.Auth.Authorizers"))
            default_authorizer = auth.get("DefaultAuthorizer")
            responses = _gateway_responses(_mapping(properties.get("GatewayResponses"), name))

    functions: dict[str, Function] = {}
    routes: list[Route] = []
    for name, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        properties = _mapping(resource.get("Properties"), name)
        functions[name] = _function(name, path.parent, properties, globals_, resolver)
        for event_name, event in _mapping(properties.get("Events"), f"{name}.Events").items():
            if event.get("Type") == "Api":
                routes.append(
                    _route(name, event_name, _mapping(event.get("Properties"), name), default_authorizer)
                )
    _check_routes(routes, authorizers, functions)
    return Template(
        path=path,
        parameters=parameters,
        stage=stage,
        functions=functions,
        routes=tuple(routes),
        authorizers=authorizers,
        gateway_responses=responses,
        tables={
            name: _table(name, _mapping(resource.get("Properties"), name))
            for name, resource in resources.items()
            if resource.get("Type") == "AWS::DynamoDB::Table"
        },
        resources=resources,
    )


def _function(
    name: str, root: Path, properties: dict[str, Any], globals_: dict[str, Any], resolver: _Resolver
) -> Function:
    merged = {**globals_, **properties}
    code_uri, handler = merged.get("CodeUri"), merged.get("Handler")
    if not isinstance(code_uri, str) or not isinstance(handler, str):
        raise TemplateError(f"{name} needs a local CodeUri and a Handler")
    variables = {
        **_mapping(_mapping(globals_.get("Environment"), "Globals.Environment").get("Variables"), name),
        **_mapping(_mapping(properties.get("Environment"), f"{name}.Environment").get("Variables"), name),
    }
    environment = {
        key: value for key, raw in variables.items() if (value := resolver.scalar(raw)) is not None
    }
    references = {
        key: str(raw["Ref"])
        for key, raw in variables.items()
        if key not in environment and isinstance(raw, dict) and set(raw) == {"Ref"}
    }
    sources = _mapping(properties.get("Events"), f"{name}.Events")
    schedules = tuple(
        Schedule(
            name=event_name,
            type=event["Type"],
            expression=resolver.scalar(
                _mapping(event.get("Properties"), event_name).get(
                    "ScheduleExpression" if event["Type"] == "ScheduleV2" else "Schedule"
                )
            ),
        )
        for event_name, event in _mapping(properties.get("Events"), f"{name}.Events").items()
        if event.get("Type") in ("ScheduleV2", "Schedule")
    )
    rules = tuple(
        EventRule(
            sources=tuple(pattern.get("source") or ()),
            detail_types=tuple(pattern.get("detail-type") or ()),
        )
        for event in _mapping(properties.get("Events"), f"{name}.Events").values()
        if event.get("Type") == "EventBridgeRule"
        for pattern in [_mapping(_mapping(event.get("Properties"), name).get("Pattern"), name)]
    )
    return Function(
        name=name,
        code_uri=(root / code_uri).resolve(),
        handler=handler,
        timeout=int(resolver.scalar(merged.get("Timeout")) or 3),
        memory_size=int(resolver.scalar(merged.get("MemorySize")) or 128),
        environment=environment,
        unresolved_environment=frozenset(variables) - frozenset(environment),
        schedules=schedules,
        rules=rules,
        references=references,
        streams=_stream_sources(sources),
        queues=_sources(sources, "SQS", "Queue"),
    )


def _sources(events: dict[str, Any], kind: str, key: str) -> tuple[str, ...]:
    """Logical ids of the event sources of a kind, named as !GetAtt <Resource>.<Attribute>."""
    found = []
    for event in events.values():
        if event.get("Type") == kind:
            target = _get_att(_mapping(event.get("Properties"), kind).get(key))
            if target is not None:
                found.append(target)
    return tuple(found)


def _stream_sources(events: dict[str, Any]) -> tuple[StreamSource, ...]:
    """The DynamoDB events; a MaximumRetryAttempts of -1 (Lambda's default) retries until the record expires."""
    found = []
    for event in events.values():
        if event.get("Type") != "DynamoDB":
            continue
        properties = _mapping(event.get("Properties"), "DynamoDB")
        table = _get_att(properties.get("Stream"))
        if table is None:
            continue
        destination = _mapping(
            _mapping(properties.get("DestinationConfig"), "DestinationConfig").get("OnFailure"), "OnFailure"
        )
        found.append(
            StreamSource(
                table=table,
                batch_size=int(properties.get("BatchSize", 100)),
                max_retries=int(properties.get("MaximumRetryAttempts", -1)),
                on_failure=_get_att(destination.get("Destination")),
                filters=tuple(
                    json.loads(entry["Pattern"])
                    for entry in _mapping(properties.get("FilterCriteria"), "FilterCriteria").get(
                        "Filters", []
                    )
                ),
            )
        )
    return tuple(found)


def _get_att(value: Any) -> str | None:
    """The resource of a !GetAtt <Resource>.<Attribute>; None for anything else."""
    if isinstance(value, dict) and isinstance(value.get("Fn::GetAtt"), list):
        return str(value["Fn::GetAtt"][0])
    return None


def _route(
    function: str, event_name: str, properties: dict[str, Any], default_authorizer: str | None
) -> Route:
    path, method = properties.get("Path"), properties.get("Method")
    if not isinstance(path, str) or not isinstance(method, str):
        raise TemplateError(f"{function}.{event_name} needs a Path and a Method")
    chosen = _mapping(properties.get("Auth"), f"{function}.{event_name}.Auth").get(
        "Authorizer", default_authorizer
    )
    return Route(
        path=path,
        method=method.upper(),
        function=function,
        authorizer=None if chosen in (None, "NONE") else str(chosen),
    )


def _check_routes(
    routes: list[Route], authorizers: dict[str, Authorizer], functions: dict[str, Function]
) -> None:
    seen: set[tuple[str, str]] = set()
    for route in routes:
        if (route.path, route.method) in seen:
            raise TemplateError(f"{route.method} {route.path} is declared twice")
        seen.add((route.path, route.method))
        if route.authorizer is not None and route.authorizer not in authorizers:
            raise TemplateError(f"{route.method} {route.path} names an unknown authorizer {route.authorizer}")
    for authorizer in authorizers.values():
        if authorizer.function not in functions:
            raise TemplateError(
                f"authorizer {authorizer.name} names an unknown function {authorizer.function}"
            )


def _authorizers(declared: dict[str, Any]) -> dict[str, Authorizer]:
    found: dict[str, Authorizer] = {}
    for name, spec in declared.items():
        headers = _mapping(spec.get("Identity"), f"{name}.Identity").get("Headers") or []
        found[name] = Authorizer(
            name=name,
            function=_authorizer_function(name, spec.get("FunctionArn")),
            identity_headers=tuple(headers),
        )
    return found


def _authorizer_function(name: str, arn: Any) -> str:
    """The function behind `!GetAtt <Function>.Arn` or its alias, `!Ref <Function>.Alias`."""
    if isinstance(arn, dict) and isinstance(arn.get("Ref"), str) and arn["Ref"].endswith(".Alias"):
        return str(arn["Ref"]).removesuffix(".Alias")
    target = arn.get("Fn::GetAtt") if isinstance(arn, dict) else None
    if isinstance(target, list) and len(target) == 2 and target[1] == "Arn":
        return str(target[0])
    raise TemplateError(
        f"authorizer {name} must name its function as !GetAtt <Function>.Arn or !Ref <Function>.Alias"
    )


def _gateway_responses(declared: dict[str, Any]) -> dict[str, GatewayResponse]:
    found: dict[str, GatewayResponse] = {}
    for kind, spec in declared.items():
        headers = _mapping(_mapping(spec.get("ResponseParameters"), kind).get("Headers"), kind)
        found[kind] = GatewayResponse(
            status=int(spec["StatusCode"]) if "StatusCode" in spec else None,
            headers={
                name: value[1:-1]
                for name, value in headers.items()
                if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == "'"
            },
            templates={str(k): str(v) for k, v in _mapping(spec.get("ResponseTemplates"), kind).items()},
        )
    return found


def _table(name: str, properties: dict[str, Any]) -> Table:
    args: dict[str, Any] = {
        "TableName": name,
        "KeySchema": properties["KeySchema"],
        "AttributeDefinitions": properties["AttributeDefinitions"],
        "BillingMode": "PAY_PER_REQUEST",
    }
    for key in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        if properties.get(key):
            args[key] = [
                {
                    "IndexName": index["IndexName"],
                    "KeySchema": index["KeySchema"],
                    "Projection": index["Projection"],
                }
                for index in properties[key]
            ]
    stream = properties.get("StreamSpecification")
    if stream:
        args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
    ttl = properties.get("TimeToLiveSpecification")
    time_to_live = None
    if ttl:
        enabled = ttl.get("Enabled")
        time_to_live = {
            "AttributeName": ttl["AttributeName"],
            "Enabled": enabled is True or str(enabled).lower() == "true",
        }
    return Table(create_args=args, time_to_live=time_to_live)


def create_tables(client: DynamoDBClient, template: Template) -> None:
    """Creates every table of the template, exactly as declared, so tests and the runtime share one shape."""
    for table in template.tables.values():
        client.create_table(**table.create_args)
        if table.time_to_live is not None:
            client.update_time_to_live(
                TableName=table.name,
                TimeToLiveSpecification=table.time_to_live,  # type: ignore[arg-type]
            )


def main(argv: list[str] | None = None) -> None:
    """`python -m orders_local.template [TEMPLATE]`: the template with its Fn::ForEach loops expanded, as JSON.

    For tools that do not expand them themselves (checkov, in make validate).
    """
    arguments = sys.argv[1:] if argv is None else argv
    path = Path(arguments[0]) if arguments else DEFAULT_TEMPLATE
    json.dump(read_document(path), sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
