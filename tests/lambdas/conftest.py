"""Fixtures for the Lambda code's tests (security_assistant).

Safety: unless SECURITY_ASSISTANT_E2E_REAL_AWS=1 is set (and then only for e2e tests),
every test runs with fake credentials, no profile and no config files, so nothing here
can reach a real AWS account by accident.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))  # sa_events and friends

REAL_AWS_OPT_IN = os.environ.get("SECURITY_ASSISTANT_E2E_REAL_AWS") == "1"

FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_REGION": "eu-west-2",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
if not REAL_AWS_OPT_IN:
    # Before anything imports boto3: the whole session uses fake credentials.
    os.environ.pop("AWS_PROFILE", None)
    os.environ.update(FAKE_AWS_ENV)
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "security-assistant")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "SecurityAssistant")


def _reset_caches() -> None:
    from security_assistant import aws_clients, storage
    from security_assistant.observability import metrics

    aws_clients.reset()
    storage._cache.clear()
    metrics.clear_metrics()


@pytest.fixture(autouse=True)
def lambda_env(request, monkeypatch, tmp_path):
    """Each test: local storage in its own directory, no queue, fake AWS credentials."""
    real_aws = REAL_AWS_OPT_IN and request.node.get_closest_marker("e2e") is not None
    if not real_aws:
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        for key, value in FAKE_AWS_ENV.items():
            monkeypatch.setenv(key, value)
        if request.node.get_closest_marker("e2e") is None:
            monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    from security_assistant import contract

    for var in contract.DEPLOYED | contract.LOCAL_ONLY:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ENV", "test")
    monkeypatch.setenv("STORAGE_MODE", "local")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    _reset_caches()
    yield tmp_path / "data"
    _reset_caches()


@pytest.fixture
def data_dir(lambda_env):
    return lambda_env


@pytest.fixture
def local_storage(data_dir):
    from security_assistant.storage.local import LocalStorage

    return LocalStorage(data_dir)


@pytest.fixture
def log_output():
    """Everything the Powertools logger writes during the test (JSON lines)."""
    import io

    from security_assistant.observability import logger

    stream = io.StringIO()
    previous = logger.registered_handler.setStream(stream)
    yield stream
    logger.registered_handler.setStream(previous)


def pytest_configure(config):
    # GET requests publish no metric by design; Powertools warns about it on every flush.
    config.addinivalue_line("filterwarnings", "ignore:No application metrics to publish")


# --- E2E: the dev resources ------------------------------------------------------------------
USER_ENDPOINT = os.environ.get("AWS_ENDPOINT_URL")


@pytest.fixture(scope="session")
def dev_stack():
    """Where the E2E tests run and the dev resource names (from the generated dev template).

    - AWS_ENDPOINT_URL set: that endpoint (the resources are created there if missing);
    - SECURITY_ASSISTANT_E2E_REAL_AWS=1 and no endpoint: the real dev resources, as they are;
    - otherwise (CI, default): a moto server on 127.0.0.1 with the template's resources.
    """
    import boto3
    from sa_dev_resources import (
        bucket_definition,
        create_dev_resources,
        dev_resources,
        table_definition,
    )

    resources = dev_resources()
    region = "eu-west-2"
    endpoint = USER_ENDPOINT
    if endpoint is None and not REAL_AWS_OPT_IN:
        from moto.server import ThreadedMotoServer

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
    ensure = None
    if endpoint is not None:
        session = boto3.session.Session(
            aws_access_key_id=FAKE_AWS_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_AWS_ENV["AWS_SECRET_ACCESS_KEY"],
            region_name=region,
        )
        s3 = session.client("s3", endpoint_url=endpoint)
        dynamodb = session.client("dynamodb", endpoint_url=endpoint)

        def ensure():
            create_dev_resources(s3, dynamodb, resources, region)

        ensure()
    yield {
        # The moto server shares moto's in-process state, which any `mock_aws` test resets
        # when it ends: `dev_env` recreates what is missing before each test.
        "ensure": ensure,
        "endpoint": endpoint,
        "emulated": endpoint is not None,
        "bucket": bucket_definition(resources)["BucketName"],
        "table": table_definition(resources)["TableName"],
        "resources": resources,
        "region": region,
    }
    # The moto server is left running: its thread is a daemon, which ends with this test
    # process, while ThreadedMotoServer.stop() would wait out werkzeug's half-second shutdown
    # poll (serve_forever's poll_interval) as the last thing this worker does.


@pytest.fixture
def dev_env(dev_stack, monkeypatch):
    """ENV=dev STORAGE_MODE=aws against the dev bucket/table; no queue (jobs run inline)."""
    monkeypatch.setenv("ENV", "dev")
    monkeypatch.setenv("STORAGE_MODE", "aws")
    monkeypatch.setenv("BUCKET_NAME", dev_stack["bucket"])
    monkeypatch.setenv("TABLE_NAME", dev_stack["table"])
    monkeypatch.delenv("QUEUE_URL", raising=False)
    if dev_stack["endpoint"]:
        monkeypatch.setenv("AWS_ENDPOINT_URL", dev_stack["endpoint"])
        dev_stack["ensure"]()
    else:
        monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    _reset_caches()
    yield dev_stack
    _reset_caches()
