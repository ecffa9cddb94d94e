"""template.yaml as it is deployed: rate limits, logs, alarms and permissions, checked on the template itself.

tests/handlers/test_policies.py checks each function's DynamoDB permissions against the calls it makes.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from orders_api.api.schedule import metrics, publish
from orders_api.app.mailer import Summary
from orders_api.domain.mail_rules import Tally
from orders_local.template import DEFAULT_TEMPLATE, read_document

Resources = dict[str, dict[str, Any]]
CHECKOV_CONFIG = DEFAULT_TEMPLATE.parent / ".checkov.yaml"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The template as deployed: its Fn::ForEach loops (log groups, alarms) expanded."""
    return read_document()


@pytest.fixture(scope="module")
def resources(document: dict[str, Any]) -> Resources:
    found: Resources = document["Resources"]
    return found


def of_type(resources: Resources, kind: str) -> Resources:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def api_events(resources: Resources) -> list[dict[str, Any]]:
    return [
        event["Properties"]
        for function in of_type(resources, "AWS::Serverless::Function").values()
        for event in (function["Properties"].get("Events") or {}).values()
        if event["Type"] == "Api"
    ]


def test_stage_throttling_comes_from_the_parameters(resources: Resources) -> None:
    api = resources["OrdersApi"]["Properties"]
    assert api["MethodSettings"] == [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": {"Ref": "ThrottleRateLimit"},
            "ThrottlingBurstLimit": {"Ref": "ThrottleBurstLimit"},
        }
    ]


def test_every_authorized_route_needs_the_usage_key_and_no_public_one_does(resources: Resources) -> None:
    """Usage plans throttle only methods that require a key; a public route requiring one would be a 403."""
    api = resources["OrdersApi"]["Properties"]
    assert api["ApiKeySourceType"] == "AUTHORIZER"
    assert api["Auth"]["ApiKeyRequired"] is True
    events = api_events(resources)
    public = [e for e in events if (e.get("Auth") or {}).get("Authorizer") == "NONE"]
    assert public
    for event in events:
        required = (event.get("Auth") or {}).get("ApiKeyRequired", True)
        assert required is (event not in public), event


def test_the_default_usage_key_is_the_one_the_authorizer_returns(resources: Resources) -> None:
    key = resources["DefaultUsageKey"]["Properties"]
    authorizer = resources["AuthorizerFunction"]["Properties"]
    assert authorizer["Environment"]["Variables"]["DEFAULT_USAGE_KEY"] == key["Value"]
    assert key["Enabled"] is True
    link = resources["DefaultUsagePlanKey"]["Properties"]
    assert link == {
        "KeyId": {"Ref": "DefaultUsageKey"},
        "KeyType": "API_KEY",
        "UsagePlanId": {"Ref": "DefaultUsagePlan"},
    }
    plan = resources["DefaultUsagePlan"]["Properties"]
    assert plan["ApiStages"] == [{"ApiId": {"Ref": "OrdersApi"}, "Stage": {"Ref": "OrdersApi.Stage"}}]
    assert plan["Throttle"] == {
        "RateLimit": {"Ref": "UsagePlanRateLimit"},
        "BurstLimit": {"Ref": "UsagePlanBurstLimit"},
    }
    condition, quota, _ = plan["Quota"]["Fn::If"]
    assert condition == "HasUsagePlanQuota"
    assert quota == {"Limit": {"Ref": "UsagePlanQuotaLimit"}, "Period": {"Ref": "UsagePlanQuotaPeriod"}}


@pytest.mark.parametrize("kind", ["THROTTLED", "QUOTA_EXCEEDED"])
def test_limits_answer_429_problems(resources: Resources, kind: str) -> None:
    response = resources["OrdersApi"]["Properties"]["GatewayResponses"][kind]
    assert response["StatusCode"] == 429
    assert response["ResponseParameters"]["Headers"]["Content-Type"] == "'application/problem+json'"
    body = json.loads(response["ResponseTemplates"]["application/json"])
    assert body["status"] == 429
    assert body["type"].endswith("/problems/too-many-requests")
    assert body["request_id"] == "$context.requestId"


