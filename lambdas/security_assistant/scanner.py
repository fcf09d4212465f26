"""Secret detection with detect-secrets (its plugins and filters, not our own regexes).

detect-secrets is imported lazily, on the first scan, so the API's cold start does not pay
for it. Findings carry the plugin's secret type, the 1-based line number and a redacted
hint; the secret value itself never leaves this module.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from typing import Any

HINT_SUFFIX = "…"
_SUFFIX_RE = re.compile(r"\.[A-Za-z0-9]{1,10}$")
# detect-secrets keeps its settings in module globals: one scan at a time per process.
_lock = threading.Lock()


def redact(secret: str | None) -> str:
    """At most 4 leading characters, and never more than a quarter of the secret."""
    if not secret:
        return HINT_SUFFIX
    shown = min(4, len(secret) // 4)
    return secret[:shown] + HINT_SUFFIX


def _suffix_for(name: str | None) -> str:
    # The file extension steers detect-secrets' file-type heuristics (YAML, .env, ...).
    if name:
        match = _SUFFIX_RE.search(name)
        if match:
            return match.group(0).lower()
    return ".txt"


def scan_text(text: str, name: str | None = None) -> list[dict[str, Any]]:
    """Scan ``text`` and return findings sorted by line: ``{"type", "line", "hint"}``."""
    from detect_secrets.core.scan import scan_file
    from detect_secrets.settings import default_settings

    findings: dict[tuple[str, int, str | None], dict[str, Any]] = {}
    # detect-secrets scans files: a private temp file (0600), removed right after the scan.
    fd, path = tempfile.mkstemp(prefix="scan-", suffix=_suffix_for(name))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        with _lock, default_settings():
            for secret in scan_file(path):
                key = (secret.type, secret.line_number, secret.secret_hash)
                if key not in findings:
                    findings[key] = {
                        "type": secret.type,
                        "line": secret.line_number,
                        "hint": redact(secret.secret_value),
                    }
    finally:
        os.unlink(path)
    return sorted(findings.values(), key=lambda f: (f["line"], f["type"]))


def scanner_version() -> str:
    from detect_secrets.__version__ import VERSION

    return f"detect-secrets {VERSION}"
