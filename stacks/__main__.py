"""`python -m stacks`: see stacks/cli.py."""

import sys

from stacks.errors import ConfigError

try:
    from stacks.cli import main
except ConfigError as exc:  # stacks/config.py validates every environment as it loads
    print(f"error: {exc}\nfix it in stacks/config.py", file=sys.stderr)
    sys.exit(2)

sys.exit(main())
