"""`python -m stacks drill`: the rollback drill.

Reads a generated SAM template (`model`), plays failure scenarios (`scenarios`) on a simulated
clock against its alarms, deployment preferences and queue (`simulation`), with CloudWatch's and
CodeDeploy's documented timing (`timing`, also used by lint rule E9030) and metric math
(`metricmath`), and says whether each bad release is rolled back within the RTO and each good
one promoted.
"""
