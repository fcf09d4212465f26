"""Property-based tests: whatever a client sends, the API answers 2xx/4xx with JSON, never a
5xx and never an unhandled exception; the worker never raises on any message body.

Examples per test come from the Hypothesis profile (tests/conftest.py): `quick` (25) in the
default run, `thorough` (1000) in CI's slow job. Explicit examples pin the validation
branches that random examples reach only now and then."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sa_events import FakeContext, api_event, sqs_event, sqs_record
from security_assistant import api, worker
from security_assistant.models import new_job_id

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.hypothesis  # runs with the property tests, under the profile they run with
def test_the_run_tries_as_many_examples_as_its_profile_says(request):
    """SETTINGS took its example count from the profile loaded when this module was imported:
    the one asked for, else `quick`."""
    asked = request.config.getoption("hypothesis_profile", None) or "quick"
    assert SETTINGS.max_examples == settings.get_profile(asked).max_examples


# st.text() draws from characters(codec="utf-8"), and Hypothesis (6.170) works out which
# characters utf-8 encodes by trying all 1.1M code points the first time a checkout runs:
# about 1.7 s in each test process until .hypothesis/ caches it. Every character but the lone
# surrogates is that same set, read from the character tables alone.
CHARACTERS = st.characters(exclude_categories=["Cs"])


def text(**sizes) -> st.SearchStrategy[str]:
    return st.text(CHARACTERS, **sizes)


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | text(max_size=40)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
JSON = "application/json"
JSON_TYPES = ["application/json", "application/json; charset=utf-8", "application/problem+json"]
texts = text(max_size=300) | st.text(alphabet=st.characters(max_codepoint=127), max_size=300)
# Mostly well-formed submissions with one thing wrong, so every validation branch is reached.
job_bodies = st.fixed_dictionaries(
    {"content": texts | texts | texts | json_values},
    optional={"name": text(max_size=300) | json_values},
) | st.fixed_dictionaries(
    {}, optional={"content": json_values, "name": json_values, "extra": json_values}
)
bodies = (
    st.none()
    | texts
    | job_bodies.map(json.dumps)
    | job_bodies.map(json.dumps)
    | json_values.map(json.dumps)
    | st.sampled_from(["[" * 5000, '{"content": "\\ud800"}', '{"content": 1e999}', "NaN"])
)
header_values = st.sampled_from(JSON_TYPES) | st.sampled_from(JSON_TYPES) | text(max_size=80)
headers = st.none() | st.dictionaries(
    st.sampled_from(["Content-Type", "content-type", "Idempotency-Key", "Accept"])
    | text(min_size=1, max_size=20),
    header_values,
    max_size=5,
)
segments = text(max_size=40) | st.just(new_job_id()) | st.sampled_from(["..", "%2F", " "])
paths = (
    st.sampled_from(["/jobs", "/jobs", "/health", "/", "/jobs/", "//jobs"])
    | segments.map(lambda s: f"/jobs/{s}")
    | segments.map(lambda s: f"/jobs/{s}/report")
    | text(max_size=60).map(lambda s: "/" + s)
)
methods = st.sampled_from(["GET", "POST", "POST", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"])


def edge_submissions(test):
    """Pin the submissions random bodies reach only now and then: a good name, one a character
    too long, with a control character, with a lone surrogate; an Idempotency-Key with a space."""
    long_name = "n" * (api.MAX_NAME_LENGTH + 1)
    for name in ("f.env", long_name, "a\tb", "\ud800"):
        test = example({"content": "x", "name": name}, None, JSON, False)(test)
    return example({"content": "x"}, "k 1 ", JSON, False)(test)


def check_answer(response: dict) -> None:
    status = response["statusCode"]
    assert 200 <= status < 500, response
    body = json.loads(response["body"])
    if status >= 400:
        assert isinstance(body["message"], str) and body["message"]


@SETTINGS
@given(method=methods, path=paths, body=bodies, headers=headers, b64=st.booleans())
def test_any_request_gets_a_json_answer_below_500(method, path, body, headers, b64):
    event = api_event(method, path, headers={})
    event["headers"] = headers
    event["multiValueHeaders"] = None if headers is None else {k: [v] for k, v in headers.items()}
    event["body"] = body
    event["isBase64Encoded"] = b64
    check_answer(api.handler(event, FakeContext()))


@SETTINGS
@edge_submissions
@given(
    body=job_bodies,
    key=st.none() | st.none() | text(max_size=300),
    content_type=header_values,
    b64=st.booleans(),
)
def test_any_job_submission_is_202_or_4xx(body, key, content_type, b64):
    hdrs = {"Content-Type": content_type}
    if key is not None:
        hdrs["Idempotency-Key"] = key
    raw = json.dumps(body)
    event = api_event("POST", "/jobs", headers=hdrs)
    if b64:
        event["body"] = base64.b64encode(raw.encode("utf-8", "surrogatepass")).decode()
        event["isBase64Encoded"] = True
    else:
        event["body"] = raw
    response = api.handler(event, FakeContext())
    check_answer(response)
    if response["statusCode"] == 202:
        assert isinstance(body.get("content"), str) and body["content"]


@SETTINGS
@given(job_id=text(max_size=60) | st.uuids().map(str), report=st.booleans())
def test_any_job_id_is_400_or_404(job_id, report):
    path = f"/jobs/{job_id}/report" if report else f"/jobs/{job_id}"
    response = api.handler(api_event("GET", path), FakeContext())
    check_answer(response)
    assert response["statusCode"] in (400, 404)


@SETTINGS
@given(
    body=text(max_size=200) | json_values.map(json.dumps),
    receive_count=st.integers(min_value=1, max_value=10) | text(max_size=5),
)
def test_worker_never_raises_on_any_message(body, receive_count):
    record = sqs_record(body)
    record["attributes"]["ApproximateReceiveCount"] = str(receive_count)
    response = worker.handler(sqs_event(record), FakeContext())
    assert response["batchItemFailures"] in ([], [{"itemIdentifier": record["messageId"]}])
