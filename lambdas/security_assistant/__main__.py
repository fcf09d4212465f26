"""``python -m security_assistant serve [--port 3000] [--data-dir DIR]``

Runs the jobs API on 127.0.0.1 with file-system storage and inline processing (no queue,
no Docker, no AWS): the local development mode of the design document.

``python -m security_assistant scan PATH... [--api URL | --local]``: the client (client.py).
"""

from __future__ import annotations

import argparse
import os
import sys

from .config import DEFAULT_DATA_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m security_assistant")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API locally on 127.0.0.1")
    serve.add_argument("--port", type=int, default=3000, help="port (default 3000)")
    serve.add_argument(
        "--data-dir",
        default=os.environ.get("DATA_DIR") or DEFAULT_DATA_DIR,
        help=f"where inputs, jobs and reports are stored (default {DEFAULT_DATA_DIR}/)",
    )
    scan = commands.add_parser(
        "scan",
        help="scan files for leaked secrets (through the API, or --local)",
        description="Scan files for leaked secrets. Exit 0: nothing found, 1: findings, "
        "2: usage or service error.",
    )
    from .client import add_arguments, run

    add_arguments(scan)
    args = parser.parse_args(argv)
    if args.command == "scan":
        return run(args)

    # Local mode: file-system storage, inline processing, whatever the shell had set.
    os.environ["STORAGE_MODE"] = "local"
    os.environ["DATA_DIR"] = os.path.abspath(args.data_dir)
    os.environ.pop("QUEUE_URL", None)
    os.environ.setdefault("ENV", "local")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")

    from .local_server import HOST, make_server

    server = make_server(args.port)
    print(
        f"security-assistant API on http://{HOST}:{server.server_address[1]} "
        f"(data in {os.environ['DATA_DIR']}); Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
