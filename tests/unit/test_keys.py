from hypothesis import given
from hypothesis import strategies as st
from orders_api.domain.client_ids import CLIENT_ID_PATTERN, is_valid_client_id
from orders_api.store import keys

client_ids = st.from_regex(CLIENT_ID_PATTERN, fullmatch=True)
ids = st.text(min_size=1, max_size=128)


@given(client_ids, ids, client_ids, ids)
def test_order_keys_never_collide(client_a: str, id_a: str, client_b: str, id_b: str) -> None:
    same_key = keys.order_pk(client_a, id_a) == keys.order_pk(client_b, id_b)
    assert same_key == (client_a == client_b and id_a == id_b)


@given(client_ids, ids, ids)
def test_orders_and_customers_live_in_separate_key_spaces(
    client: str, order_id: str, customer_id: str
) -> None:
    assert keys.order_pk(client, order_id) != keys.customer_pk(client, customer_id)


def test_ids_with_separators_stay_distinct() -> None:
    tricky = ["a#b", "a", "a#O#b", "a/b", "a b", "ü", "#", "O#a"]
    assert len({keys.order_pk("demo", t) for t in tricky}) == len(tricky)


def test_client_id_alphabet_excludes_the_separator() -> None:
    assert is_valid_client_id("shop-1.eu_west")
    assert not is_valid_client_id("a#b")
    assert not is_valid_client_id("")


def test_created_sort_key_orders_by_time_then_id() -> None:
    early = keys.created_sort_key("2026-01-01T00:00:00.000000Z", "zzz")
    late = keys.created_sort_key("2026-01-01T00:00:00.000001Z", "aaa")
    assert early < late
    assert keys.created_sort_key("2026-01-01T00:00:00.000000Z", "a") < early


def test_due_shards_spread_orders() -> None:
    shards = {keys.due_shard("demo", f"order-{n}") for n in range(200)}
    assert len(shards) == keys.DUE_SHARDS


emails = st.emails()
INSTANT = "2026-01-01T00:00:00.000000Z"


@given(client_ids, ids, emails)
def test_a_due_sort_key_holds_the_address_digest_and_sorts_by_time_first(
    client: str, order_id: str, email: str
) -> None:
    due = keys.due_sort_key(INSTANT, client, order_id, email)
    assert keys.due_address(due) == keys.address_digest(email)
    assert due.startswith(INSTANT + "#")
    assert (
        due < keys.after_instant(INSTANT) < keys.due_sort_key("2026-01-01T00:00:00.000001Z", client, "", None)
    )


@given(client_ids, ids)
def test_a_due_sort_key_without_an_address_holds_none_whatever_the_order_id(
    client: str, order_id: str
) -> None:
    assert keys.due_address(keys.due_sort_key(INSTANT, client, order_id, None)) is None
    assert keys.due_address(keys.due_sort_key(INSTANT, client, "a" * 64 + "#" + order_id, None)) is None
