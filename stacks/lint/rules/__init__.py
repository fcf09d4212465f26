"""The project's own cfn-lint rules, one per file (ids E9001-E9099).

cfn-lint loads them through `stacks/lint/plugin` (`append_rules` in `.cfnlintrc`);
`python -m stacks lint` runs them with cfn-lint's own rules on the SAM form and on the form
expanded offline by the SAM translator. Rules about resources that exist only after the
transform are silent on the SAM form, and rules about `AWS::Serverless::*` properties are
silent on the expanded form.

What rules share, by concern, in modules whose names start with "_" (cfn-lint's loader skips
them): `_refs` (references, properties, resources as cfn-lint's Template lists them),
`_environment` (which environment's policy applies: the rules' `env` setting),
`_keywords` (base of the keyword rules: one resource's properties as a JSON schema),
`_alarms` (what an alarm measures) and `_deployments` (deployment preferences and groups).
"""
