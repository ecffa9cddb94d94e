"""The local runtime reads routes, auth, functions and tables from template.yaml, so they cannot drift."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent
from typing import Any

import boto3
import pytest
import yaml
from moto import mock_aws
from orders_local.apigateway import ApiGateway, Request
from orders_local.routing import match_route
from orders_local.runtime import FunctionRuntime
from orders_local.stream import matches
from orders_local.template import (
    DEFAULT_TEMPLATE,
    CfnLoader,
    Template,
    TemplateError,
    create_tables,
    expand_language_extensions,
    load_template,
    read_document,
)

DOCS_ROUTES = {("GET", "/v1/openapi.json"), ("GET", "/v1/docs")}
ORDER_ROUTES = {
    ("POST", "/v1/orders"),
    ("POST", "/v1/orders/batch"),
    ("GET", "/v1/orders/{order_id}"),
    ("DELETE", "/v1/orders/{order_id}"),
}


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template()


def test_real_template_routes(template: Template) -> None:
    routes = {(r.method, r.path): r for r in template.routes}
    assert set(routes) >= DOCS_ROUTES | ORDER_ROUTES
    for key in DOCS_ROUTES:
        assert routes[key].public
        assert routes[key].function == "DocsFunction"
    for key in ORDER_ROUTES:
        assert routes[key].authorizer == "ApiKeyAuthorizer"
    assert routes[("ANY", "/{proxy+}")].public


def test_no_order_operation_is_public(template: Template) -> None:
    public = {(r.method, r.path) for r in template.routes if r.public and r.method != "ANY"}
    assert public >= DOCS_ROUTES
    assert not {key for key in public if key[1].startswith("/v1/orders")}


def test_real_template_authorizer_and_gateway_responses(template: Template) -> None:
    authorizer = template.authorizers["ApiKeyAuthorizer"]
    assert authorizer.function == "AuthorizerFunction"
    assert authorizer.identity_headers == ("Authorization",)
    assert template.stage == "prod"
    unauthorized = template.gateway_responses["UNAUTHORIZED"]
    assert unauthorized.status == 401
    assert unauthorized.headers == {"WWW-Authenticate": "Bearer", "Content-Type": "application/problem+json"}
    assert "$context.requestId" in unauthorized.templates["application/json"]
    assert template.gateway_responses["DEFAULT_5XX"].status is None


def test_real_template_functions_and_environment(template: Template) -> None:
    create = template.functions["CreateOrderFunction"]
    assert create.code_uri == template.path.parent / "functions" / "create_order"
    assert create.handler == "app.lambda_handler"
    assert create.timeout == 29
    assert template.functions["GetOrderFunction"].timeout == 10
    assert template.functions["FallbackFunction"].memory_size == 256
    for function in template.functions.values():
        assert function.environment["TABLE_NAME"] == "OrdersTable"
        assert function.environment["POWERTOOLS_SERVICE_NAME"] == "orders-api"
        assert "SIGNING_SECRET_ARN" in function.unresolved_environment
        assert "SIGNING_SECRET_ARN" not in function.environment
    assert template.parameters["DefaultSenderEmail"] == "reviews@example.com"


def test_real_template_stream_mapping(template: Template) -> None:
    """The local stream poller batches, retries, filters and gives up as the deployed mapping does."""
    [source] = template.functions["EventsFunction"].streams
    assert (source.table, source.batch_size, source.max_retries) == ("OrdersTable", 100, 20)
    assert source.on_failure == "EventsDeadLetterQueue"
    assert template.of_type("AWS::SQS::Queue")[source.on_failure]

    def record(sk: str) -> dict[str, Any]:
        return {"dynamodb": {"Keys": {"pk": {"S": "C#demo#O#1"}, "sk": {"S": sk}}}}

    [pattern] = source.filters
    assert matches(pattern, record("ORDER"))
    assert matches(pattern, record("CUSTOMER"))
    assert not matches(pattern, record("WHD#1"))
    assert not matches(pattern, {"dynamodb": {}})
    with pytest.raises(ValueError, match="only lists of values"):
        matches({"dynamodb": {"Keys": {"sk": {"S": [{"prefix": "O"}]}}}}, record("ORDER"))


def test_real_template_tables(template: Template) -> None:
    table = template.tables["OrdersTable"]
    args = table.create_args
    assert args["TableName"] == "OrdersTable"
    assert args["BillingMode"] == "PAY_PER_REQUEST"
    assert args["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    defined = {a["AttributeName"] for a in args["AttributeDefinitions"]}
    indexes = {i["IndexName"]: i for i in args["GlobalSecondaryIndexes"]}
    assert {"by_created", "by_customer", "by_email", "due"} <= set(indexes)
    for index in indexes.values():
        assert [k["KeyType"] for k in index["KeySchema"]] == ["HASH", "RANGE"]
        assert {k["AttributeName"] for k in index["KeySchema"]} <= defined
        assert index["Projection"]["ProjectionType"] in ("ALL", "KEYS_ONLY", "INCLUDE")


def test_create_tables_builds_the_template_shape(template: Template) -> None:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        create_tables(client, template)
        for name, table in template.tables.items():
            described = client.describe_table(TableName=name)["Table"]
            assert described["KeySchema"] == table.create_args["KeySchema"]
            assert {i["IndexName"] for i in described.get("GlobalSecondaryIndexes", [])} == {
                i["IndexName"] for i in table.create_args.get("GlobalSecondaryIndexes", [])
            }


def test_short_tags_load_as_long_forms() -> None:
    text = dedent(
        """
        a: !Ref Thing
        b: !GetAtt Fn.Arn
        c: !Sub "${AWS::Region}-x"
        d: !If [IsProd, 1, 2]
        e: !Join ["", [a, !Ref B]]
        f: !Select [0, !GetAZs ""]
        g: !Equals [!Ref P, "x"]
        h: !Not [!Condition C]
        """
    )
    loaded = yaml.load(text, Loader=CfnLoader)
    assert loaded == {
        "a": {"Ref": "Thing"},
        "b": {"Fn::GetAtt": ["Fn", "Arn"]},
        "c": {"Fn::Sub": "${AWS::Region}-x"},
        "d": {"Fn::If": ["IsProd", 1, 2]},
        "e": {"Fn::Join": ["", ["a", {"Ref": "B"}]]},
        "f": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
        "g": {"Fn::Equals": [{"Ref": "P"}, "x"]},
        "h": {"Fn::Not": [{"Condition": "C"}]},
    }


SYNTHETIC = """
Parameters:
  Stage: {Type: String, Default: dev}
  Every: {Type: String, Default: rate(1 minute)}
  Limit: {Type: Number, Default: 5}