def log_group_of(resources: Resources, reference: dict[str, Any]) -> dict[str, Any]:
    if "Ref" in reference:
        name = reference["Ref"]
    else:
        name, attribute = reference["Fn::GetAtt"]
        assert attribute == "Arn"
    group = resources[name]
    assert group["Type"] == "AWS::Logs::LogGroup"
    return dict(group["Properties"])


def test_every_function_logs_to_its_own_group_with_retention(resources: Resources) -> None:
    functions = of_type(resources, "AWS::Serverless::Function")
    groups = [f["Properties"]["LoggingConfig"]["LogGroup"] for f in functions.values()]
    assert len({json.dumps(g) for g in groups}) == len(functions)
    for group in groups:
        properties = log_group_of(resources, group)
        assert properties["RetentionInDays"] == {"Ref": "LogRetentionDays"}
        assert properties["KmsKeyId"] == {"Fn::GetAtt": ["LogsKey", "Arn"]}


ACCESS_LOG_FIELDS = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "latency": "$context.responseLatency",
    "authorizerError": "$context.authorizer.error",
    "clientId": "$context.authorizer.client_id",
}
# The path and query can hold customer ids and emails, the settings hold sender addresses, and the API key
# variable holds the usage key: none of them may reach the access log.
NEVER_LOGGED = (
    "$context.path",
    "$context.identity.apiKey",
    "$context.authorizer.settings",
    "$input",
    "$method",
)


def test_access_log_is_json_without_keys_or_personal_data(resources: Resources) -> None:
    setting = resources["OrdersApi"]["Properties"]["AccessLogSetting"]
    group = log_group_of(resources, setting["DestinationArn"])
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert group["KmsKeyId"] == {"Fn::GetAtt": ["LogsKey", "Arn"]}
    fields = json.loads(setting["Format"])
    assert fields.items() >= ACCESS_LOG_FIELDS.items()
    for value in fields.values():
        assert not value.startswith(NEVER_LOGGED), value


def test_api_gateway_can_write_logs_before_the_stage_is_created(resources: Resources) -> None:
    assert resources["OrdersApi"]["DependsOn"] == "ApiGatewayAccount"
    condition, created, given = resources["ApiGatewayAccount"]["Properties"]["CloudWatchRoleArn"]["Fn::If"]
    assert created == {"Fn::GetAtt": ["ApiGatewayLogsRole", "Arn"]}
    assert given == {"Ref": "ApiGatewayCloudWatchRoleArn"}
    role = resources["ApiGatewayLogsRole"]
    assert role["Condition"] == condition
    assert role["DeletionPolicy"] == "Retain"


ALARM_ACTIONS = [{"Fn::If": ["CreateAlarmTopic", {"Ref": "AlarmTopic"}, {"Ref": "AlarmTopicArn"}]}]


def alarms(resources: Resources) -> list[dict[str, Any]]:
    return [alarm["Properties"] for alarm in of_type(resources, "AWS::CloudWatch::Alarm").values()]


def test_every_alarm_notifies_the_alarm_topic(resources: Resources) -> None:
    assert alarms(resources)
    for alarm in alarms(resources):
        assert alarm["AlarmActions"] == ALARM_ACTIONS, alarm["AlarmName"]
    assert resources["AlarmTopic"]["Condition"] == "CreateAlarmTopic"


def test_every_function_but_the_authorizer_has_an_errors_alarm(resources: Resources) -> None:
    """The authorizer fails on purpose for every refused key; its real failures are 5xx answers."""
    watched = [
        alarm["Dimensions"]
        for alarm in alarms(resources)
        if (alarm.get("Namespace"), alarm.get("MetricName")) == ("AWS/Lambda", "Errors")
    ]
    functions = set(of_type(resources, "AWS::Serverless::Function")) - {"AuthorizerFunction"}
    assert sorted(watched, key=json.dumps) == sorted(
        ([{"Name": "FunctionName", "Value": {"Ref": name}}] for name in functions), key=json.dumps
    )


