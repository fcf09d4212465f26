"""Local mode: ``python -m security_assistant serve`` and the lean-import guarantees."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from sa_dev_resources import REPO
from sa_events import AWS_KEY_ID, SECRET_CONTENT
from security_assistant import local_server


def _request(base: str, method: str, path: str, body: bytes | None = None, headers=None):
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


@pytest.fixture
def server():
    httpd = local_server.make_server(0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_local_server_runs_the_api(server, data_dir):
    assert _request(server, "GET", "/health")[::2] == (200, {"status": "ok"})
    status, headers, body = _request(
        server,
        "POST",
        "/jobs",
        json.dumps({"content": SECRET_CONTENT, "name": "x.env"}).encode(),
        {"Content-Type": "application/json"},
    )
    assert status == 202
    assert body["status"] == "done"
    assert headers["Location"] == f"/jobs/{body['job_id']}"
    status, _, report = _request(server, "GET", f"/jobs/{body['job_id']}/report")
    assert status == 200
    assert report["finding_count"] == 3
    assert AWS_KEY_ID not in json.dumps(report)
    assert (data_dir / "inputs" / body["job_id"]).exists()


def test_local_server_client_errors(server):
    assert _request(server, "POST", "/jobs", b"{}", {"Content-Type": "text/plain"})[0] == 415
    assert _request(server, "POST", "/jobs", b"\xff\xfe", {"Content-Type": "application/json"})[
        ::2
    ] == (400, {"message": "request body is not valid JSON"})
    assert _request(server, "GET", "/jobs/not-an-id")[0] == 400
    assert _request(server, "DELETE", "/health")[0] == 404


def test_build_event_is_a_rest_proxy_event():
    event = local_server.build_event(
        "POST", "/jobs?x=1&x=2", [("Content-Type", "application/json")], b'{"a": 1}'
    )
    assert event["httpMethod"] == "POST"
    assert event["path"] == "/jobs"
    assert event["queryStringParameters"] == {"x": "2"}
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["body"] == '{"a": 1}' and event["isBase64Encoded"] is False
    assert event["requestContext"]["requestId"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_command(tmp_path):
    port = _free_port()
    data = tmp_path / "served"
    env = {k: v for k, v in os.environ.items() if k not in ("QUEUE_URL", "STORAGE_MODE")}
    env["PYTHONPATH"] = str(REPO / "lambdas")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "security_assistant",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(data),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, _, body = _request(base, "GET", "/health")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            pytest.fail("serve did not start")
        assert (status, body) == (200, {"status": "ok"})
        status, _, body = _request(
            base, "POST", "/jobs", b'{"content": "a = 1"}', {"Content-Type": "application/json"}
        )
        assert status == 202
        assert (data / "jobs" / f"{body['job_id']}.json").exists()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_handler_modules_import_no_boto3_xray_or_detect_secrets():
    code = (
        "import sys\n"
        "import security_assistant.api, security_assistant.worker, security_assistant.hooks\n"
        "bad = [m for m in ('boto3', 'botocore.session', 'aws_xray_sdk', 'detect_secrets')"
        " if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO / "lambdas"), STORAGE_MODE="aws")
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
