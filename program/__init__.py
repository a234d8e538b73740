"""The stack program: reads a stack's settings, composes the airflow_aws components, exports outputs.

settings/    configuration -> validated StackSettings (the only place config is read)
network.py   the network a stack runs in: created by VpcNetwork or adopted after lookups
platform.py  AirflowPlatform: Settings -> components -> stack outputs, as one component
offline.py   the SDK's mock engine with fake AWS answers (plan, tests, benchmarks)
plan.py      `python -m program.plan STACK`: what `pulumi up` would create, offline
"""
