"""The leak corpus: recall per kind of leak, false positives, and the corpus' provenance."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import pytest
from sa_dev_resources import REPO
from security_assistant import scanner

CORPUS = REPO / "tests" / "lambdas" / "corpus"
# Every kind of leak issue 10 lists must be in the corpus.
REQUIRED_KINDS = {
    "aws-credentials-file",
    "aws-env",
    "aws-log-line",
    "aws-json",
    "private-key-rsa",
    "private-key-ec",
    "private-key-openssh",
    "github-token",
    "github-fine-grained-pat",
    "gitlab-token",
    "slack-token",
    "slack-webhook",
    "stripe-key",
    "npm-token",
    "sendgrid-key",
    "twilio-key",
    "google-api-key",
    "openai-key",
    "jwt-header",
    "jwt-config",
    "basic-auth-header",
    "password-url",
    "password-yaml",
    "password-ini",
    "password-json",
    "password-env",
    "kubernetes-secret",
    "azure-connection-string",
}


def _tool(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


CORPUS_FILES = sorted((CORPUS / "leaks").iterdir()) + sorted((CORPUS / "benign").iterdir())


@pytest.fixture(scope="module")
def figures():
    return _tool("scan_recall").measure(CORPUS)


@pytest.fixture(scope="module")
def findings():
    """Every corpus file's findings, scanned once for the tests below."""
    return {path: scanner.scan_text(path.read_text(), path.name) for path in CORPUS_FILES}


def test_committed_corpus_is_the_generators_output(tmp_path):
    _tool("make_leak_corpus").build(tmp_path)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(CORPUS) for p in CORPUS.rglob("*") if p.is_file())
    assert generated == committed
    for path in generated:
        assert (tmp_path / path).read_bytes() == (CORPUS / path).read_bytes(), path


def test_corpus_covers_every_kind_the_issue_lists():
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    kinds = {secret["kind"] for secrets in manifest.values() for secret in secrets}
    assert kinds >= REQUIRED_KINDS


def test_recall_is_100_percent_for_every_kind(figures):
    assert figures.missed == []
    assert all(figures.found[kind] == figures.total[kind] for kind in figures.total)


def test_false_positives_within_budget(figures):
    # Budget 0: every benign file is a look-alike we know (hashes, ids, images, bundles).
    budget = _tool("scan_recall").FALSE_POSITIVE_BUDGET
    assert figures.false_positive_count <= budget, figures.false_positives


def test_recall_tool_fails_when_a_secret_is_missed(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    _tool("make_leak_corpus").build(corpus)
    manifest = json.loads((corpus / "manifest.json").read_text())
    manifest["aws.env"].append({"line": 4, "kind": "aws-env"})  # a region, not a secret
    (corpus / "manifest.json").write_text(json.dumps(manifest))
    assert _tool("scan_recall").main(["--corpus", str(corpus)]) == 1
    assert "missed: leaks/aws.env:4 (aws-env)" in capsys.readouterr().out
    assert _tool("scan_recall").main(["--corpus", str(tmp_path / "none")]) == 2


def test_gating_lines_loses_nothing(monkeypatch, findings):
    """The line gate only skips work: with every plugin on every line, same findings."""
    monkeypatch.setattr(scanner, "_gate", lambda plugin: None)
    monkeypatch.setattr(scanner, "_engine", None)  # gates made again, by the lambda
    assert {p: scanner.scan_text(p.read_text(), p.name) for p in CORPUS_FILES} == findings


def test_no_report_holds_more_than_four_characters_of_a_secret(findings):
    for path in sorted((CORPUS / "leaks").iterdir()):
        assert findings[path]
        for finding in findings[path]:
            assert re.fullmatch(r".{0,4}…", finding["hint"]), finding


PRAGMAS = (
    'db_password = "Zr8qLw2vXk"  # pragma: allowlist secret\n'
    "# pragma: allowlist nextline secret\n"
    'api_key = "Pq7sTn4wYb"\n'
    'password = "Hm3xRv9cJd"\n'
)


def test_our_dispatch_finds_what_detect_secrets_finds():
    """Gates, filters resolved once and their shortcuts only save work: on every pass over
    every corpus file, the same secrets as detect-secrets' own line loop."""
    from detect_secrets.core.scan import _process_line_based_plugins

    inputs = [(p.name, p.read_text()) for p in sorted((CORPUS / "leaks").iterdir())]
    inputs += [(p.name, p.read_text()) for p in sorted((CORPUS / "benign").iterdir())]
    inputs.append(("pragmas.py", PRAGMAS))

    def found(secrets):
        return sorted((s.type, s.line_number, s.secret_value) for s in secrets)

    compared = 0
    with scanner._settings():  # theirs read the settings; ours were made under them
        for name, text in inputs:
            filename = scanner._filename(name)
            for lines in scanner._passes(text, filename):
                ours = sorted(scanner._scan_lines(lines, filename, None))
                theirs = found(_process_line_based_plugins(list(enumerate(lines, 1)), filename))
                assert ours == theirs, name
                compared += len(theirs)
    assert compared > 50
    assert [f["line"] for f in scanner.scan_text(PRAGMAS, "pragmas.py")] == [4]


# Every way detect-secrets' assignment regexes (RegexBasedDetector.build_assignment_regex) let
# a value follow its key: =, :, :=, =>, :: or spaces, then optional spaces and a quote.
ASSIGNMENTS = [
    (op + space + quote, quote)
    for op in ("=", ":", ":=", "=>", "::", " ")
    for space in ("", "  ")
    for quote in ("", '"', "'")
]


def test_assigned_values_reach_their_plugins_in_every_assignment_form():
    """The gates of assignment regexes look for a value only where one can start (after the
    assignment, a space or a quote): in every form, the same secrets as detect-secrets."""
    from detect_secrets.core.scan import _process_line_based_plugins

    values = {
        "ibm_cloud_iam_api_key": "Ab3_" + "c7-Xk" * 8,  # 44 characters
        "cloudant_password": "0123456789abcdef" * 4,  # 64 hexadecimal characters
        "ibm_cos_hmac_secret_access_key": "0a1b2c3d" * 6,  # 48
    }
    lines = [
        f"{key}{assignment}{value}{quote}"
        for key, value in values.items()
        for assignment, quote in ASSIGNMENTS
    ]
    with scanner._settings():
        ours = sorted(scanner._scan_lines(lines, "input.txt", None))
        theirs = sorted(
            (s.type, s.line_number, s.secret_value)
            for s in _process_line_based_plugins(list(enumerate(lines, 1)), "input.txt")
        )
    assert ours == theirs
    assert len({number for _, number, _ in theirs}) == len(lines)  # a secret on every line