def test_api_alarms_watch_this_stage_and_its_429s(resources: Resources) -> None:
    api = resources["OrdersApi"]["Properties"]
    server_errors = resources["ApiServerErrorsAlarm"]["Properties"]
    stats = [m["MetricStat"]["Metric"] for m in server_errors["Metrics"] if "MetricStat" in m]
    assert {m["MetricName"] for m in stats} == {"5XXError", "Count"}
    for metric in stats:
        assert metric["Dimensions"] == [
            {"Name": "ApiName", "Value": api["Name"]},
            {"Name": "Stage", "Value": api["StageName"]},
        ]
    metric_filter = resources["ApiThrottledRequestsMetricFilter"]["Properties"]
    assert metric_filter["LogGroupName"] == {
        "Ref": api["AccessLogSetting"]["DestinationArn"]["Fn::GetAtt"][0]
    }
    assert metric_filter["FilterPattern"] == '{ $.status = "429" }'
    assert '"status": "$context.status"' in api["AccessLogSetting"]["Format"]
    (transformation,) = metric_filter["MetricTransformations"]
    throttled = resources["ApiThrottledRequestsAlarm"]["Properties"]
    assert (throttled["Namespace"], throttled["MetricName"]) == (
        transformation["MetricNamespace"],
        transformation["MetricName"],
    )


def test_mailer_failure_alarm_watches_a_metric_the_mailer_publishes(
    document: dict[str, Any], resources: Resources
) -> None:
    publish(Summary(time=datetime.now(UTC), tally=Tally(failed=1)))
    published = metrics.serialize_metric_set()
    metrics.clear_metrics()
    alarm = resources["MailerFailedEmailsAlarm"]["Properties"]
    (definition,) = published["_aws"]["CloudWatchMetrics"]
    assert published[alarm["MetricName"]] == [1.0]
    assert definition["Dimensions"] == [["service"]]
    variables = document["Globals"]["Function"]["Environment"]["Variables"]
    assert alarm["Namespace"] == variables["POWERTOOLS_METRICS_NAMESPACE"]
    assert alarm["Dimensions"] == [{"Name": "service", "Value": variables["POWERTOOLS_SERVICE_NAME"]}]


def test_failed_mailer_runs_land_in_the_watched_dead_letter_queue(resources: Resources) -> None:
    queue = {"Fn::GetAtt": ["MailerDeadLetterQueue", "Arn"]}
    mailer = resources["MailerFunction"]["Properties"]
    assert mailer["DeadLetterQueue"] == {"Type": "SQS", "TargetArn": queue}
    assert mailer["Events"]["Schedule"]["Properties"]["DeadLetterConfig"] == {"Arn": queue}
    alarm = resources["MailerDeadLetterAlarm"]["Properties"]
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["MailerDeadLetterQueue", "QueueName"]}}
    ]


def test_outputs_name_what_operators_and_the_admin_cli_need(document: dict[str, Any]) -> None:
    assert {"ApiUrl", "TableName", "MailerDeadLetterQueueUrl", "AlarmTopicArn"} <= set(document["Outputs"])
    assert document["Outputs"]["TableName"]["Value"] == {"Ref": "OrdersTable"}


# Cursors (list), unsubscribe tokens (the mailer's links and the unsubscribe route) are signed.
SIGNING_FUNCTIONS = {"ListOrdersFunction", "UnsubscribeFunction", "MailerFunction", "PreviewEmailFunction"}


def statements(resources: Resources, function: str) -> list[dict[str, Any]]:
    policies = resources[function]["Properties"].get("Policies") or []
    assert all(set(policy) == {"Statement"} for policy in policies), "inline statements only"
    return [statement for policy in policies for statement in policy["Statement"]]


# Actions that have no resource type, so "*" is the only resource they take; each alone in its statement.
RESOURCELESS_ACTIONS = {"ses:GetAccount"}


