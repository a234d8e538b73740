"""The plan's second gate: every registered resource checked against what the AWS API accepts.

Settings are checked first (airflow_aws.settings); this checks what the components made of them, the
way AWS will see it at deploy time: botocore's service model (shapes.py), documented limits the model
does not carry (limits.py), and inputs that are literal API payloads (payloads.py).
"""
