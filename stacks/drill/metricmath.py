"""The part of CloudWatch metric math the project's alarms use, over aligned series.

https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
A series is a list of per-period values, None where the period has no datapoint. Arithmetic
on a missing value is missing; FILL(m, v) replaces missing values with v; DIFF(m) is each
value minus the one before; RATE(m) is DIFF per second; MAX/MIN/SUM of an array of series
work per timestamp. The syntax is close enough to Python's to parse with `ast`.
"""

from __future__ import annotations

import ast
import functools
import operator
from collections.abc import Callable

Series = list[float | None]


class MetricMathError(ValueError):
    pass


_BINOPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


def evaluate(expression: str, series: dict[str, Series], period: int) -> Series:
    """The expression's series, given each id's series (all the same length)."""
    length = len(next(iter(series.values()), []))
    result = _eval(_parse(expression), series, period, length)
    return result if isinstance(result, list) else [result] * length


# A drill evaluates each alarm's few expressions thousands of times (every period of every
# scenario); the tree is only read, so one parse serves them all.
@functools.lru_cache(maxsize=256)
def _parse(expression: str) -> ast.expr:
    try:
        return ast.parse(expression, mode="eval").body
    except SyntaxError as exc:
        raise MetricMathError(f"cannot parse metric math {expression!r}") from exc


def _eval(node, series, period, length):
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in series:
            raise MetricMathError(f"metric math refers to unknown id {node.id!r}")
        return series[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _map(lambda a: -a, _eval(node.operand, series, period, length))
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        op = _BINOPS[type(node.op)]
        left = _eval(node.left, series, period, length)
        right = _eval(node.right, series, period, length)
        return _zip(op, left, right, length)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _call(node.func.id, node.args, series, period, length)
    raise MetricMathError(f"metric math construct not modelled: {ast.unparse(node)!r}")


def _call(name, args, series, period, length):
    if name == "FILL" and len(args) == 2:
        values = _as_series(_eval(args[0], series, period, length), length)
        fill = _eval(args[1], series, period, length)
        if not isinstance(fill, float):
            raise MetricMathError("FILL's second argument must be a number")
        return [fill if v is None else v for v in values]
    if name in ("DIFF", "RATE") and len(args) == 1:
        values = _as_series(_eval(args[0], series, period, length), length)
        out: Series = [None]
        for before, now in zip(values, values[1:], strict=False):
            out.append(None if before is None or now is None else now - before)
        return out if name == "DIFF" else _map(lambda d: d / period, out)
    if name in ("MAX", "MIN", "SUM") and len(args) == 1:
        pick = {"MAX": max, "MIN": min, "SUM": sum}[name]
        if isinstance(args[0], ast.List):  # an array of series: per timestamp
            members = [_as_series(_eval(a, series, period, length), length) for a in args[0].elts]
            return [
                pick(present) if (present := [m[i] for m in members if m[i] is not None]) else None
                for i in range(length)
            ]
        values = [
            v for v in _as_series(_eval(args[0], series, period, length), length) if v is not None
        ]
        return float(pick(values)) if values else None
    raise MetricMathError(f"metric math function not modelled: {name}")


def _as_series(value, length) -> Series:
    return value if isinstance(value, list) else [value] * length


def _map(fn, value):
    if isinstance(value, list):
        return [None if v is None else fn(v) for v in value]
    return None if value is None else fn(value)


def _zip(op, left, right, length):
    if not isinstance(left, list) and not isinstance(right, list):
        return _apply(op, left, right)
    a, b = _as_series(left, length), _as_series(right, length)
    return [_apply(op, x, y) for x, y in zip(a, b, strict=True)]


def _apply(op, x, y):
    if x is None or y is None:
        return None
    if op is operator.truediv and y == 0:
        return None  # CloudWatch drops a datapoint divided by zero
    return op(x, y)
