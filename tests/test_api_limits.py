"""Documented limits botocore does not carry: the stacks' values pass, and each value past a limit is refused."""

import copy
import json
from typing import Any, Callable

import pytest

from program.api_model.limits import LIMITS, schedule
from tests.harness import plan_stack


@pytest.fixture(scope="module")
def fargate_plan():
    return plan_stack("sandbox", {"platform": "fargate"})


def refused(registration, change: Callable[[dict], Any]) -> dict[str, str]:
    """Apply one change to a registration's inputs and run its type's limits: path -> what is wrong there."""
    checks = LIMITS[registration.type]
    assert [p for check in checks for p in check(registration.inputs)] == []
    inputs = copy.deepcopy(registration.inputs)
    change(inputs)
    result: dict[str, str] = {}
    for problem in (p for check in checks for p in check(inputs)):
        result[problem.path] = f"{result.get(problem.path, '')} | {problem.constraint}"
    return result


def of(plan, type_token: str, name: str):
    return next(r for r in plan.of_type(type_token) if r.name == name)


def containers(change: Callable[[list], Any]) -> Callable[[dict], None]:
    """A change to a task definition's container definitions (a JSON string input)."""
    def apply(inputs: dict) -> None:
        value = json.loads(inputs["containerDefinitions"])
        change(value)
        inputs["containerDefinitions"] = json.dumps(value)
    return apply


FARGATE_BREAKS = {
    "cpu not a Fargate size": (lambda i: i.update(cpu="1000"), "cpu", "Fargate takes a task cpu of 256"),
    "memory not paired with the cpu": (lambda i: i.update(memory="1024"), "memory", "with cpu 1024 Fargate takes 2048 to 8192"),
    "memory past the pair's step": (lambda i: i.update(cpu="8192", memory="20000"), "memory", "in steps of 4096"),
    "network mode": (lambda i: i.update(networkMode="bridge"), "networkMode", "awsvpc"),
    "container cpu above the task's": (containers(lambda c: [x.update(cpu=768) for x in c]), "containerDefinitions",
                                       "cpu adds up to more than the task's 1024"),
    "container memory above the task's": (containers(lambda c: c[0].update(memory=2048) or c[1].update(memoryReservation=64)),
                                          "containerDefinitions", "memory adds up to more than the task's 2048"),
    "host port": (containers(lambda c: c[0].update(portMappings=[{"containerPort": 8974, "hostPort": 80}])),
                  "containerDefinitions[0].portMappings[0].hostPort", "must equal containerPort"),
    "log driver": (containers(lambda c: c[0]["logConfiguration"].update(logDriver="json-file")),
                   "containerDefinitions[0].logConfiguration.logDriver", "Fargate supports the log drivers"),
    "stream prefix": (containers(lambda c: c[1]["logConfiguration"]["options"].pop("awslogs-stream-prefix")),
                      "containerDefinitions[1].logConfiguration.options['awslogs-stream-prefix']", "required"),
    "links": (containers(lambda c: c[0].update(links=["cloudwatch-agent"])), "containerDefinitions[0].links",
              "not supported on Fargate"),
    "privileged": (containers(lambda c: c[0].update(privileged=True)), "containerDefinitions[0].privileged",
                   "not supported on Fargate"),
    "size": (containers(lambda c: c[0].update(command=["echo", "x" * 64 * 1024])), "containerDefinitions",
             "at most 64 KiB"),
}


@pytest.mark.parametrize("change,path,constraint", FARGATE_BREAKS.values(), ids=FARGATE_BREAKS.keys())
def test_fargate_task_definitions_refuse(fargate_plan, change, path, constraint):
    task = of(fargate_plan, "aws:ecs/taskDefinition:TaskDefinition", "fargate-scheduler")
    assert constraint in refused(task, change).get(path, "")


def test_fargate_sizes_may_be_written_in_vcpu_and_gb(fargate_plan):
    task = of(fargate_plan, "aws:ecs/taskDefinition:TaskDefinition", "fargate-scheduler")
    assert refused(task, lambda i: i.update(cpu="1 vCPU", memory="2 GB")) == {}


