"""The detect-secrets wrapper: findings, line numbers and redaction."""

from __future__ import annotations

import pytest
from sa_events import PASSWORD, SECRET_CONTENT, SECRET_VALUES
from security_assistant.scanner import redact, scan_text


def test_findings_have_type_line_and_hint_only():
    findings = scan_text(SECRET_CONTENT, "deploy.env")
    assert findings == [
        {"type": "AWS Access Key", "line": 2, "hint": "AKIA…"},
        {"type": "Secret Keyword", "line": 4, "hint": "Tr0u…"},
        {"type": "Private Key", "line": 5, "hint": "BEGI…"},
    ]
    text = repr(findings)
    assert all(secret not in text for secret in SECRET_VALUES)


def test_clean_text_has_no_findings():
    assert scan_text("hello\nworld\n") == []


def test_name_steers_file_type_heuristics():
    yaml_text = "db:\n  password: Sup3rS3cretP4ssw0rd\n"
    assert [f["line"] for f in scan_text(yaml_text, "config.yaml")] == [2]


@pytest.mark.parametrize(
    ("secret", "hint"),
    [("", "…"), (None, "…"), ("abc", "…"), ("hunter22", "hu…"), (PASSWORD, "Tr0u…")],
)
def test_redact_shows_at_most_a_quarter(secret, hint):
    assert redact(secret) == hint


def test_temp_files_are_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    scan_text(SECRET_CONTENT)
    assert list(tmp_path.iterdir()) == []
