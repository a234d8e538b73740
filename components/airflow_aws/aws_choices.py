"""AWS names that components use and the program's settings validate, importable without pulumi_aws.

The settings load with every plan and every `Settings` check; taking these from the components
themselves would import their resource modules (and pulumi_aws's ec2 and s3 input types) first.
"""

# What MWAA reaches without internet (AWS docs `vpc-vpe-create-access`, ../shared/reference/mwaa.md).
INTERFACE_SERVICES = ("airflow.api", "airflow.env", "airflow.ops", "ecr.api", "ecr.dkr", "kms", "logs",
                      "monitoring", "sqs")
GATEWAY_SERVICES = ("s3",)
ENDPOINT_SERVICES = (*INTERFACE_SERVICES, *GATEWAY_SERVICES)

# AWS's recommended policy (Elastic Load Balancing docs, "Security policies for your Application
# Load Balancer", 2025-09): TLS 1.3 and 1.2 with hybrid post-quantum key exchange.
DEFAULT_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"