# (stack, type, registration name, change, path, what the problem says)
BREAKS = {
    "log retention": ("prod", "aws:cloudwatch/logGroup:LogGroup", "mwaa-logs-scheduler",
                      lambda i: i.update(retentionInDays=366), "retentionInDays", "must be one of 1, 3, 5"),
    "rule description character": ("prod", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "mwaa-sg-in-self",
                                   lambda i: i.update(description="Airflow's own traffic"), "description",
                                   "characters EC2 refuses (\"'\")"),
    "rule description length": ("prod", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "mwaa-sg-out-https",
                                lambda i: i.update(description="x" * 256), "description", "at most 255"),
    "group description non-ASCII": ("prod", "aws:ec2/securityGroup:SecurityGroup", "mwaa-sg",
                                    lambda i: i.update(description="MWAA – airflow-prod"), "description",
                                    "characters EC2 refuses ('–')"),
    "inline rule description": ("prod", "aws:ec2/securityGroup:SecurityGroup", "mwaa-sg",
                                lambda i: i.update(ingress=[{"description": "café"}]), "ingress[0].description",
                                "characters EC2 refuses"),
    "group name prefix sg-": ("prod", "aws:ec2/securityGroup:SecurityGroup", "mwaa-sg",
                              lambda i: i.update(name="sg-airflow"), "name", "may not start with sg-"),
    "mwaa min above max workers": ("prod", "aws:mwaa/environment:Environment", "mwaa",
                                   lambda i: i.update(minWorkers=11.0), "minWorkers", "must not exceed maxWorkers (10.0)"),
    "mwaa workers": ("prod", "aws:mwaa/environment:Environment", "mwaa", lambda i: i.update(maxWorkers=26.0),
                     "maxWorkers", "at most 25 workers"),
    "mwaa schedulers": ("prod", "aws:mwaa/environment:Environment", "mwaa", lambda i: i.update(schedulers=1.0),
                        "schedulers", "2 to 5"),
    "mwaa micro schedulers": ("prod", "aws:mwaa/environment:Environment", "mwaa",
                              lambda i: i.update(environmentClass="mw1.micro", minWebservers=1.0, maxWebservers=1.0),
                              "schedulers", "must be 1 on mw1.micro"),
    "mwaa webservers": ("prod", "aws:mwaa/environment:Environment", "mwaa",
                        lambda i: i.update(minWebservers=5.0), "minWebservers", "must not exceed maxWebservers"),
    "load balancer name length": ("prod", "aws:lb/loadBalancer:LoadBalancer", "private-access",
                                  lambda i: i.update(name="airflow-prod-private-access-balancer"), "name", "1 to 32"),
    "load balancer name internal-": ("prod", "aws:lb/loadBalancer:LoadBalancer", "private-access",
                                     lambda i: i.update(name="internal-airflow"), "name", "may not begin with internal-"),
    "load balancer name prefix": ("prod", "aws:lb/loadBalancer:LoadBalancer", "private-access",
                                  lambda i: i.update(namePrefix="airflow"), "namePrefix", "at most 6"),
    "target group name": ("prod", "aws:lb/targetGroup:TargetGroup", "private-access-target",
                          lambda i: i.update(name="airflow_web"), "name", "letters, digits or hyphens"),
    "health check timeout": ("prod", "aws:lb/targetGroup:TargetGroup", "private-access-target",
                             lambda i: i["healthCheck"].update(timeout=30.0), "healthCheck.timeout",
                             "shorter than the interval"),
    "health check threshold": ("prod", "aws:lb/targetGroup:TargetGroup", "private-access-target",
                               lambda i: i["healthCheck"].update(healthyThreshold=1.0), "healthCheck.healthyThreshold",
                               "2 to 10"),
    "health check matcher": ("prod", "aws:lb/targetGroup:TargetGroup", "private-access-target",
                             lambda i: i["healthCheck"].update(matcher="200,502"), "healthCheck.matcher", "200 to 499"),
    "authentication on HTTP": ("prod", "aws:lb/listener:Listener", "private-access-https",
                               lambda i: i.update(protocol="HTTP"), "defaultActions[0].type", "needs an HTTPS listener"),
    "lambda environment size": ("prod", "aws:lambda/function:Function", "private-access-login",
                                lambda i: i["environment"]["variables"].update(PADDING="x" * 4000),
                                "environment.variables", "at most 4096 bytes"),
    "lambda reserved variable": ("prod", "aws:lambda/function:Function", "private-access-login",
                                 lambda i: i["environment"]["variables"].update(AWS_REGION="eu-west-1"),
                                 "environment.variables['AWS_REGION']", "reserved by Lambda"),
    "certificate first name": ("prod", "aws:acm/certificate:Certificate", "private-access-certificate",
                               lambda i: i.update(domainName="airflow-" + "x" * 50 + ".prod.example.com"), "domainName",
                               "at most 64 characters"),
    "certificate wildcard": ("prod", "aws:acm/certificate:Certificate", "private-access-certificate",
                             lambda i: i.update(subjectAlternativeNames=["airflow.*.example.com"]),
                             "subjectAlternativeNames[0]", "a wildcard only as the whole first label"),
    "alarm query period": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-scheduler-heartbeat-missing",
                     lambda i: i["metricQueries"][0]["metric"].update(period=45.0), "metricQueries[0].metric.period",
                     "10, 20, 30 or a multiple of 60"),
    "alarm longer than a day": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-scheduler-heartbeat-missing",
                                lambda i: i.update(evaluationPeriods=1441.0, datapointsToAlarm=1441.0), "evaluationPeriods",
                                "more than 1 day(s)"),
    "alarm datapoints": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-scheduler-heartbeat-missing",
                         lambda i: i.update(datapointsToAlarm=6.0), "datapointsToAlarm", "must not exceed evaluationPeriods"),
    "alarm return data": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-tasks-queued-without-progress",
                          lambda i: i["metricQueries"][0].update(returnData=True), "metricQueries", "exactly one query"),
    "alarm query id": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-tasks-queued-without-progress",
                       lambda i: i["metricQueries"][0].update(id="Queued"), "metricQueries[0].id", "lowercase letter"),
    "alarm missing data": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-scheduler-heartbeat-missing",
                           lambda i: i.update(treatMissingData="breach"), "treatMissingData", "breaching, notBreaching"),
    "kms deletion window": ("prod", "aws:kms/key:Key", "mwaa-key", lambda i: i.update(deletionWindowInDays=31.0),
                            "deletionWindowInDays", "7 to 30 days"),
    "kms alias": ("prod", "aws:kms/alias:Alias", "mwaa-key-alias", lambda i: i.update(name="alias/aws/airflow"), "name",
                  "alias/aws/ (reserved"),
    "schedule expression": ("prod", "aws:scheduler/schedule:Schedule", "monitoring-worker-metrics",
                            lambda i: i.update(scheduleExpression="rate(1 minutes)"), "scheduleExpression", "singular unit"),
    "flexible window": ("prod", "aws:scheduler/schedule:Schedule", "monitoring-worker-metrics",
                        lambda i: i.update(flexibleTimeWindow={"mode": "FLEXIBLE"}),
                        "flexibleTimeWindow.maximumWindowInMinutes", "1 to 1440"),
    "topic name": ("prod", "aws:sns/topic:Topic", "monitoring-alarms", lambda i: i.update(name="airflow prod alarms"),
                   "name", "letters, digits, - or _"),
    "record name label": ("prod", "aws:route53/record:Record", "private-access-alias",
                          lambda i: i.update(name="x" * 64 + ".example.com"), "name", "labels of at most 63"),
    "cname with two values": ("prod", "aws:route53/record:Record", "private-access-certificate-validation",
                              lambda i: i["records"].append("_b.acm-validations.aws."), "records", "exactly one value"),
    "alias with a ttl": ("prod", "aws:route53/record:Record", "private-access-alias", lambda i: i.update(ttl=300.0),
                         "aliases", "no records and no ttl"),
    "bucket name": ("prod", "aws:s3/bucket:Bucket", "mwaa-source", lambda i: i.update(bucket="Airflow_Prod"), "bucket",
                    "3 to 63 lowercase"),
    "topic display name": ("prod", "aws:sns/topic:Topic", "monitoring-alarms", lambda i: i.update(displayName="x" * 101),
                           "displayName", "at most 100"),
    "kms alias prefix": ("prod", "aws:kms/alias:Alias", "mwaa-key-alias", lambda i: i.update(name="airflow"), "name",
                         "must start with alias/"),
    "window on schedule OFF": ("prod", "aws:scheduler/schedule:Schedule", "monitoring-worker-metrics",
                               lambda i: i["flexibleTimeWindow"].update(maximumWindowInMinutes=5.0),
                               "flexibleTimeWindow.maximumWindowInMinutes", "only for mode FLEXIBLE"),
    "alarm metric and queries": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-scheduler-heartbeat-missing",
                                 lambda i: i.update(metricName="SchedulerHeartbeat"), "metricName", "not both"),
    "alarm query id twice": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-tasks-queued-without-progress",
                             lambda i: i["metricQueries"][1].update(id="queued"), "metricQueries[1].id", "unique"),
    "alarm period": ("prod", "aws:cloudwatch/metricAlarm:MetricAlarm", "monitoring-scheduler-heartbeat-missing",
                     lambda i: i.update(period=90.0), "period", "10, 20, 30 or a multiple of 60"),
    "health check path": ("prod", "aws:lb/targetGroup:TargetGroup", "private-access-target",
                          lambda i: i["healthCheck"].update(path="health"), "healthCheck.path", "must start with /"),
    "HTTPS redirect to HTTP": ("prod", "aws:lb/listener:Listener", "private-access-https",
                               lambda i: i["defaultActions"].__setitem__(1, {"type": "redirect", "redirect": {
                                   "protocol": "HTTP", "statusCode": "HTTP_301"}}), "defaultActions[1].redirect.protocol",
                               "cannot redirect to HTTP"),
    "bucket prefix": ("prod", "aws:s3/bucket:Bucket", "mwaa-source", lambda i: i.update(bucketPrefix="Airflow-Prod-"),
                      "bucketPrefix", "lowercase"),
}


