"""Which problem each domain error is: the api layer alone decides statuses."""

from __future__ import annotations

import pytest
from orders_api.api.problems import from_domain
from orders_api.domain import errors


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.Unreadable("x"), 400),
        (errors.NotFound("x"), 404),
        (errors.Conflict("x"), 409),
        (errors.StaleVersion("x"), 412),
        (errors.TooLarge("x"), 413),
        (errors.Invalid("x"), 422),
        (errors.Unfinished("x"), 503),
        (errors.DomainError("x"), 500),
    ],
)
def test_each_domain_error_has_its_status(error: errors.DomainError, status: int) -> None:
    assert from_domain(error).status == status


def test_a_stale_version_names_the_current_one_in_its_etag() -> None:
    assert from_domain(errors.StaleVersion("x", current_version=7)).headers == {"ETag": '"7"'}
    assert from_domain(errors.StaleVersion("x")).headers == {}


def test_an_unfinished_request_says_when_to_send_it_again() -> None:
    assert from_domain(errors.Unfinished("x")).headers == {"Retry-After": "1"}


def test_a_narrower_error_is_the_problem_of_the_error_it_narrows() -> None:
    class Gone(errors.NotFound):
        pass

    assert from_domain(Gone("x")).status == 404
