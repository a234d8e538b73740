// The whole platform from TypeScript: its inputs are the settings of a stack file (docs/settings.md), checked the
// same way before anything is created. Generate the SDK first (it becomes @pulumi/airflow-aws):
//   pulumi package add https://github.com/<org>/airflow-aws@v0.1.0
// tests/test_provider_package.py constructs this component through the provider with exactly these inputs.
import * as path from "path";
import * as airflow from "@pulumi/airflow-aws";

// The provider runs the platform in a process of its own, which cannot see this folder: give folders absolute.
const platform = new airflow.AirflowPlatform("airflow", {
    environmentName: "isolated",
    network: {
        natGateways: "none",
    },
    endpoints: {
        enabled: true,
        allowedCidrs: [],
    },
    mwaa: {
        environmentClass: "mw1.medium",
        kmsKey: "create",
        sourceFolder: path.join(__dirname, "airflow"),
    },
    privateAccess: {
        enabled: false,
    },
});

export const webserverUrl = platform.webserverUrl;
export const endpointIds = platform.endpointIds;
