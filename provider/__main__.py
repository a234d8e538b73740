"""The provider other Pulumi languages run: it hosts the airflow_aws components, and the CLI generates their SDKs
from the schema it infers (`pulumi package add https://github.com/<org>/airflow-aws@v<version>`; see PulumiPlugin.yaml)."""

from pulumi.provider.experimental import component_provider_host

from airflow_aws.package import NAME, components, version

if __name__ == "__main__":
    component_provider_host(components(), NAME, version=version())
