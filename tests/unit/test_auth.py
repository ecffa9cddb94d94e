import base64
import json

import pytest
from orders_api import settings
from orders_api.api.authorizer import key_from_header, policy
from orders_api.app.authentication import AuthenticationFailed, Principal, authenticate
from orders_api.domain.api_keys import hash_key, new_key
from orders_api.store.registry import ApiKeyRecord


def basic(user: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Bearer abc123", "abc123"),
        ("bearer   abc123  ", "abc123"),
        (basic("abc123"), "abc123"),
        ("Basic " + base64.b64encode(b"abc123:").decode(), "abc123"),
    ],
)
def test_accepted_forms(header: str, key: str) -> None:
    assert key_from_header(header) == key


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Token abc",
        "abc123",
        basic("abc123", "secret"),
        "Basic !!!notbase64",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:").decode(),
        "Bearer " + "x" * 5000,
        "Bearer a\x00b",
    ],
)
def test_malformed_headers_give_no_key(header: str | None) -> None:
    assert key_from_header(header) is None


class FakeKeys:
    def __init__(self, records: dict[str, ApiKeyRecord], **settings: str | None) -> None:
        self.records = records
        self.settings = settings

    def get_api_key(self, key_hash: str) -> ApiKeyRecord | None:
        return self.records.get(key_hash)

    def get_client_settings(self, client_id: str) -> dict[str, str | None]:
        return {"client_id": client_id, "time_zone": "Europe/Amsterdam", **self.settings}


def test_keys_are_looked_up_by_hash_and_revocation_counts() -> None:
    good, revoked = new_key(), new_key()
    repository = FakeKeys(
        {
            hash_key(good): ApiKeyRecord(hash_key(good), "shop", revoked=False),
            hash_key(revoked): ApiKeyRecord(hash_key(revoked), "shop", revoked=True),
        }
    )
    principal = authenticate(key_from_header(f"Bearer {good}"), repository)  # type: ignore[arg-type]
    assert principal.client_id == "shop"
    assert '"time_zone":"Europe/Amsterdam"' in principal.settings_json
    for header in (f"Bearer {revoked}", "Bearer unknown-key", None):
        with pytest.raises(AuthenticationFailed, match="Unauthorized"):
            authenticate(key_from_header(header), repository)  # type: ignore[arg-type]


def test_hash_is_sha256_hex() -> None:
    assert hash_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert new_key() != new_key()


def test_policy_allows_the_whole_stage_and_carries_the_client() -> None:
    document = policy(
        Principal("shop", "{}", usage_key="usage-1"),
        "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/v1/orders",
    )
    statement = document["policyDocument"]["Statement"][0]
    assert statement["Resource"] == "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*/*"
    assert statement["Effect"] == "Allow"
    assert document["context"]["client_id"] == "shop"
    assert document["usageIdentifierKey"] == "usage-1"


@pytest.mark.parametrize(
    ("own", "default", "expected"),
    [
        ("own-usage-key-of-the-shop", "default-usage-key-value", "own-usage-key-of-the-shop"),
        (None, "default-usage-key-value", "default-usage-key-value"),
        (None, None, None),
    ],
)
def test_usage_key_is_the_clients_own_else_the_default_and_stays_out_of_the_settings(
    monkeypatch: pytest.MonkeyPatch, own: str | None, default: str | None, expected: str | None
) -> None:
    if default is None:
        monkeypatch.delenv("DEFAULT_USAGE_KEY", raising=False)
        settings.reload()
    else:
        monkeypatch.setenv("DEFAULT_USAGE_KEY", default)
        settings.reload()
    key = new_key()
    repository = FakeKeys({hash_key(key): ApiKeyRecord(hash_key(key), "shop", revoked=False)}, usage_key=own)
    principal = authenticate(key_from_header(f"Bearer {key}"), repository)  # type: ignore[arg-type]
    assert principal.usage_key == expected
    assert "usage_key" not in json.loads(principal.settings_json)
    document = policy(principal, "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/v1/orders")
    assert document.get("usageIdentifierKey") == expected
    assert "usage" not in json.dumps(document["context"])
