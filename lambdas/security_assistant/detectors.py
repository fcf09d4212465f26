"""detect-secrets plugins and filters for what its built-ins (1.5.0) miss or over-filter.

Loaded through detect-secrets' own extension points, as ``detect-secrets scan --plugin`` and a
baseline's ``filters_used`` do: plugins by ``plugins.initialize.from_file`` plus a
``path: file://...`` setting, filters as ``file://...::function``. So our plugins run under
every filter, like the built-in ones. A plugin that widens a built-in one subclasses it and
keeps its ``secret_type``: it replaces the built-in, and findings keep the type name reports
have always used.

This file is imported by path: no relative imports, and built-in plugin classes are reached
through their modules (a class imported by name here would be registered again, over ours).
"""

from __future__ import annotations

import re

from detect_secrets.filters import heuristic
from detect_secrets.plugins import (
    base,
    basic_auth,
    github_token,
    npm,
    openai,
)

# -- plugins -----------------------------------------------------------------------------------


class AuthorizationBasicDetector(base.RegexBasedDetector):
    """``Authorization: Basic <base64 of user:password>`` (HTTP headers, curl commands)."""

    secret_type = "Basic Auth Header"
    denylist = (
        re.compile(r"(?i)authorization[\"']?\s*[:=]\s*[\"']?basic\s+([A-Za-z0-9+/]{8,}={0,2})"),
    )


class UrlCredentialsDetector(basic_auth.BasicAuthDetector):
    """``scheme://user:password@host``, whatever the password holds (the built-in plugin
    refuses RFC 3986 sub-delimiters such as ``!``, common in real passwords)."""

    denylist = (re.compile(r"://[^\s:/?#@\"'{}]*:([^\s/?#@\"'{}]+)@[^\s@]"),)


class GitHubFineGrainedTokenDetector(github_token.GitHubTokenDetector):
    """Adds fine-grained personal access tokens (``github_pat_``) to the built-in plugin."""

    denylist = (
        *github_token.GitHubTokenDetector.denylist,
        re.compile(r"github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}"),
    )


class OpenAIProjectKeyDetector(openai.OpenAIDetector):
    """Adds project, service-account and admin keys (``sk-proj-``, ``sk-svcacct-``,
    ``sk-admin-``) to the built-in plugin, which knows only the legacy shape."""

    denylist = (
        *openai.OpenAIDetector.denylist,
        re.compile(r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}"),
    )


class NpmAccessTokenDetector(npm.NpmDetector):
    """Adds bare npm access tokens (``npm_`` + 36 characters, e.g. ``NPM_TOKEN=npm_...``) to
    the built-in plugin, which reads only ``.npmrc`` lines."""

    denylist = (
        *npm.NpmDetector.denylist,
        re.compile(r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"),
    )


class GoogleApiKeyDetector(base.RegexBasedDetector):
    """Google API keys (Maps, Firebase, Gemini, ...): ``AIza`` + 35 characters."""

    secret_type = "Google API Key"
    denylist = (re.compile(r"AIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),)


# -- filters -----------------------------------------------------------------------------------


def is_indirect_reference_for_guessing_plugin(secret: str, line: str, plugin=None) -> bool:  # type: ignore[no-untyped-def]
    """detect-secrets' ``is_indirect_reference`` (``password = get_password()``), applied as
    its sibling ``is_likely_id_string`` is: not to regex detectors. As a line filter it
    also hid exact token matches on lines such as ``client = WebClient(token="xoxb-...")``."""
    return (
        plugin is not None
        and not isinstance(plugin, base.RegexBasedDetector)
        # Its regex needs a `(` or `[`: skip it (a regex search per finding) on other lines.
        and ("(" in line or "[" in line)
        and heuristic.is_indirect_reference(line)
    )


_SRI = re.compile(r"sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}")


def is_subresource_integrity_hash(secret: str) -> bool:
    """``sha512-<base64>`` (lockfiles' ``integrity``, HTML ``integrity=``): a hash, not a key.
    detect-secrets skips known lockfiles by name instead, and with them any real secret."""
    return _SRI.fullmatch(secret) is not None
