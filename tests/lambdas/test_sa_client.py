"""``python -m security_assistant scan``: against local ``serve`` (the same HTTP path as a
deployed API), ``--local`` in-process, service errors, SigV4 signing and import cost."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sa_dev_resources import REPO
from sa_events import SECRET_CONTENT, SECRET_VALUES, STOP_QUICKLY
from security_assistant import client, local_server
from security_assistant.__main__ import main
from security_assistant.config import DEFAULT_MAX_CONTENT_BYTES

FINDING_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+): (?P<type>.+) (?P<hint>\S*…)$")


@pytest.fixture
def local_api(data_dir, log_output, monkeypatch):
    """`python -m security_assistant serve` in a thread: the real HTTP path and handler
    (its logs go to `log_output`, not into the client's captured stdout)."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")  # as `serve` sets it
    httpd = local_server.make_server(0)
    thread = threading.Thread(target=httpd.serve_forever, kwargs=STOP_QUICKLY, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def tree(tmp_path):
    """A project: a leaked secret, a clean file, a nested binary and an oversized log."""
    root = tmp_path / "project"
    (root / "config").mkdir(parents=True)
    (root / "config" / "deploy.env").write_text(SECRET_CONTENT)
    (root / "README.md").write_text("# nothing to see\n")
    (root / "config" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (root / "big.log").write_text("x" * (DEFAULT_MAX_CONTENT_BYTES + 1))
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text(SECRET_CONTENT)  # VCS internals are not scanned
    return root


def scan(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["scan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_findings_through_local_serve_exit_1_in_path_line_type_hint_form(local_api, tree, capsys):
    code, out, err = scan(capsys, "--api", local_api, str(tree))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 3
    for line in lines:
        match = FINDING_LINE.match(line)
        assert match, line
        assert match["path"] == str(tree / "config" / "deploy.env")
    assert [int(FINDING_LINE.match(line)["line"]) for line in lines] == [2, 4, 5]
    assert not any(secret in out + err for secret in SECRET_VALUES)
    assert f"note: {tree / 'config' / 'logo.png'}: skipped, binary" in err
    assert f"note: {tree / 'big.log'}: skipped, {DEFAULT_MAX_CONTENT_BYTES + 1} bytes" in err


def test_local_mode_gives_the_same_report_offline(local_api, tree, capsys):
    through_api = scan(capsys, "--api", local_api, str(tree))
    assert scan(capsys, "--local", str(tree)) == through_api


def test_clean_files_exit_0_with_no_output(local_api, tree, capsys):
    for where in (["--api", local_api], ["--local"]):
        assert scan(capsys, *where, str(tree / "README.md")) == (0, "", "")


def test_json_format(local_api, tree, capsys, monkeypatch):
    monkeypatch.setenv(client.API_URL_ENV, local_api)  # instead of --api
    code, out, _ = scan(capsys, "--format", "json", str(tree))
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"findings", "skipped", "errors"}
    assert {f["path"] for f in report["findings"]} == {str(tree / "config" / "deploy.env")}
    assert all(set(f) == {"path", "line", "type", "hint"} for f in report["findings"])
    assert sorted(s["path"] for s in report["skipped"]) == [
        str(tree / "big.log"),
        str(tree / "config" / "logo.png"),
    ]
    assert report["errors"] == []


def test_rescanning_replays_the_same_jobs(local_api, tree, capsys, data_dir):
    scan(capsys, "--api", local_api, str(tree))
    jobs = set((data_dir / "jobs").glob("*-*.json"))
    assert scan(capsys, "--api", local_api, str(tree))[0] == 1
    assert set((data_dir / "jobs").glob("*-*.json")) == jobs  # Idempotency-Key per file content


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["README.md"], "say where to scan: --api URL"),
        (["--local", "no/such/file"], "no/such/file: no such file or directory"),
        (["--api", "ftp://example.com", "README.md"], "is not an http(s) URL"),
        (["--local", "--wait", "0", "README.md"], "--wait must be"),
    ],
)
def test_usage_errors_exit_2_with_a_message(args, message, capsys, monkeypatch):
    monkeypatch.delenv(client.API_URL_ENV, raising=False)
    monkeypatch.chdir(REPO)
    code, out, err = scan(capsys, *args)
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_api_and_local_together_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["scan", "--api", "http://127.0.0.1:1", "--local", "x"])
    assert exit_.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


