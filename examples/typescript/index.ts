// MWAA in a network of its own, from TypeScript. Generate the SDK first (it becomes @pulumi/airflow-aws):
//   pulumi package add https://github.com/<org>/airflow-aws@v0.1.0
// tests/test_provider_package.py constructs these components through the provider with exactly these inputs.
import * as airflow from "@pulumi/airflow-aws";

const network = new airflow.VpcNetwork("network", {
    cidr: "10.20.0.0/16",
    privateSubnetCidrs: ["10.20.0.0/18", "10.20.64.0/18"],
    publicSubnetCidrs: ["10.20.128.0/18", "10.20.192.0/18"],
    natGateways: "single",
});

const environment = new airflow.MwaaEnvironment("airflow", {
    environmentName: "analytics",
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    startAfter: network.readyIds,
    environmentClass: "mw1.medium",
    maxWorkers: 10,
    createKmsKey: true,
});

export const webserverUrl = environment.webserverUrl;
