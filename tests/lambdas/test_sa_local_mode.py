"""Local mode: ``python -m security_assistant serve`` and the lean-import guarantees."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from sa_dev_resources import REPO
from sa_events import AWS_KEY_ID, SECRET_CONTENT, STOP_QUICKLY
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
    thread = threading.Thread(target=httpd.serve_forever, kwargs=STOP_QUICKLY, daemon=True)
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


# -- one client cannot stall the server ----------------------------------------------------------
def test_an_idle_half_sent_connection_does_not_delay_health(server):
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as idle:
        idle.sendall(b"POST /jobs HTTP/1.1\r\nContent-Length: 100\r\n")  # headers never end
        # A single-threaded server would wait on `idle` (no socket timeout) for ever.
        assert _request(server, "GET", "/health")[::2] == (200, {"status": "ok"})


def test_a_half_sent_body_does_not_delay_health(server):
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as idle:
        idle.sendall(
            b"POST /jobs HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        assert _request(server, "GET", "/health")[0] == 200


def _raw(server: str, data: bytes) -> tuple[int, dict]:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        response = b""
        while chunk := sock.recv(65536):
            response += chunk
    head, _, body = response.partition(b"\r\n\r\n")
    assert b"application/json" in head
    return int(head.split()[1]), json.loads(body)


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"BREW /health HTTP/1.1\r\n\r\n", 404),  # unknown method: the API's JSON 404
        (b"GARBAGE\r\n\r\n", 400),  # bad request line
        (b"GET /health HTTP/9.9\r\n\r\n", 505),  # bad HTTP version
        (b"GET /health HTTP/1.1\r\nX: " + b"y" * 70000 + b"\r\n\r\n", 431),  # header too long
    ],
)
def test_every_bad_request_gets_a_json_error(server, request_bytes, status):
    code, body = _raw(server, request_bytes)
    assert code == status and isinstance(body["message"], str)


def test_query_strings_parse_in_one_pass():
    target = "/health?" + "&".join(f"k{i % 3}=v{i}" for i in range(30_000))
    event = local_server.build_event("GET", target, [], None)
    assert [len(v) for v in event["multiValueQueryStringParameters"].values()] == [10_000] * 3


def test_serve_help_says_it_is_a_development_server(capsys):
    # In-process: test_serve_command runs the real entry point.
    from security_assistant.__main__ import main

    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "development server" in text and "127.0.0.1" in text


# -- nothing stuck: kill -9 during a scan ----------------------------------------------------
def _serve(port: int, data, lease: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("QUEUE_URL", "STORAGE_MODE")}
    # A generous scan budget: this machine may be busy; the budget is not under test here.
    env.update(
        PYTHONPATH=str(REPO / "lambdas"), JOB_LEASE_SECONDS=str(lease), SCAN_BUDGET_SECONDS="600"
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "security_assistant", "serve", "--port", str(port)]
        + ["--data-dir", str(data)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            _request(base, "GET", "/health")
            return process
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    process.kill()
    pytest.fail("serve did not start")


def _wait_for(predicate, what: str, attempts: int = 1200):
    for _ in range(attempts):
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.mark.slow  # two server processes and a long scan: about 2 s (CI's slow job runs it)
def test_a_job_killed_mid_scan_finishes_after_restart_and_replay(tmp_path):
    port, data = _free_port(), tmp_path / "served"
    # Thousands of findings: a scan of half a second or more, long enough to be killed in.
    content = "".join(f"pwd=x{i}\n" for i in range(8_000))
    request = json.dumps({"content": content, "name": "big.env"}).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": "kill-me"}
    base = f"http://127.0.0.1:{port}"

    first = _serve(port, data, lease=1)
    try:
        status, _, body = _request(base, "POST", "/jobs", request, headers)
        assert status == 202  # answered at once; a worker thread scans
        job_file = data / "jobs" / f"{body['job_id']}.json"
        _wait_for(lambda: json.loads(job_file.read_text())["status"] == "running", "the scan")
    finally:
        os.kill(first.pid, signal.SIGKILL)  # kill -9, half-way through the scan
        first.wait(timeout=10)
    stuck = json.loads(job_file.read_text())
    assert stuck["status"] == "running"  # stuck, until...

    second = _serve(port, data, lease=60)
    try:
        # The dead server's lease expires (restart alone may already resume the job).
        _wait_for(lambda: int(time.time()) >= stuck["lease_until"], "the lease to expire")
        status, reply_headers, replay = _request(base, "POST", "/jobs", request, headers)
        assert status == 202 and replay["job_id"] == body["job_id"]
        assert reply_headers["Idempotent-Replayed"] == "true"
        job = _wait_for(
            lambda: (
                (j := _request(base, "GET", f"/jobs/{body['job_id']}")[2])["status"]
                in ("done", "failed")
                and j
            ),
            "the job to finish",
        )
        assert job["status"] == "done" and job["finding_count"] == 8_000
    finally:
        second.terminate()
        second.wait(timeout=10)