# -- service errors, against a scripted server ------------------------------------------------
class Scripted:
    """An HTTP server answering each request with the next scripted (status, body, headers)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                owner.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers.items()),
                        "body": self.rfile.read(length) if length else b"",
                    }
                )
                status, body, headers = owner.answers.pop(0)
                data = json.dumps(body).encode()
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/staging"
        threading.Thread(target=self.httpd.serve_forever, kwargs=STOP_QUICKLY, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted():
    servers = []

    def start(*answers):
        servers.append(Scripted(answers))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


JOB = "0f0e0d0c-0b0a-4908-8706-050403020100"


def test_a_refused_request_exits_2_with_the_service_message(scripted, tree, capsys):
    missing_auth = {"message": "Missing authentication: sign the request with AWS SigV4"}
    server = scripted((403, missing_auth, {}))
    code, out, err = scan(capsys, "--api", server.url, str(tree / "README.md"))
    assert (code, out) == (2, "")
    assert "POST /jobs: 403 Missing authentication" in err


def test_throttled_submissions_are_retried_then_polled(scripted, tree, capsys):
    server = scripted(
        (429, {"message": "Too Many Requests"}, {"Retry-After": "0"}),
        (202, {"job_id": JOB, "status": "queued"}, {}),
        (200, {"job_id": JOB, "status": "running"}, {}),
        (200, {"job_id": JOB, "status": "done", "finding_count": 1}, {}),
        (
            200,
            {"job_id": JOB, "findings": [{"type": "AWS Access Key", "line": 3, "hint": "AK…"}]},
            {},
        ),
    )
    code, out, _ = scan(capsys, "--api", server.url, str(tree / "README.md"))
    assert code == 1
    assert out == f"{tree / 'README.md'}:3: AWS Access Key AK…\n"
    assert [(r["method"], r["path"]) for r in server.requests] == [
        ("POST", "/staging/jobs"),
        ("POST", "/staging/jobs"),
        ("GET", f"/staging/jobs/{JOB}"),
        ("GET", f"/staging/jobs/{JOB}"),
        ("GET", f"/staging/jobs/{JOB}/report"),
    ]
    first, retry = server.requests[:2]
    assert first["headers"]["Idempotency-Key"] == retry["headers"]["Idempotency-Key"]
    assert json.loads(first["body"]) == {"content": "# nothing to see\n", "name": "README.md"}


def test_a_failed_job_exits_2(scripted, tree, capsys):
    server = scripted(
        (202, {"job_id": JOB, "status": "failed"}, {}),
        (200, {"job_id": JOB, "status": "failed"}, {}),
    )
    code, _, err = scan(capsys, "--api", server.url, str(tree / "README.md"))
    assert code == 2
    assert f"error: {tree / 'README.md'}: the service could not scan it" in err


def test_an_unreachable_service_exits_2(tree, capsys):
    code, _, err = scan(capsys, "--api", "http://127.0.0.1:1", str(tree / "README.md"))
    assert code == 2 and "cannot reach http://127.0.0.1:1" in err


# -- SigV4 ------------------------------------------------------------------------------------
def test_only_api_gateway_endpoints_are_signed():
    assert client.Api("http://127.0.0.1:3000").signer is None
    assert client.Api("https://api.example.com/prod/").signer is None
    assert client.Api("https://a1b2c3.execute-api.eu-west-2.amazonaws.com/prod/").signer


def _signature_is_valid(request: dict, url: str) -> bool:
    """Check a received request's SigV4 signature as API Gateway would: recompute it from
    what arrived on the wire (method, URL, body and the headers it says it signed)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    authorization = request["headers"]["Authorization"]
    fields = dict(part.strip().split("=", 1) for part in authorization[17:].split(","))
    signed = fields["SignedHeaders"].split(";")
    headers = {k: v for k, v in request["headers"].items() if k.lower() in signed}
    wire = AWSRequest(method=request["method"], url=url, data=request["body"], headers=headers)
    wire.context["timestamp"] = request["headers"]["X-Amz-Date"]
    auth = SigV4Auth(Credentials("testing", "testing", "testing"), "execute-api", "eu-west-2")
    expected = auth.signature(auth.string_to_sign(wire, auth.canonical_request(wire)), wire)
    return authorization.startswith("AWS4-HMAC-SHA256 ") and fields["Signature"] == expected


def test_signed_requests_verify_as_sent_over_the_wire(scripted):
    """The fixtures' fake credentials (AWS_ACCESS_KEY_ID=testing) through the standard chain."""
    server = scripted((202, {"job_id": JOB, "status": "queued"}, {}))
    api = client.Api(server.url, signer=client.sigv4_signer("eu-west-2"))
    api.call("POST", "/jobs", {"content": "x"}, {"Idempotency-Key": "k"})
    (request,) = server.requests
    assert "/eu-west-2/execute-api/aws4_request" in request["headers"]["Authorization"]
    assert request["headers"]["X-Amz-Security-Token"] == "testing"
    assert _signature_is_valid(request, server.url + "/jobs")
    request["body"] = b'{"content": "y"}'  # a tampered body no longer matches
    assert not _signature_is_valid(request, server.url + "/jobs")


def test_no_credentials_is_a_usage_error(monkeypatch, tree, capsys):
    for var in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SECURITY_TOKEN",
        "AWS_SESSION_TOKEN",
    ):
        monkeypatch.delenv(var, raising=False)
    url = "https://a1b2c3.execute-api.eu-west-2.amazonaws.com/prod/"
    code, _, err = scan(capsys, "--api", url, str(tree / "README.md"))
    assert code == 2 and "no AWS credentials found" in err


# -- terminal and process ---------------------------------------------------------------------
class Terminal:
    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self):
        return self.tty

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_progress_is_shown_on_a_terminal_only():
    for tty, expected in ((True, "\rscanning 1/2\rscanning 2/2\r\033[K"), (False, "")):
        stream = Terminal(tty)
        progress = client.Progress(2, stream)
        progress.update(1)
        progress.update(2)
        progress.close()
        assert stream.text == expected


def test_the_client_process_imports_no_aws_sdk_or_scanner(local_api, tree):
    """A separate process, as a user runs it; unsigned API calls need neither boto3,
    botocore nor detect-secrets (the service scans), nor Powertools."""
    code = (
        "import sys; from security_assistant.__main__ import main; "
        f"rc = main(['scan', '--api', {local_api!r}, {str(tree / 'config')!r}]); "
        "heavy = ('boto3', 'botocore', 'detect_secrets', 'aws_lambda_powertools'); "
        "print(rc, sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.splitlines()[-1] == "1 []"
