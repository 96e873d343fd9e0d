"""Schemathesis against the running server's own /api/v1/openapi.json: no 5xx, no answer off the document.

Derandomized (a fixed seed) and bounded so that it fits in about a minute. Each operation is fuzzed three
ways: positive data, positive data aimed at things that exist (so answers other than 404 are checked too),
and negative data. For a long run by hand: MEETKIT_FUZZ_EXAMPLES=500 pytest tests/test_api_schemathesis.py
"""

from __future__ import annotations

import collections
import os
import re
import sys
import time
from collections.abc import Callable
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import CliResult, RunningServer

EXAMPLES = int(os.environ.get("MEETKIT_FUZZ_EXAMPLES", "20"))  # per operation and way
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
SLUG = "kiss-fuzz"


def aimed_at_existing(case: schemathesis.Case) -> schemathesis.Case:
    """Point a generated case's references at the seeded contact point, group and tablet."""
    if "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = 1
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = SLUG
    if case.query and "contact_point" in case.query:
        case.query["contact_point"] = SLUG
    if isinstance(case.body, dict) and "contact_point" in case.body:
        case.body["contact_point"] = SLUG
    return case


def strategies(operation: Any) -> dict[str, st.SearchStrategy[schemathesis.Case]]:
    """The three ways an operation is fuzzed."""
    positive = operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
    return {
        "positive": positive,
        "positive, aimed at existing things": positive.map(aimed_at_existing),
        "negative": operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    }


def test_the_api_answers_as_documented(running_server: RunningServer, cli: Callable[..., CliResult]) -> None:
    assert cli("contact-point", "add", "KISS Fuzz", "--slug", SLUG).returncode == 0
    assert cli("group", "add", "Fuzzgruppe", "--contact-point", SLUG).returncode == 0
    assert cli("group", "schedule", "1", "--weekly", "do", "19:00").returncode == 0  # a real Schedule answer
    assert cli("device", "add", "Fuzztablet", "--contact-point", SLUG, "--no-qr").returncode == 0
    token = cli("api-token", "add", "schemathesis", "--admin", "--json").json()["token"]
    config = schemathesis.Config.from_dict(
        {
            "auth": {"openapi": {"staffToken": {"bearer": token}}},
            # Wrong tokens would use up the visitor's failure budget (then everything is 429); the token
            # check has tests of its own in test_api.py.
            "generation": {"with-security-parameters": False},
        }
    )
    base_url = running_server.url + "/api/v1"
    schema = schemathesis.openapi.from_url(base_url + "/openapi.json", config=config)
    # Reading operations first: the sheets PDF of the seeded contact point stays one page, not hundreds.
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()), key=lambda o: o.method != "get"
    )
    assert len(operations) >= 17
    failures: list[str] = []
    for operation in operations:
        for way, strategy in strategies(operation).items():

            @given(case=strategy)
            @settings(
                max_examples=EXAMPLES,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def call(case: schemathesis.Case) -> None:
                case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=30)

            try:
                call()
            except Unsatisfiable:
                assert way == "negative"  # an operation without parameters or body has no negative data
            except (Exception, BaseExceptionGroup) as error:  # schemathesis reports a FailureGroup
                failures.append(f"{operation.label} ({way}): {error}")
                print(failures[-1], file=sys.stderr, flush=True)
    assert not failures, "\n\n".join(failures)

    time.sleep(1)  # the access log is written in batches
    answers = collections.Counter(re.findall(r"meetkit\.access: \w+ (api_\w+) (\d{3})", running_server.log()))
    assert not [key for key in answers if key[1] >= "500" or key[1] in ("401", "429")], answers
    succeeded = {name for name, status in answers if status.startswith("2")}
    by_class: collections.Counter[str] = collections.Counter()
    for (_, status), count in answers.items():
        by_class[f"{status[0]}xx"] += count
    print(f"schemathesis: {answers.total()} requests, {dict(sorted(by_class.items()))}", file=sys.stderr)
    assert len(succeeded) >= 12, answers  # not only errors: most operations also answered with success
