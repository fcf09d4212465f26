"""Generate the scanner's leak corpus: realistic files with fake, format-valid secrets.

    python tools/make_leak_corpus.py [--out tests/lambdas/corpus]

Writes ``leaks/*`` (files that leak), ``benign/*`` (look-alikes that must stay quiet) and
``manifest.json``: for every leak file, each line holding a secret and its kind. Every value
comes from a seeded RNG, so the output is byte-identical on every run (the committed corpus is
this script's output; ``tests/lambdas/test_sa_corpus.py`` checks that). No value is real: they
only have the shape (prefix, length, alphabet, checksum-free) of the real thing.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import string
import sys
import uuid
from pathlib import Path

SEED = 20260110
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "tests" / "lambdas" / "corpus"
SECRET = "\x00"  # marks a line holding a secret while files are assembled; never written

ALNUM = string.ascii_letters + string.digits
UPPER32 = string.ascii_uppercase + "234567"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "-_"
HEX = "0123456789abcdef"


class Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def b64(self, n_bytes: int, urlsafe: bool = False) -> str:
        raw = self.rng.randbytes(n_bytes)
        encoded = base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)
        return encoded.decode()

    def jwt(self) -> str:
        def part(obj: dict) -> str:
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

        header = part({"alg": "HS256", "typ": "JWT"})
        payload = part(
            {"sub": f"user-{self.rng.randint(1000, 9999)}", "iat": 1767225600, "role": "admin"}
        )
        return f"{header}.{payload}.{self.b64(32, urlsafe=True).rstrip('=')}"

    def password(self, n: int = 16, symbols: str = "!#%*") -> str:
        # Mixed case, digits and a symbol: what a password policy asks for.
        body = self.chars(ALNUM, n - 2)
        return (
            body[: n // 2]
            + self.rng.choice(symbols)
            + self.rng.choice(string.digits)
            + body[n // 2 :]
        )

    def pem(self, label: str, n_bytes: int) -> list[str]:
        body = self.b64(n_bytes)
        lines = [f"-----BEGIN {label}-----" + SECRET]
        lines += [body[i : i + 64] for i in range(0, len(body), 64)]
        lines.append(f"-----END {label}-----")
        return lines

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def sha1(self) -> str:
        return hashlib.sha1(self.rng.randbytes(20)).hexdigest()


def leak_files(g: Gen) -> dict[str, tuple[str, list[str]]]:
    """name -> (kind, lines). A line holding a secret ends with SECRET, optionally followed
    by its own kind (else the file's)."""
    s = SECRET
    aws_id, aws_secret = "AKIA" + g.chars(UPPER32, 16), g.chars(B64, 40)
    files: dict[str, tuple[str, list[str]]] = {}

    def add(name: str, kind: str, lines: list[str]) -> None:
        files[name] = (kind, lines)

    add(
        "aws_credentials",
        "aws-credentials-file",
        [
            "[default]",
            f"aws_access_key_id = {aws_id}" + s,
            f"aws_secret_access_key = {aws_secret}" + s,
            "region = eu-west-2",
            "",
            "[deploy]",
            f"aws_access_key_id = AKIA{g.chars(UPPER32, 16)}" + s,
            f"aws_secret_access_key = {g.chars(B64, 40)}" + s,
        ],
    )
    add(
        "aws.env",
        "aws-env",
        [
            "# copied from the CI settings page",
            f"AWS_ACCESS_KEY_ID={'AKIA' + g.chars(UPPER32, 16)}" + s,
            f"AWS_SECRET_ACCESS_KEY={g.chars(B64, 40)}" + s,
            "AWS_DEFAULT_REGION=eu-west-2",
        ],
    )
    add(
        "app.log",
        "aws-log-line",
        [
            "2026-01-10T09:12:01Z INFO starting worker pid=4121",
            "2026-01-10T09:12:02Z DEBUG boto config "
            f"{{'aws_access_key_id': '{'AKIA' + g.chars(UPPER32, 16)}', "
            f"'aws_secret_access_key': '{g.chars(B64, 40)}'}}" + s,
            "2026-01-10T09:12:03Z INFO connected to s3",
        ],
    )
    add(
        "aws_config.json",
        "aws-json",
        [
            "{",
            '  "region": "eu-west-2",',
            f'  "accessKeyId": "{"AKIA" + g.chars(UPPER32, 16)}",' + s,
            f'  "secretAccessKey": "{g.chars(B64, 40)}"' + s,
            "}",
        ],
    )
    add("id_rsa", "private-key-rsa", g.pem("RSA PRIVATE KEY", 600))
    add("ec_key.pem", "private-key-ec", g.pem("EC PRIVATE KEY", 120))
    add("id_ed25519", "private-key-openssh", g.pem("OPENSSH PRIVATE KEY", 300))
    add(
        "gh.sh",
        "github-token",
        [
            "#!/bin/sh",
            f"export GITHUB_TOKEN=ghp_{g.chars(ALNUM, 36)}" + s,
            'curl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com/user',
        ],
    )
    add(
        "gh_fine_grained.txt",
        "github-fine-grained-pat",
        [
            "New fine-grained token for the release bot:",
            f"github_pat_{g.chars(ALNUM, 22)}_{g.chars(ALNUM, 59)}" + s,
        ],
    )
    add(
        "gitlab-ci.yml",
        "gitlab-token",
        [
            "variables:",
            f"  GITLAB_API_TOKEN: glpat-{g.chars(URLSAFE, 20)}" + s,
            "build:",
            "  script: make",
        ],
    )
    add(
        "slack_bot.py",
        "slack-token",
        [
            "from slack_sdk import WebClient",
            f'client = WebClient(token="xoxb-{g.rng.randint(10**11, 10**12)}-'
            f'{g.rng.randint(10**12, 10**13)}-{g.chars(ALNUM, 24)}")' + s,
        ],
    )
    add(
        "alerts.json",
        "slack-webhook",
        [
            "{",
            '  "channel": "#alerts",',
            f'  "webhook": "https://hooks.slack.com/services/T{g.chars(UPPER32, 8)}/'
            f'B{g.chars(UPPER32, 10)}/{g.chars(ALNUM, 24)}"' + s,
            "}",
        ],
    )
    add(
        "billing.rb",
        "stripe-key",
        [
            "require 'stripe'",
            f"Stripe.api_key = 'sk_live_{g.chars(ALNUM, 24)}'" + s,
        ],
    )
    add(
        ".npmrc",
        "npm-token",
        [
            "registry=https://registry.npmjs.org/",
            f"//registry.npmjs.org/:_authToken=npm_{g.chars(ALNUM, 36)}" + s,
        ],
    )
    add(
        "publish.env",
        "npm-token",
        [
            f"NPM_TOKEN=npm_{g.chars(ALNUM, 36)}" + s,
        ],
    )
    add(
        "mailer.js",
        "sendgrid-key",
        [
            "const sgMail = require('@sendgrid/mail');",
            f"sgMail.setApiKey('SG.{g.chars(URLSAFE, 22)}.{g.chars(URLSAFE, 43)}');" + s,
        ],
    )
    add(
        "twilio.properties",
        "twilio-key",
        [
            f"twilio.account.sid=AC{g.chars(HEX, 32)}" + s,
            f"twilio.api.key=SK{g.chars(HEX, 32)}" + s,
        ],
    )
    add(
        "maps.html",
        "google-api-key",
        [
            "<script async",
            f'  src="https://maps.googleapis.com/maps/api/js?key=AIza{g.chars(URLSAFE, 35)}">' + s,
            "</script>",
        ],
    )
    add(
        "openai.env",
        "openai-key",
        [
            f"OPENAI_API_KEY=sk-proj-{g.chars(URLSAFE, 74)}T3BlbkFJ{g.chars(URLSAFE, 74)}" + s,
            f"LEGACY_OPENAI_KEY=sk-{g.chars(ALNUM, 20)}T3BlbkFJ{g.chars(ALNUM, 20)}" + s,
            f"OPENAI_SVC_KEY=sk-svcacct-{g.chars(URLSAFE, 64)}" + s,
        ],
    )
    add(
        "request.http",
        "jwt-header",
        [
            "GET /v1/orders HTTP/1.1",
            "Host: api.example.com",
            f"Authorization: Bearer {g.jwt()}" + s,
        ],
    )
    add(
        "auth.yaml",
        "jwt-config",
        [
            "auth:",
            "  issuer: https://auth.example.com",
            f"  service_token: {g.jwt()}" + s,
        ],
    )
    user_pass = base64.b64encode(f"deploy:{g.password()}".encode()).decode()
    add(
        "curl.txt",
        "basic-auth-header",
        [
            "curl https://ci.example.com/api/json \\",
            f"  -H 'Authorization: Basic {user_pass}'" + s,
        ],
    )
    add(
        "database.env",
        "password-url",
        [
            f"DATABASE_URL=postgres://app:{g.password(symbols='!')}@db.internal:5432/app" + s,
            f"REDIS_URL=redis://:{g.password(symbols='!')}@cache.internal:6379/0" + s,
            f"MONGO_URL=mongodb+srv://svc:{g.password()}@cluster0.example.net/prod" + s,
        ],
    )
    add(
        "config.yaml",
        "password-yaml",
        [
            "database:",
            "  host: db.internal",
            f"  password: {g.password()}" + s,
            "smtp:",
            f'  password: "{g.password()}"' + s,
        ],
    )
    add(
        "settings.ini",
        "password-ini",
        [
            "[database]",
            "host = db.internal",
            f"password = {g.password()}" + s,
            "",
            "[mail]",
            f"smtp_password = {g.password()}" + s,
        ],
    )
    add(
        "settings.json",
        "password-json",
        [
            "{",
            '  "db": {',
            '    "user": "app",',
            f'    "password": "{g.password()}"' + s,
            "  }",
            "}",
        ],
    )
    add(
        "prod.env",
        "password-env",
        [
            "APP_ENV=production",
            f'DB_PASSWORD="{g.password()}"' + s,
            f"DB_PASSWORD_REPLICA={g.password()}" + s,
            f"ADMIN_PASSWORD='{g.password()}'" + s,
        ],
    )
    add(
        "signing.env",
        "hex-signing-key",
        [
            f"SIGNING_KEY={g.chars(HEX, 40)}" + s,
        ],
    )
    k8s_value = base64.b64encode(g.password(20).encode()).decode()
    k8s_token = base64.b64encode(g.chars(ALNUM, 32).encode()).decode()
    add(
        "k8s-secret.yaml",
        "kubernetes-secret",
        [
            "apiVersion: v1",
            "kind: Secret",
            "metadata:",
            "  name: app-credentials",
            "type: Opaque",
            "data:",
            f"  password: {k8s_value}" + s,
            f"  api-token: {k8s_token}" + s,
        ],
    )
    add(
        "azure.config",
        "azure-connection-string",
        [
            "<connectionStrings>",
            '  <add name="Storage" connectionString="DefaultEndpointsProtocol=https;'
            f'AccountName=prodassets;AccountKey={g.b64(64)};EndpointSuffix=core.windows.net" />'
            + s,
            "</connectionStrings>",
        ],
    )
    # The report: the usual ~/.aws/credentials leak plus many more in one file.
    mixed = [
        "# everything from the old wiki page",
        f"aws_access_key_id = AKIA{g.chars(UPPER32, 16)}" + s + "aws-credentials-file",
        f"aws_secret_access_key = {g.chars(B64, 40)}" + s + "aws-credentials-file",
        f"GITHUB_TOKEN=github_pat_{g.chars(ALNUM, 22)}_{g.chars(ALNUM, 59)}"
        + s
        + "github-fine-grained-pat",
        f"GOOGLE_API_KEY=AIza{g.chars(URLSAFE, 35)}" + s + "google-api-key",
        f"OPENAI_API_KEY=sk-proj-{g.chars(URLSAFE, 74)}T3BlbkFJ{g.chars(URLSAFE, 74)}"
        + s
        + "openai-key",
        f"DB_PASSWORD={g.password()}" + s + "password-env",
        f"SIGNING_KEY={g.chars(HEX, 40)}" + s + "hex-signing-key",
        f"DATABASE_URL=mysql://root:{g.password(symbols='!')}@10.0.0.12/app" + s + "password-url",
        f"Authorization: Basic {base64.b64encode(f'admin:{g.password()}'.encode()).decode()}"
        + s
        + "basic-auth-header",
    ]
    add("everything.txt", "", mixed)
    return files


def benign_files(g: Gen) -> dict[str, list[str]]:
    git_log = []
    for i in range(40):
        git_log.append(f"commit {g.sha1()}")
        git_log.append(f"Merge: {g.sha1()[:7]} {g.sha1()[:7]}")
        git_log.append("Author: Dev <dev@example.com>")
        git_log.append(f"    fix #{100 + i}: tidy imports")
    uuids = ["["] + [f'  {{"id": "{g.uuid()}", "parent": "{g.uuid()}"}},' for _ in range(60)]
    uuids.append(f'  {{"id": "{g.uuid()}"}}')
    uuids.append("]")
    lock = ["{", '  "name": "web",', '  "lockfileVersion": 3,', '  "packages": {']
    for i, pkg in enumerate(("react", "react-dom", "lodash", "chalk", "zod", "vite", "esbuild")):
        lock += [
            f'    "node_modules/{pkg}": {{',
            f'      "version": "{i + 1}.{i * 3}.{i}",',
            f'      "resolved": "https://registry.npmjs.org/{pkg}/-/{pkg}-{i + 1}.0.0.tgz",',
            f'      "integrity": "sha512-{g.b64(64)}",',
            "    },",
        ]
    lock += ["  }", "}"]
    poetry = []
    for pkg in ("boto3", "requests", "urllib3", "idna", "certifi"):
        poetry += [
            "[[package]]",
            f'name = "{pkg}"',
            'version = "1.0.0"',
            "files = [",
            f'    {{file = "{pkg}-1.0.0-py3-none-any.whl", hash = "sha256:{g.chars(HEX, 64)}"}},',
            f'    {{file = "{pkg}-1.0.0.tar.gz", hash = "sha256:{g.chars(HEX, 64)}"}},',
            "]",
            "",
        ]
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + g.rng.randbytes(3000)).decode()
    css = [".logo {", f"  background-image: url('data:image/png;base64,{png}');", "}"]
    html = [
        "<html><body>",
        f'<img alt="chart" src="data:image/png;base64,{png[::-1]}">',
        "</body></html>",
    ]
    names = [g.chars(string.ascii_lowercase, 1) for _ in range(400)]
    minified = [
        "!function(e,t){"
        + ";".join(f"var {n}{i}=function(a,b){{return a.{n}(b)||{i}}}" for i, n in enumerate(names))
        + '}(window,"'
        + g.chars(string.ascii_lowercase, 12)
        + '");'
    ]
    return {
        "git_log.txt": git_log,
        "ids.json": uuids,
        "package-lock.json": lock,
        "poetry.lock": poetry,
        "logo.css": css,
        "chart.html": html,
        "bundle.min.js": minified,
    }


def build(out: Path) -> None:
    g = Gen(SEED)
    manifest: dict[str, list[dict]] = {}
    (out / "leaks").mkdir(parents=True, exist_ok=True)
    (out / "benign").mkdir(parents=True, exist_ok=True)
    for name, (kind, lines) in leak_files(g).items():
        texts, secrets = [], []
        for number, line in enumerate(lines, 1):
            text, marked, own_kind = line.partition(SECRET)
            texts.append(text)
            if marked:
                secrets.append({"line": number, "kind": own_kind or kind})
        manifest[name] = secrets
        text = "\n".join(texts) + "\n"
        (out / "leaks" / name).write_text(text, encoding="utf-8")
    for name, lines in benign_files(g).items():
        (out / "benign" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="corpus directory")
    args = parser.parse_args(argv)
    build(args.out)
    print(f"corpus written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