Globals:
  Function:
    Handler: app.handler
    Timeout: 7
    Environment:
      Variables:
        TABLE: !Ref Store
        STAGE: !Ref Stage
        SECRET: !Ref Secret
        FLAG: true
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      Auth:
        DefaultAuthorizer: Keys
        Authorizers:
          Keys:
            FunctionArn: !GetAtt Auth.Arn
            Identity: {Headers: [X-Key]}
  Auth:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: fn/auth}
  Literal:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/literal
      Environment: {Variables: {LIMIT: !Ref Limit, STAGE: local, URL: !Sub "https://${Api}"}}
      Events:
        Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items/special, Method: get}}
  Param:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/param
      Events:
        Get: {Type: Api, Properties: {Path: "/items/{id}", Method: GET}}
        Open:
          Type: Api
          Properties: {Path: /open, Method: GET, Auth: {Authorizer: NONE}}
  Any:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/any
      Events:
        Item: {Type: Api, Properties: {Path: "/items/{id}", Method: ANY}}
        Everything: {Type: Api, Properties: {Path: "/{proxy+}", Method: ANY}}
  Tick:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: fn/tick
      Events:
        Timer: {Type: ScheduleV2, Properties: {ScheduleExpression: !Ref Every}}
  Store:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PROVISIONED
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      TimeToLiveSpecification: {AttributeName: expires, Enabled: true}
  Secret:
    Type: AWS::SecretsManager::Secret
