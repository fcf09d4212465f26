"""`.pre-commit-hooks.yaml`: valid for pre-commit (its own manifest schema, documented keys
only), and its entry, given staged files as pre-commit passes them, fails on a leaked secret."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


@pytest.fixture(scope="module")
def hook() -> dict:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(MANIFEST))  # raises InvalidManifestError on a bad shape
    return hook


def test_only_documented_keys(hook):
    import yaml
    from pre_commit.clientlib import MANIFEST_HOOK_DICT

    documented = {item.key for item in MANIFEST_HOOK_DICT.items}
    (written,) = yaml.safe_load(MANIFEST.read_text())
    assert set(written) <= documented, set(written) - documented


def test_a_bad_manifest_is_refused(tmp_path):
    from pre_commit.clientlib import InvalidManifestError, load_manifest

    bad = tmp_path / ".pre-commit-hooks.yaml"
    bad.write_text(MANIFEST.read_text().replace("language: python", "language: cobol"))
    with pytest.raises(InvalidManifestError):
        load_manifest(str(bad))


def test_the_hook_scans_staged_text_files_offline(hook):
    assert hook["id"] == "security-assistant-scan"
    assert hook["language"] == "python" and hook["types"] == ["text"]
    assert hook["pass_filenames"] is True
    assert shlex.split(hook["entry"])[1:] == ["-m", "security_assistant", "scan", "--local"]
    assert any(d.startswith("detect-secrets==") for d in hook["additional_dependencies"])


def _run_entry(hook: dict, *files: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, *shlex.split(hook["entry"])[1:], *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_entry_fails_a_commit_with_a_secret_and_reports_only_the_leak(hook, tmp_path):
    leak = tmp_path / "settings.ini"
    leak.write_text(
        "[aws]\naws_secret_access_key = " + "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY\n"
    )
    clean = tmp_path / "notes.md"
    clean.write_text("nothing here\n")
    # One process, as pre-commit passes a commit's files: the leak fails it, and only the
    # leak is reported (a clean file alone: exit 0, no output, tests/lambdas/test_sa_client.py).
    failed = _run_entry(hook, leak, clean)
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout.startswith(f"{leak}:2: ")
    assert str(clean) not in failed.stdout + failed.stderr