@pytest.mark.parametrize("stack,type_token,name,change,path,constraint", BREAKS.values(), ids=BREAKS.keys())
def test_limits_refuse(stack_plans, stack, type_token, name, change, path, constraint):
    assert constraint in refused(of(stack_plans[stack], type_token, name), change).get(path, "")


def test_grpc_health_checks_match_grpc_codes(stack_plans):
    target = of(stack_plans["prod"], "aws:lb/targetGroup:TargetGroup", "private-access-target")
    assert refused(target, lambda i: i.update(protocolVersion="GRPC") or i["healthCheck"].update(matcher="0-99")) == {}


FARGATE_RESOURCE_BREAKS = {
    "rds cluster identifier": ("aws:rds/cluster:Cluster", "fargate-database",
                               lambda i: i.update(clusterIdentifier="airflow--db"), "clusterIdentifier", "no two hyphens"),
    "rds master password": ("aws:rds/cluster:Cluster", "fargate-database", lambda i: i.update(masterPassword="p@ssword1"),
                            "masterPassword", "other than / ' \" @"),
    "rds maintenance window": ("aws:rds/cluster:Cluster", "fargate-database",
                               lambda i: i.update(preferredMaintenanceWindow="sun:04:00-sun:04:15"),
                               "preferredMaintenanceWindow", "at least 30 minutes"),
    "rds backup window": ("aws:rds/cluster:Cluster", "fargate-database",
                          lambda i: i.update(preferredBackupWindow="2:00-3:00"), "preferredBackupWindow", "hh24:mi-hh24:mi"),
    "rds capacity steps": ("aws:rds/cluster:Cluster", "fargate-database",
                           lambda i: i["serverlessv2ScalingConfiguration"].update(maxCapacity=4.2),
                           "serverlessv2ScalingConfiguration.maxCapacity", "steps of 0.5"),
    "rds backups kept": ("aws:rds/cluster:Cluster", "fargate-database", lambda i: i.update(backupRetentionPeriod=36.0),
                         "backupRetentionPeriod", "1 to 35"),
    "rds instance identifier": ("aws:rds/clusterInstance:ClusterInstance", "fargate-database-0",
                                lambda i: i.update(identifier="1-airflow"), "identifier", "start with a letter"),
    "elasticache auth token": ("aws:elasticache/replicationGroup:ReplicationGroup", "fargate-broker",
                               lambda i: i.update(authToken="short"), "authToken", "16 to 128"),
    "elasticache token without TLS": ("aws:elasticache/replicationGroup:ReplicationGroup", "fargate-broker",
                                      lambda i: i.update(transitEncryptionEnabled=False), "authToken",
                                      "needs transitEncryptionEnabled"),
    "elasticache failover on one node": ("aws:elasticache/replicationGroup:ReplicationGroup", "fargate-broker",
                                         lambda i: i.update(automaticFailoverEnabled=True), "automaticFailoverEnabled",
                                         "at least 2 nodes"),
    "elasticache group id": ("aws:elasticache/replicationGroup:ReplicationGroup", "fargate-broker",
                             lambda i: i.update(replicationGroupId="airflow-sandbox-broker-of-the-celery-workers"),
                             "replicationGroupId", "1 to 40"),
    "elasticache window": ("aws:elasticache/replicationGroup:ReplicationGroup", "fargate-broker",
                           lambda i: i.update(maintenanceWindow="sun:04:00-sun:04:30"), "maintenanceWindow",
                           "at least 60 minutes"),
    "secret name prefix": ("aws:secretsmanager/secret:Secret", "fargate-database-url",
                           lambda i: i.update(namePrefix="airflow/sandbox database url"), "namePrefix",
                           "letters, digits and /_+=.@-"),
    "rds master user": ("aws:rds/cluster:Cluster", "fargate-database", lambda i: i.update(masterUsername="1airflow"),
                        "masterUsername", "starting with a letter"),
    "rds capacity order": ("aws:rds/cluster:Cluster", "fargate-database",
                           lambda i: i["serverlessv2ScalingConfiguration"].update(minCapacity=8.0),
                           "serverlessv2ScalingConfiguration.minCapacity", "must not exceed maxCapacity"),
    "elasticache multi-AZ without failover": ("aws:elasticache/replicationGroup:ReplicationGroup", "fargate-broker",
                                              lambda i: i.update(multiAzEnabled=True), "multiAzEnabled",
                                              "needs automaticFailoverEnabled"),
    "elasticache nodes": ("aws:elasticache/replicationGroup:ReplicationGroup", "fargate-broker",
                          lambda i: i.update(numCacheClusters=7.0), "numCacheClusters", "1 to 6"),
    "scalable target": ("aws:appautoscaling/target:Target", "fargate-workers", lambda i: i.update(minCapacity=11.0),
                        "minCapacity", "must not exceed maxCapacity"),
}


@pytest.mark.parametrize("type_token,name,change,path,constraint", FARGATE_RESOURCE_BREAKS.values(),
                         ids=FARGATE_RESOURCE_BREAKS.keys())
def test_fargate_resource_limits_refuse(fargate_plan, type_token, name, change, path, constraint):
    assert constraint in refused(of(fargate_plan, type_token, name), change).get(path, "")


def test_a_zero_minute_window_on_schedule_off_is_not_sent_so_not_refused():
    # The provider sends no window for 0, its zero value; any other number with mode OFF reaches AWS.
    window = {"scheduleExpression": "rate(1 minute)", "flexibleTimeWindow": {"mode": "OFF", "maximumWindowInMinutes": 0}}
    assert schedule(window) == []