"""


@pytest.fixture
def synthetic(tmp_path: Path) -> Template:
    path = tmp_path / "template.yaml"
    path.write_text(SYNTHETIC)
    return load_template(path)


@pytest.mark.parametrize(
    ("method", "path", "function", "parameters"),
    [
        ("GET", "/items/special", "Literal", {}),
        ("get", "/items/special/", "Literal", {}),
        ("GET", "/items/42", "Param", {"id": "42"}),
        ("GET", "/items/a%2Fb%20c", "Param", {"id": "a/b c"}),
        ("DELETE", "/items/42", "Any", {"id": "42"}),
        ("GET", "/items/42/more", "Any", {"proxy": "items/42/more"}),
        ("POST", "/other", "Any", {"proxy": "other"}),
        ("GET", "/open", "Param", {}),
    ],
)
def test_route_precedence(
    synthetic: Template, method: str, path: str, function: str, parameters: dict[str, str]
) -> None:
    match = match_route(synthetic.routes, method, path)
    assert match is not None
    assert match.route.function == function
    assert match.path_parameters == parameters


@pytest.mark.parametrize(("method", "path"), [("GET", "/"), ("POST", "/items/special"), ("GET", "")])
def test_no_route(synthetic: Template, method: str, path: str) -> None:
    assert match_route(synthetic.routes, method, path) is None


def test_synthetic_auth_env_schedule_and_tables(synthetic: Template) -> None:
    routes = {(r.method, r.path): r for r in synthetic.routes}
    assert routes[("GET", "/items/special")].authorizer == "Keys"
    assert routes[("GET", "/open")].public
    assert synthetic.authorizers["Keys"].identity_headers == ("X-Key",)
    assert synthetic.stage == "dev"

    literal = synthetic.functions["Literal"]
    assert literal.environment == {"TABLE": "Store", "STAGE": "local", "FLAG": "true", "LIMIT": "5"}
    assert literal.unresolved_environment == {"SECRET", "URL"}
    assert literal.timeout == 7
    assert literal.memory_size == 128

    tick = synthetic.scheduled_function()
    assert tick is not None
    assert tick.name == "Tick"
    assert [(s.type, s.expression) for s in tick.schedules] == [("ScheduleV2", "rate(1 minute)")]

    store = synthetic.tables["Store"]
    assert store.create_args["BillingMode"] == "PAY_PER_REQUEST"
    assert store.time_to_live == {"AttributeName": "expires", "Enabled": True}
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        create_tables(client, synthetic)
        ttl = client.describe_time_to_live(TableName="Store")["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


def test_unknown_authorizer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(SYNTHETIC.replace("Auth: {Authorizer: NONE}", "Auth: {Authorizer: Missing}"))
    with pytest.raises(TemplateError, match="unknown authorizer"):
        load_template(path)


class FakeRuntime(FunctionRuntime):
    """Invokes plain callables instead of the template's code, and records every event."""

    def __init__(self, template: Template, handlers: dict[str, Callable[[dict[str, Any]], Any]]) -> None:
        super().__init__(template, "eu-west-1")
        self.handlers = handlers
        self.events: list[tuple[str, dict[str, Any]]] = []

    def invoke(self, name: str, event: dict[str, Any]) -> Any:
        self.events.append((name, event))
        return self.handlers[name](event)


def policy(effect: str, resource: str = "*") -> Callable[[dict[str, Any]], Any]:
    def authorizer(event: dict[str, Any]) -> dict[str, Any]:
        return {
            "principalId": "c1",
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
            },
            "context": {"client_id": "c1", "n": 2, "ok": True},
        }

    return authorizer