def test_no_function_holds_wildcard_actions_or_resources(resources: Resources) -> None:
    for function in of_type(resources, "AWS::Serverless::Function"):
        for statement in statements(resources, function):
            targets = (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
            if set(statement["Action"]) <= RESOURCELESS_ACTIONS:
                assert targets == ["*"], function
            else:
                assert "*" not in targets, function
            assert all("*" not in action for action in statement["Action"]), function


def _arn(resource: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [resource, "Arn"]}


# Events and webhooks: only the events function puts on the bus, only the webhook functions use the key.
EVENT_GRANTS: dict[str, tuple[tuple[str, Any], ...]] = {
    "EventsFunction": (
        ("events:PutEvents", _arn("EventBus")),
        ("sqs:SendMessage", [_arn("WebhookDeliveryQueue"), _arn("EventsDeadLetterQueue")]),
    ),
    "DeliverWebhooksFunction": (
        ("kms:Decrypt", _arn("WebhookKey")),
        ("sqs:ChangeMessageVisibility", _arn("WebhookDeliveryQueue")),
    ),
    "CreateWebhookFunction": (("kms:Encrypt", _arn("WebhookKey")),),
}


def test_only_signing_functions_read_the_secret_and_only_the_mailer_sends_email_and_reads_the_send_rate(
    resources: Resources,
) -> None:
    for function in of_type(resources, "AWS::Serverless::Function"):
        granted = {
            (action, json.dumps(statement["Resource"]))
            for statement in statements(resources, function)
            for action in statement["Action"]
            if not action.startswith("dynamodb:")
        }
        expected = set()
        if function in SIGNING_FUNCTIONS:
            expected.add(("secretsmanager:GetSecretValue", json.dumps({"Ref": "SigningSecret"})))
        if function == "MailerFunction":
            identities = json.dumps(
                [
                    {"Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"},
                    {
                        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:"
                        "configuration-set/${EmailConfigurationSet}"
                    },
                ]
            )
            expected |= {
                ("ses:SendEmail", identities),
                ("ses:SendRawEmail", identities),
                ("ses:GetAccount", json.dumps("*")),
            }
        expected |= {(action, json.dumps(target)) for action, target in EVENT_GRANTS.get(function, ())}
        assert granted == expected, function


def test_the_logs_key_serves_only_this_stacks_log_groups(resources: Resources) -> None:
    key = resources["LogsKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    (logs,) = [s for s in key["KeyPolicy"]["Statement"] if "Service" in s["Principal"]]
    allowed = [
        pattern["Fn::Sub"] for pattern in logs["Condition"]["ArnLike"]["kms:EncryptionContext:aws:logs:arn"]
    ]
    for group in of_type(resources, "AWS::Logs::LogGroup").values():
        name = group["Properties"]["LogGroupName"]["Fn::Sub"]
        assert any(pattern.endswith(":log-group:" + name.rpartition("/")[0] + "/*") for pattern in allowed), (
            name
        )


def test_every_checkov_skip_names_a_check_and_says_why(resources: Resources) -> None:
    skipped = [
        (name, skip)
        for name, resource in resources.items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skipped
    for name, skip in skipped:
        assert set(skip) == {"id", "comment"}, name
        assert re.fullmatch(r"CKV2?_AWS_\d+", skip["id"]), name
        assert len(skip["comment"].split()) >= 10, (name, skip["id"])


def test_every_check_skipped_for_the_whole_stack_says_why() -> None:
    """.checkov.yaml skips checks for every function or table at once, each with a comment above it."""
    lines = CHECKOV_CONFIG.read_text(encoding="utf-8").splitlines()
    config = yaml.safe_load("\n".join(lines))
    assert config["skip-check"]
    for check in config["skip-check"]:
        assert re.fullmatch(r"CKV2?_AWS_\d+", check)
        at = lines.index(f"  - {check}")
        reason = []
        while lines[at - 1].strip().startswith("#"):
            at -= 1
            reason.insert(0, lines[at].strip().lstrip("# "))
        assert len(" ".join(reason).split()) >= 10, check


def test_no_resource_repeats_a_skip_of_the_whole_stack(resources: Resources) -> None:
    skipped_everywhere = set(yaml.safe_load(CHECKOV_CONFIG.read_text(encoding="utf-8"))["skip-check"])
    for name, resource in resources.items():
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
            assert skip["id"] not in skipped_everywhere, name
