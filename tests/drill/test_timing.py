"""CodeDeploy's traffic shifting and CloudWatch's alarm evaluation as the drill models them."""

import pytest

from stacks.drill import metricmath, timing


def test_canary_shifts_its_share_then_everything():
    assert timing.traffic_share("Canary10Percent5Minutes", -1) == 0
    assert timing.traffic_share("Canary10Percent5Minutes", 0) == 0.1
    assert timing.traffic_share("Canary10Percent5Minutes", 299) == 0.1
    assert timing.traffic_share("Canary10Percent5Minutes", 300) == 1
    assert timing.shifting_seconds("Canary10Percent5Minutes") == 300


def test_linear_adds_a_step_per_interval():
    assert timing.traffic_share("Linear10PercentEvery1Minute", 0) == 0.1
    assert timing.traffic_share("Linear10PercentEvery1Minute", 125) == pytest.approx(0.3)
    assert timing.shifting_seconds("Linear10PercentEvery1Minute") == 540
    assert timing.shifting_seconds("CodeDeployDefault.LambdaAllAtOnce") == 0


def test_unknown_deployment_type():
    with pytest.raises(timing.UnknownDeploymentType):
        timing.traffic_share("Canary50PercentSometimes", 0)


def test_detection_is_period_plus_metric_delay_in_the_worst_case():
    # A fault at the start of a period waits for the whole period and the metric delay.
    assert timing.worst_detection_seconds(60, 1, 1) == 60 + timing.METRIC_DELAY_SECONDS
    assert timing.worst_detection_seconds(60, 3, 2) == 120 + timing.METRIC_DELAY_SECONDS
    assert timing.worst_detection_seconds(300, 1, 1) == 300 + timing.METRIC_DELAY_SECONDS


@pytest.mark.parametrize(
    "treat, values, expected",
    [
        ("notBreaching", [None, None], "OK"),
        ("breaching", [None, None], "ALARM"),
        ("ignore", [None, None], "previous"),
        ("missing", [None, None], "INSUFFICIENT_DATA"),
        ("notBreaching", [None, 20.0], "ALARM"),
        ("notBreaching", [1.0, 2.0], "OK"),
    ],
)
def test_missing_data(treat, values, expected):
    state = timing.alarm_state(
        values,
        threshold=10,
        comparison="GreaterThanThreshold",
        datapoints=1,
        treat_missing=treat,
        previous="previous",
    )
    assert state == expected


def test_metric_math_rates_and_differences():
    series = {"e": [None, 1.0, 3.0], "n": [10.0, 10.0, 0.0], "v": [None, 5.0, 5.0]}
    assert metricmath.evaluate("100 * FILL(e, 0) / n", series, 60) == [0.0, 10.0, None]
    assert metricmath.evaluate("MAX([FILL(e, 0), n])", series, 60) == [10.0, 10.0, 3.0]
    assert metricmath.evaluate("DIFF(FILL(v, 0))", series, 60) == [None, 5.0, 0.0]
    assert metricmath.evaluate("DIFF(v)", series, 60) == [None, None, 0.0]
    assert metricmath.evaluate("RATE(FILL(v, 0))", series, 60) == [None, 5 / 60, 0.0]
    with pytest.raises(metricmath.MetricMathError):
        metricmath.evaluate("ANOMALY_DETECTION_BAND(e)", series, 60)