def ok(event: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "body": "ok"}


def raise_(error: Exception) -> Callable[[dict[str, Any]], Any]:
    def handler(event: dict[str, Any]) -> Any:
        raise error

    return handler


def gateway_for(
    template: Template, **handlers: Callable[[dict[str, Any]], Any]
) -> tuple[ApiGateway, FakeRuntime]:
    runtime = FakeRuntime(
        template, {"Auth": policy("Allow"), "Literal": ok, "Param": ok, "Any": ok, **handlers}
    )
    return ApiGateway(template, runtime), runtime


def request(method: str, target: str, body: bytes = b"", **headers: str) -> Request:
    sent = [(name.replace("_", "-"), value) for name, value in headers.items()]
    return Request(method=method, target=target, headers=sent, body=body, source_ip="127.0.0.1")


def test_gateway_event_context_and_response(synthetic: Template) -> None:
    cookies = {"Set-Cookie": ["a=1", "b=2"]}

    def handler(event: dict[str, Any]) -> dict[str, Any]:
        body = base64.b64encode(b"\xff\x00").decode()
        return {
            "statusCode": 201,
            "headers": {"A": 1},
            "multiValueHeaders": cookies,
            "body": body,
            "isBase64Encoded": True,
        }

    gateway, runtime = gateway_for(synthetic, Any=handler)
    response = gateway.handle(request("POST", "/items/a%2Fb?x=1&x=2&y=", b"\xfe", X_Key="k"))
    assert response.status == 201
    assert response.body == b"\xff\x00"
    assert ("A", "1") in response.headers
    assert [v for k, v in response.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert any(k == "X-Request-Id" for k, _ in response.headers)

    (_, auth_event), (function, event) = runtime.events
    assert function == "Any"
    assert auth_event["type"] == "REQUEST"
    assert auth_event["methodArn"] == "arn:aws:execute-api:eu-west-1:123456789012:local/dev/POST/items/a%2Fb"
    assert auth_event["headers"] == {"X-Key": "k"}
    assert event["path"] == "/items/a%2Fb"
    assert event["resource"] == "/items/{id}"
    assert event["pathParameters"] == {"id": "a/b"}
    assert event["queryStringParameters"] == {"x": "2", "y": ""}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"], "y": [""]}
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\xfe"
    assert event["requestContext"]["stage"] == "dev"
    assert event["requestContext"]["authorizer"] == {
        "client_id": "c1",
        "n": "2",
        "ok": "true",
        "principalId": "c1",
        "integrationLatency": 0,
    }


def test_gateway_public_route_skips_the_authorizer(synthetic: Template) -> None:
    gateway, runtime = gateway_for(synthetic)
    response = gateway.handle(request("GET", "/open"))
    assert response.status == 200
    assert [name for name, _ in runtime.events] == ["Param"]
    assert runtime.events[0][1]["body"] is None
    assert runtime.events[0][1]["queryStringParameters"] is None


@pytest.mark.parametrize(
    ("authorizer", "headers", "status"),
    [
        (policy("Allow"), {}, 401),
        (raise_(Exception("Unauthorized")), {"X_Key": "k"}, 401),
        (raise_(RuntimeError("boom")), {"X_Key": "k"}, 500),
        (policy("Deny"), {"X_Key": "k"}, 403),
        (policy("Allow", "arn:aws:execute-api:*:*:local/dev/GET/other"), {"X_Key": "k"}, 403),
        (lambda event: {"policyDocument": {}}, {"X_Key": "k"}, 500),
    ],
)
def test_gateway_authorizer_outcomes(
    synthetic: Template, authorizer: Callable[[dict[str, Any]], Any], headers: dict[str, str], status: int
) -> None:
    gateway, runtime = gateway_for(synthetic, Auth=authorizer)
    response = gateway.handle(request("GET", "/items/special", **headers))
    assert response.status == status
    assert "Literal" not in [name for name, _ in runtime.events]
    if not headers:
        assert runtime.events == []


@pytest.mark.parametrize(
    "handler",
    [
        raise_(ValueError("broken")),
        lambda event: {"statusCode": 200, "body": {"not": "a string"}},
        lambda event: {"body": "no status"},
        lambda event: {"statusCode": 200, "headers": {"Bad": "a\r\nInjected: yes"}},
        lambda event: None,
    ],
)
def test_gateway_handler_failure_is_502(
    synthetic: Template, handler: Callable[[dict[str, Any]], Any]
) -> None:
    gateway, _ = gateway_for(synthetic, Param=handler)
    response = gateway.handle(request("GET", "/open"))
    assert response.status == 502
    assert json.loads(response.body) == {"message": "Internal server error"}


def test_gateway_responses_and_request_ids(synthetic: Template, template: Template) -> None:
    gateway, _ = gateway_for(synthetic)
    missing = gateway.handle(request("GET", "/", X_Request_Id="mine"))
    assert missing.status == 403
    assert json.loads(missing.body) == {"message": "Missing Authentication Token"}
    assert ("X-Request-Id", "mine") in missing.headers

    real, _ = gateway_for(template)
    refused = real.handle(request("GET", '/v1/orders/"quoted"'))
    assert refused.status == 401
    assert ("WWW-Authenticate", "Bearer") in refused.headers
    body = json.loads(refused.body)
    assert body["instance"] == '/v1/orders/"quoted"'
    assert ("X-Request-Id", body["request_id"]) in refused.headers
    too_large = real.refuse(request("POST", "/v1/orders"), "REQUEST_TOO_LARGE")
    assert too_large.status == 413
    assert json.loads(too_large.body)["status"] == 413


LOOPS = """
Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]
Parameters:
  Stage: {Type: String, Default: dev}
  Zones: {Type: CommaDelimitedList, Default: "eu-west-1a, eu-west-1b"}
Resources:
  Fn::ForEach::Functions:
    - Name
    - [Get, Put]
    - ${Name}Function:
        Type: AWS::Serverless::Function
        Properties:
          CodeUri: fn/${Name}
          Handler: app.handler
          Environment: {Variables: {OPERATION: !Ref Name, STAGE: !Ref Stage}}
          Events:
            Fn::ForEach::Paths:
              - Path
              - [/items, "/items/{id}"]
              - Api&{Path}: {Type: Api, Properties: {Path: "${Path}", Method: "${Name}"}}
      ${Name}Errors:
        Type: AWS::CloudWatch::Alarm
        Properties:
          AlarmDescription: ${Name} failed in ${AWS::Region}
          AlarmName: !Sub "${AWS::StackName}-${Name}"
          Dimensions: [{Name: FunctionName, Value: {Ref: {Fn::Sub: "${Name}Function"}}}]
  Fn::ForEach::Subnets:
    - Zone
    - !Ref Zones
    - Subnet&{Zone}:
        Type: AWS::EC2::Subnet
        Properties: {AvailabilityZone: !Ref Zone, Tags: [{Key: arn, Value: !GetAtt [{Fn::Sub: "${Zone}x"}, Arn]}]}
Outputs:
  Fn::ForEach::Names:
    - Name
    - [Get]
    - ${Name}Name: {Value: !Ref GetFunction}
"""


def test_for_each_loops_expand_as_cloudformation_expands_them() -> None:
    document = expand_language_extensions(yaml.load(LOOPS, Loader=CfnLoader))
    assert document["Transform"] == "AWS::Serverless-2016-10-31"
    resources = document["Resources"]
    assert list(resources) == [
        "GetFunction",
        "GetErrors",
        "PutFunction",
        "PutErrors",
        "Subneteuwest1a",
        "Subneteuwest1b",
    ]
    get = resources["GetFunction"]["Properties"]
    assert get["CodeUri"] == "fn/Get"
    assert get["Environment"]["Variables"] == {"OPERATION": "Get", "STAGE": {"Ref": "Stage"}}
    assert get["Events"] == {
        "Apiitems": {"Type": "Api", "Properties": {"Path": "/items", "Method": "Get"}},
        "Apiitemsid": {"Type": "Api", "Properties": {"Path": "/items/{id}", "Method": "Get"}},
    }
    assert resources["PutErrors"]["Properties"] == {
        "AlarmDescription": "Put failed in ${AWS::Region}",
        "AlarmName": {"Fn::Sub": "${AWS::StackName}-Put"},
        "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": "PutFunction"}}],
    }
    assert resources["Subneteuwest1b"]["Properties"] == {
        "AvailabilityZone": "eu-west-1b",
        "Tags": [{"Key": "arn", "Value": {"Fn::GetAtt": ["eu-west-1bx", "Arn"]}}],
    }
    assert document["Outputs"] == {"GetName": {"Value": {"Ref": "GetFunction"}}}


