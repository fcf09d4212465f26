"""Policy as code: the project's cfn-lint rules and `python -m stacks lint`."""