def test_load_template_reads_functions_and_routes_made_by_loops(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(LOOPS)
    template = load_template(path)
    assert set(template.functions) == {"GetFunction", "PutFunction"}
    assert template.functions["PutFunction"].code_uri == tmp_path / "fn" / "Put"
    assert template.functions["PutFunction"].environment["OPERATION"] == "Put"
    assert {(r.method, r.path, r.function) for r in template.routes} == {
        ("GET", "/items", "GetFunction"),
        ("GET", "/items/{id}", "GetFunction"),
        ("PUT", "/items", "PutFunction"),
        ("PUT", "/items/{id}", "PutFunction"),
    }


def test_the_real_template_needs_and_declares_language_extensions() -> None:
    with DEFAULT_TEMPLATE.open(encoding="utf-8") as stream:
        raw = yaml.load(stream, Loader=CfnLoader)
    assert raw["Transform"] == ["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"]
    assert any(key.startswith("Fn::ForEach::") for key in raw["Resources"])
    expanded = read_document()
    assert not any(key.startswith("Fn::ForEach::") for key in expanded["Resources"])
    assert expanded["Transform"] == "AWS::Serverless-2016-10-31"


@pytest.mark.parametrize(
    ("loop", "error"),
    [
        ("Fn::ForEach::X: [Name, [A, A], {'${Name}Thing': {Type: T}}]", "produces AThing twice"),
        ("Fn::ForEach::X: [Name, [A], {'${Name}Thing': {Type: T}}]\n  AThing: {Type: T}", "already declared"),
        ("Fn::ForEach::X: [Name, [A]]", r"\[Identifier, Collection, Fragment\]"),
        ("Fn::ForEach::X: [Stage, [A], {'${Stage}Thing': {Type: T}}]", "also a parameter"),
        ("Fn::ForEach::X: [Name, [A], {Thing: {Type: T}}]", "must contain"),
        ("Fn::ForEach::X: [Name, !Ref Stage, {'${Name}Thing': {Type: T}}]", "CommaDelimitedList"),
        ("Fn::ForEach::X: [Name, [1], {'${Name}Thing': {Type: T}}]", "list of strings"),
    ],
)
def test_malformed_loops_are_refused(loop: str, error: str) -> None:
    text = (
        f"Transform: AWS::LanguageExtensions\nParameters:\n  Stage: {{Type: String}}\nResources:\n  {loop}\n"
    )
    with pytest.raises(TemplateError, match=error):
        expand_language_extensions(yaml.load(text, Loader=CfnLoader))


def test_a_loop_without_the_transform_is_refused() -> None:
    document = yaml.load("Resources:\n  Fn::ForEach::X: [N, [A], {'${N}B': {}}]\n", Loader=CfnLoader)
    with pytest.raises(TemplateError, match="needs the AWS::LanguageExtensions transform"):
        expand_language_extensions(document)
    assert expand_language_extensions({"Resources": {"A": {"Type": "T"}}}) == {
        "Resources": {"A": {"Type": "T"}}
    }
