"""MwaaEnvironment: its bucket, uploads, key, log groups, execution role, security group, UI policies and outputs,
alone (run_component) and as the stacks compose it (plan_stack)."""

import zipfile

import pulumi
import pulumi_aws as aws
import pytest

from airflow_aws import MwaaEnvironment
from airflow_aws.mwaa_environment import environment_security_group
from program.stacks import STACKS
from tests.harness import FakeAws, plan_stack, policy, run_component

ENV = "analytics"
ACCOUNT = "111111111111"
REGION = "eu-west-1"
BASE = {"environment_name": ENV, "vpc_id": "vpc-0123456789abcdef0",
        "subnet_ids": ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]}
EXISTING_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0d6d71a3-0177-4fec-8bf0-77bea0b6ede9"
OUTPUTS = ("arn", "name", "webserver_url", "webserver_vpc_endpoint_service", "database_vpc_endpoint_service",
           "bucket_name", "bucket_arn", "execution_role_arn", "execution_role_name", "security_group_id",
           "kms_key_arn", "log_group_names", "web_ui_access_policy_arns")

ENVIRONMENT = "aws:mwaa/environment:Environment"
BUCKET = "aws:s3/bucket:Bucket"
OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
UI_POLICY = "aws:iam/policy:Policy"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
# The baseline's only grants AWS defines on every resource: they take no resource scope.
UNSCOPED_ACTIONS = {"logs:DescribeLogGroups", "s3:GetAccountPublicAccessBlock", "cloudwatch:PutMetricData"}


def environment(**args):
    """One MwaaEnvironment with BASE plus `args`, its outputs exported under their attribute names."""
    def program():
        component = MwaaEnvironment("mwaa", {**BASE, **args})
        for output in OUTPUTS:
            pulumi.export(output, getattr(component, output))
    return run_component(program, world=FakeAws(account_id=ACCOUNT, region=REGION))


def source_folder(root, dags: dict[str, str] | None = None):
    """A source folder with all three files MWAA reads and some DAGs."""
    (root / "requirements.txt").write_text("apache-airflow-providers-snowflake==6.0.0\n")
    (root / "startup.sh").write_text("#!/bin/sh\nexport TEAM=analytics\n")
    with zipfile.ZipFile(root / "plugins.zip", "w") as archive:
        archive.writestr("operators/__init__.py", "")
    for path, text in (dags or {"daily.py": "# daily\n", "reports/weekly.py": "# weekly\n"}).items():
        (root / "dags" / path).parent.mkdir(parents=True, exist_ok=True)
        (root / "dags" / path).write_text(text)
    return root


def statements(document) -> list[dict]:
    return document["Statement"]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def actions(statement) -> set[str]:
    return set(as_list(statement.get("Action", [])))


def mwaa_children(plan):
    component = next(r for r in plan.registrations if r.type == "airflow-aws:index:MwaaEnvironment")
    return [r for r in plan.registrations if r.parent == component.urn]


def child(children, type_token):
    [found] = [r for r in children if r.type == type_token]
    return found


# --- the source bucket -----------------------------------------------------------------------

def test_the_source_bucket_is_versioned_private_owned_and_tls_only():
    plan = environment()
    bucket = plan.one(BUCKET)
    assert bucket.inputs["bucketPrefix"] == "airflow-analytics-"
    guards = {r.type: r for r in plan.registrations if r.type.startswith("aws:s3/bucket") and r.type not in (BUCKET, OBJECT)}
    assert all(r.inputs["bucket"] == bucket.id for r in guards.values())
    assert guards["aws:s3/bucketVersioning:BucketVersioning"].inputs["versioningConfiguration"] == {"status": "Enabled"}
    public_access = guards["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"].inputs
    assert all(public_access[flag] is True for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                                          "restrictPublicBuckets"))
    ownership = guards["aws:s3/bucketOwnershipControls:BucketOwnershipControls"].inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    [tls] = statements(policy(guards["aws:s3/bucketPolicy:BucketPolicy"]))
    assert tls["Effect"] == "Deny" and tls["Principal"] == "*" and tls["Action"] == "s3:*"
    assert tls["Resource"] == [bucket.state["arn"], f"{bucket.state['arn']}/*"]
    assert tls["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_environment_reads_from_its_own_bucket():
    plan = environment()
    inputs = plan.one(ENVIRONMENT).inputs
    assert inputs["sourceBucketArn"] == plan.one(BUCKET).state["arn"]
    assert inputs["dagS3Path"] == "dags"
    assert plan.outputs["bucket_name"] == plan.one(BUCKET).state["bucket"]
    assert plan.outputs["bucket_arn"] == plan.one(BUCKET).state["arn"]


def test_without_a_customer_key_s3_and_aws_owned_keys_encrypt():
    plan = environment()
    [rule] = plan.one(ENCRYPTION).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}
    assert not plan.of_type(KEY)
    assert "kmsKey" not in plan.one(ENVIRONMENT).inputs
    assert all("kmsKeyId" not in g.inputs for g in plan.of_type(LOG_GROUP))
    assert plan.outputs["kms_key_arn"] is None


@pytest.mark.parametrize("key_args", [{"create_kms_key": True}, {"kms_key_arn": EXISTING_KEY}], ids=["created", "existing"])
def test_the_customer_key_encrypts_bucket_logs_and_environment_alike(key_args):
    plan = environment(**key_args)
    key_arn = plan.one(KEY).state["arn"] if key_args.get("create_kms_key") else EXISTING_KEY
    [rule] = plan.one(ENCRYPTION).inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key_arn}
    assert rule["bucketKeyEnabled"] is True
    assert plan.one(ENVIRONMENT).inputs["kmsKey"] == key_arn
    assert plan.of_type(LOG_GROUP) and all(g.inputs["kmsKeyId"] == key_arn for g in plan.of_type(LOG_GROUP))
    assert plan.outputs["kms_key_arn"] == key_arn
    assert len(plan.of_type(KEY)) == (1 if key_args.get("create_kms_key") else 0)


def test_the_created_key_lets_cloudwatch_logs_and_mwaa_use_it():
    plan = environment(create_kms_key=True)
    key = plan.one(KEY)
    assert key.inputs["enableKeyRotation"] is True
    assert plan.one("aws:kms/alias:Alias").inputs == {"name": f"alias/airflow-{ENV}", "targetKeyId": key.state["keyId"]}
    by_sid = {s["Sid"]: s for s in statements(policy(key))}
    logs = next(s for s in by_sid.values() if s["Principal"] == {"Service": f"logs.{REGION}.amazonaws.com"})
    assert {"kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"} <= actions(logs)
    assert logs["Condition"] == {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                             f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:airflow-{ENV}-*"}}
    airflow = next(s for s in by_sid.values() if f"airflow.{REGION}.amazonaws.com"
                   in as_list(s.get("Condition", {}).get("StringLike", {}).get("kms:ViaService", [])))
    assert {"kms:Decrypt", "kms:GenerateDataKey*", "kms:CreateGrant"} <= actions(airflow)
    assert airflow["Condition"]["StringEquals"] == {"kms:CallerAccount": ACCOUNT}


def test_a_created_key_and_an_existing_key_exclude_each_other():
    with pytest.raises(ValueError, match="not both"):
        environment(create_kms_key=True, kms_key_arn=EXISTING_KEY)


# --- uploads ---------------------------------------------------------------------------------

def test_each_source_file_is_uploaded_and_its_version_wired_into_the_environment(tmp_path):
    plan = environment(source_folder=str(source_folder(tmp_path)))
    inputs = plan.one(ENVIRONMENT).inputs
    versioning = plan.one("aws:s3/bucketVersioning:BucketVersioning")
    for file_name, prefix in (("requirements.txt", "requirements"), ("plugins.zip", "plugins"),
                              ("startup.sh", "startupScript")):
        upload = next(o for o in plan.of_type(OBJECT) if o.inputs["key"] == file_name)
        assert upload.inputs["bucket"] == plan.one(BUCKET).id
        assert upload.inputs["source"].path == str(tmp_path / file_name)
        assert inputs[f"{prefix}S3Path"] == file_name
        assert inputs[f"{prefix}S3ObjectVersion"] == upload.state["versionId"]
        # An object written before versioning is on has no version for MWAA to pin.
        assert versioning.urn in upload.dependencies


def test_a_missing_source_file_is_neither_uploaded_nor_referenced(tmp_path):
    (tmp_path / "requirements.txt").write_text("pandas\n")
    plan = environment(source_folder=str(tmp_path))
    inputs = plan.one(ENVIRONMENT).inputs
    assert [o.inputs["key"] for o in plan.of_type(OBJECT)] == ["requirements.txt"]
    assert "pluginsS3Path" not in inputs and "startupScriptS3Path" not in inputs
    assert "pluginsS3ObjectVersion" not in inputs and "startupScriptS3ObjectVersion" not in inputs


def test_dags_are_uploaded_under_the_dags_prefix_without_caches(tmp_path):
    folder = source_folder(tmp_path)
    (folder / "dags" / "__pycache__").mkdir()
    (folder / "dags" / "__pycache__" / "daily.cpython-311.pyc").write_bytes(b"\0")
    plan = environment(source_folder=str(folder), upload_dags=True)
    dag_keys = sorted(o.inputs["key"] for o in plan.of_type(OBJECT) if o.inputs["key"].startswith("dags/"))
    assert dag_keys == ["dags/daily.py", "dags/reports/weekly.py"]


def test_dags_stay_out_of_the_bucket_when_a_pipeline_syncs_them(tmp_path):
    plan = environment(source_folder=str(source_folder(tmp_path)), upload_dags=False)
    assert sorted(o.inputs["key"] for o in plan.of_type(OBJECT)) == ["plugins.zip", "requirements.txt", "startup.sh"]


@pytest.mark.parametrize("file_name, version_input", [
    ("requirements.txt", "requirementsS3ObjectVersion"), ("startup.sh", "startupScriptS3ObjectVersion"),
])
def test_changing_a_source_file_changes_exactly_its_version_in_the_environment(tmp_path, file_name, version_input):
    folder = source_folder(tmp_path)
    before = environment(source_folder=str(folder), upload_dags=True).one(ENVIRONMENT).inputs
    (folder / file_name).write_text((folder / file_name).read_text() + "# changed\n")
    after = environment(source_folder=str(folder), upload_dags=True).one(ENVIRONMENT).inputs
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == {version_input}


def test_changing_plugins_changes_exactly_the_plugins_version(tmp_path):
    folder = source_folder(tmp_path)
    before = environment(source_folder=str(folder)).one(ENVIRONMENT).inputs
    with zipfile.ZipFile(folder / "plugins.zip", "a") as archive:
        archive.writestr("operators/extra.py", "X = 1\n")
    after = environment(source_folder=str(folder)).one(ENVIRONMENT).inputs
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == {"pluginsS3ObjectVersion"}


def test_changing_or_adding_dags_leaves_every_environment_input_unchanged(tmp_path):
    folder = source_folder(tmp_path)
    before = environment(source_folder=str(folder), upload_dags=True)
    (folder / "dags" / "daily.py").write_text("# daily, rewritten\n")
    (folder / "dags" / "hourly.py").write_text("# new\n")
    after = environment(source_folder=str(folder), upload_dags=True)
    assert after.one(ENVIRONMENT).inputs == before.one(ENVIRONMENT).inputs
    dag_urns = {o.urn for o in after.of_type(OBJECT) if o.inputs["key"].startswith("dags/")}
    assert len(dag_urns) == 3 and not dag_urns & set(after.one(ENVIRONMENT).dependencies)


# --- logs ------------------------------------------------------------------------------------

def test_log_groups_exist_only_for_enabled_types_with_retention():
    plan = environment(log_levels={"task": "INFO", "worker": "ERROR", "scheduler": "DISABLED"}, log_retention_days=90)
    groups = sorted(plan.of_type(LOG_GROUP), key=lambda g: g.inputs["name"])
    assert [g.inputs["name"] for g in groups] == [f"airflow-{ENV}-Task", f"airflow-{ENV}-Worker"]
    assert all(g.inputs["retentionInDays"] == 90 for g in groups)
    assert sorted(plan.outputs["log_group_names"]) == [f"airflow-{ENV}-Task", f"airflow-{ENV}-Worker"]
    logging = plan.one(ENVIRONMENT).inputs["loggingConfiguration"]
    assert logging["taskLogs"] == {"enabled": True, "logLevel": "INFO"}
    assert logging["workerLogs"] == {"enabled": True, "logLevel": "ERROR"}
    assert all(logging[f] == {"enabled": False} for f in ("schedulerLogs", "dagProcessingLogs", "webserverLogs"))


def test_by_default_every_log_type_is_on_with_a_month_of_retention():
    plan = environment()
    names = sorted(g.inputs["name"] for g in plan.of_type(LOG_GROUP))
    assert names == sorted(f"airflow-{ENV}-{suffix}" for suffix in
                           ("DAGProcessing", "Scheduler", "Task", "WebServer", "Worker"))
    assert {g.inputs["retentionInDays"] for g in plan.of_type(LOG_GROUP)} == {30}


def test_the_environment_starts_after_its_role_bucket_guards_and_log_groups():
    plan = environment(execution_role_policy_statements=[{"Effect": "Allow", "Action": "athena:GetQueryResults",
                                                          "Resource": "*"}])
    dependencies = set(plan.one(ENVIRONMENT).dependencies)
    needed = [*plan.of_type(ROLE_POLICY), *plan.of_type(LOG_GROUP),
              plan.one("aws:s3/bucketVersioning:BucketVersioning"),
              plan.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")]
    assert {r.urn for r in needed} <= dependencies


# --- the security group ----------------------------------------------------------------------

def rule_shape(rule) -> tuple:
    inputs = rule.inputs
    return (inputs["ipProtocol"], inputs.get("fromPort"), inputs.get("toPort"),
            inputs.get("cidrIpv4") or inputs.get("prefixListId") or ("self" if inputs.get("referencedSecurityGroupId") else None))


def test_the_security_group_admits_only_itself_and_leaves_for_itself_https_and_configured_peers():
    plan = environment(security_group_egress=[
        {"description": "reporting database", "protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr": "10.50.0.0/16"},
        {"description": "corporate proxy", "protocol": "-1", "from_port": 0, "to_port": 0, "prefix_list_id": "pl-0123456789abcdef0"},
    ])
    group = plan.one("aws:ec2/securityGroup:SecurityGroup")
    assert group.inputs["vpcId"] == BASE["vpc_id"]
    rules = [*plan.of_type(INGRESS), *plan.of_type(EGRESS)]
    assert all(r.inputs["securityGroupId"] == group.id for r in rules)
    assert all(r.inputs["referencedSecurityGroupId"] == group.id for r in rules if "referencedSecurityGroupId" in r.inputs)
    assert [rule_shape(r) for r in plan.of_type(INGRESS)] == [("-1", None, None, "self")]
    assert sorted(map(rule_shape, plan.of_type(EGRESS)), key=str) == sorted([
        ("-1", None, None, "self"), ("tcp", 443, 443, "0.0.0.0/0"), ("tcp", 5432, 5432, "10.50.0.0/16"),
        ("-1", None, None, "pl-0123456789abcdef0")], key=str)
    assert all(r.inputs.get("description") for r in rules)
    assert plan.one(ENVIRONMENT).inputs["networkConfiguration"] == {"securityGroupIds": [group.id],
                                                                     "subnetIds": BASE["subnet_ids"]}
    assert plan.outputs["security_group_id"] == group.id


def test_a_group_made_before_the_environment_is_used_instead_of_one_of_its_own():
    def program():
        group = environment_security_group("mwaa", vpc_id=BASE["vpc_id"], environment_name=ENV, tags={})
        MwaaEnvironment("mwaa", {**BASE, "security_group_id": group.id})
    plan = run_component(program)
    group = plan.one("aws:ec2/securityGroup:SecurityGroup")
    assert plan.parent_of(group) is None  # the program's, not the environment's
    assert plan.one(ENVIRONMENT).inputs["networkConfiguration"]["securityGroupIds"] == [group.id]


def test_egress_for_a_group_made_elsewhere_is_refused_before_anything_is_created():
    with pytest.raises(ValueError, match="environment_security_group") as error:
        environment(security_group_id="sg-0123456789abcdef0", security_group_egress=[
            {"description": "x", "protocol": "tcp", "from_port": 1, "to_port": 1, "cidr": "10.0.0.0/8"}])
    assert not [r for r in error.value.registrations if r.custom]


def test_the_environment_starts_after_what_it_is_told_to():
    def program():
        endpoint = aws.ec2.VpcEndpoint("logs", vpc_id=BASE["vpc_id"], service_name="com.amazonaws.eu-west-1.logs")
        MwaaEnvironment("mwaa", {**BASE, "start_after": [endpoint.id]})
    plan = run_component(program)
    assert plan.named("logs").urn in plan.one(ENVIRONMENT).dependencies
    assert plan.one(ENVIRONMENT).inputs["networkConfiguration"]["subnetIds"] == BASE["subnet_ids"]


def test_the_stacks_group_keeps_the_identity_it_had_as_the_environments_child():
    """It moved out of MwaaEnvironment to be made before the endpoints; each alias names its former URN."""
    egress = {"description": "reporting database", "protocol": "tcp", "fromPort": 5432, "toPort": 5432,
              "cidr": "10.50.0.0/16"}
    plan = plan_stack("sandbox", {"mwaa.securityGroupEgress": [egress]})
    # The layout before: the environment made its group itself.
    before = run_component(lambda: MwaaEnvironment("mwaa", {**BASE, "security_group_egress": [
        {"description": "x", "protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr": "10.50.0.0/16"}]}),
        stack="sandbox")
    former = {r.name: r.urn for r in before.registrations if r.name.startswith("mwaa-sg")}
    moved = {r.name: r for r in plan.registrations if r.name.startswith("mwaa-sg")}
    assert set(moved) == set(former) == {"mwaa-sg", "mwaa-sg-in-self", "mwaa-sg-out-self", "mwaa-sg-out-https",
                                         "mwaa-sg-out-0"}
    for name, registration in moved.items():
        assert registration.urn != former[name] and former[name] in registration.alias_urns


# --- the execution role ----------------------------------------------------------------------

def baseline(plan) -> list[dict]:
    return statements(policy(next(p for p in plan.of_type(ROLE_POLICY) if p.name == "mwaa-execution-baseline")))


def test_only_mwaa_assumes_the_execution_role():
    plan = environment()
    [trust] = statements(policy(plan.one("aws:iam/role:Role"), "assumeRolePolicy"))
    assert trust == {"Effect": "Allow", "Action": "sts:AssumeRole",
                     "Principal": {"Service": ["airflow.amazonaws.com", "airflow-env.amazonaws.com"]}}
    assert plan.one(ENVIRONMENT).inputs["executionRoleArn"] == plan.one("aws:iam/role:Role").state["arn"]


@pytest.mark.parametrize("key_args", [{}, {"create_kms_key": True}], ids=["aws-owned", "cmk"])
def test_every_grant_of_the_baseline_is_scoped_to_this_environment(key_args):
    plan = environment(**key_args)
    bucket_arn = plan.one(BUCKET).state["arn"]
    for statement in baseline(plan):
        assert all(a != "*" and not a.endswith(":*") for a in actions(statement))
        resources = as_list(statement.get("Resource", []))
        if "*" in resources:
            assert statement["Effect"] == "Allow" and actions(statement) <= UNSCOPED_ACTIONS
        s3 = {a for a in actions(statement) if a.startswith("s3:")} - UNSCOPED_ACTIONS
        if s3:
            assert resources == [bucket_arn, f"{bucket_arn}/*"]
        if actions(statement) & {"logs:CreateLogStream", "logs:PutLogEvents"}:
            assert resources == [f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:airflow-{ENV}-*"]
        if "airflow:PublishMetrics" in actions(statement):
            assert resources == [f"arn:aws:airflow:{REGION}:{ACCOUNT}:environment/{ENV}"]
        if any(a.startswith("sqs:") for a in actions(statement)):
            assert resources == [f"arn:aws:sqs:{REGION}:*:airflow-celery-*"]


def test_with_a_customer_key_the_role_may_use_that_key_only():
    plan = environment(create_kms_key=True)
    [kms] = [s for s in baseline(plan) if any(a.startswith("kms:") for a in actions(s))]
    assert kms["Resource"] == plan.one(KEY).state["arn"] and "NotResource" not in kms
    assert set(kms["Condition"]["StringLike"]["kms:ViaService"]) == {f"sqs.{REGION}.amazonaws.com",
                                                                      f"s3.{REGION}.amazonaws.com"}


def test_without_a_customer_key_the_role_may_use_only_keys_outside_the_account_through_sqs():
    [kms] = [s for s in baseline(environment()) if any(a.startswith("kms:") for a in actions(s))]
    assert "Resource" not in kms
    assert kms["NotResource"] == f"arn:aws:kms:*:{ACCOUNT}:key/*"
    assert kms["Condition"] == {"StringLike": {"kms:ViaService": [f"sqs.{REGION}.amazonaws.com"]}}


def test_extra_statements_and_managed_policies_reach_the_role():
    extra = [{"Effect": "Allow", "Action": ["athena:StartQueryExecution"], "Resource": ["arn:aws:athena:*:*:workgroup/x"]}]
    managed = ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess", f"arn:aws:iam::{ACCOUNT}:policy/data-lake-read"]
    plan = environment(execution_role_policy_statements=extra, execution_role_managed_policy_arns=managed)
    role = plan.one("aws:iam/role:Role")
    [added] = [p for p in plan.of_type(ROLE_POLICY) if p.name != "mwaa-execution-baseline"]
    assert added.inputs["role"] == role.id and statements(policy(added)) == extra
    attachments = plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert sorted(a.inputs["policyArn"] for a in attachments) == sorted(managed)
    assert all(a.inputs["role"] == role.state["name"] for a in attachments)


def test_without_extras_the_role_has_the_baseline_alone():
    plan = environment()
    assert [p.name for p in plan.of_type(ROLE_POLICY)] == ["mwaa-execution-baseline"]
    assert not plan.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert plan.outputs["execution_role_arn"] == plan.one("aws:iam/role:Role").state["arn"]


# --- web UI access ---------------------------------------------------------------------------

def test_each_airflow_role_gets_a_policy_for_exactly_its_ui_role():
    plan = environment()
    arns = plan.outputs["web_ui_access_policy_arns"]
    assert sorted(arns) == ["Admin", "Op", "User", "Viewer"]
    for role, arn in arns.items():
        ui_policy = next(p for p in plan.of_type(UI_POLICY) if p.state["arn"] == arn)
        [grant] = statements(policy(ui_policy))
        assert grant["Effect"] == "Allow" and grant["Action"] == "airflow:CreateWebLoginToken"
        assert grant["Resource"] == f"arn:aws:airflow:{REGION}:{ACCOUNT}:role/{ENV}/{role}"
    assert len(plan.of_type(UI_POLICY)) == 4


# --- environment settings and outputs --------------------------------------------------------

def test_every_environment_setting_reaches_mwaa():
    settings = {"airflow_version": "3.0.6", "environment_class": "mw1.large", "min_workers": 2, "max_workers": 12,
                "schedulers": 3, "min_webservers": 2, "max_webservers": 4, "weekly_maintenance_window_start": "WED:22:30",
                "webserver_access_mode": "PUBLIC_AND_PRIVATE", "endpoint_management": "CUSTOMER",
                "worker_replacement_strategy": "GRACEFUL", "airflow_configuration_options": {"core.default_timezone": "utc"},
                "tags": {"team": "data"}}
    inputs = environment(**settings).one(ENVIRONMENT).inputs
    expected = {"airflowVersion": "3.0.6", "environmentClass": "mw1.large", "minWorkers": 2, "maxWorkers": 12,
                "schedulers": 3, "minWebservers": 2, "maxWebservers": 4, "weeklyMaintenanceWindowStart": "WED:22:30",
                "webserverAccessMode": "PUBLIC_AND_PRIVATE", "endpointManagement": "CUSTOMER",
                "workerReplacementStrategy": "GRACEFUL", "airflowConfigurationOptions": {"core.default_timezone": "utc"},
                "tags": {"team": "data"}, "name": ENV}
    assert {k: inputs.get(k) for k in expected} == expected


def test_unset_settings_are_left_to_mwaa_except_private_access():
    inputs = environment().one(ENVIRONMENT).inputs
    assert inputs["webserverAccessMode"] == "PRIVATE_ONLY"
    assert not {"airflowVersion", "environmentClass", "minWorkers", "workerReplacementStrategy"} & set(inputs)


def test_every_output_is_set_from_what_was_created():
    plan = environment()
    environment_state = plan.one(ENVIRONMENT).state
    assert plan.outputs["arn"] == environment_state["arn"] == f"arn:aws:airflow:{REGION}:{ACCOUNT}:environment/{ENV}"
    assert plan.outputs["name"] == ENV
    for output, state in (("webserver_url", "webserverUrl"), ("webserver_vpc_endpoint_service", "webserverVpcEndpointService"),
                          ("database_vpc_endpoint_service", "databaseVpcEndpointService")):
        assert plan.outputs[output] == environment_state[state]
    assert plan.outputs["execution_role_name"] == plan.one("aws:iam/role:Role").state["name"]
    assert set(OUTPUTS) - {"kms_key_arn"} <= {k for k, v in plan.outputs.items() if v}


@pytest.mark.parametrize("protect", [True, False])
def test_only_stateful_resources_are_protected_and_only_when_asked(protect):
    plan = environment(create_kms_key=True, protect_stateful_resources=protect)
    protected = sorted(r.type for r in plan.registrations if r.protect)
    assert protected == ([LOG_GROUP] * 5 + [KEY, ENVIRONMENT, BUCKET] if protect else [])


# --- as the stacks compose it ----------------------------------------------------------------

def test_the_stack_passes_its_mwaa_settings_to_the_environment():
    plan = plan_stack("sandbox", {
        "mwaa.airflowVersion": "2.11.0", "mwaa.environmentClass": "mw1.large", "mwaa.minWorkers": 2,
        "mwaa.maxWorkers": 8, "mwaa.schedulers": 3, "mwaa.minWebservers": 3, "mwaa.maxWebservers": 4,
        "mwaa.weeklyMaintenanceWindowStart": "TUE:01:30", "mwaa.workerReplacementStrategy": "FORCED",
        "mwaa.airflowConfigurationOptions": {"core.default_timezone": "utc"}, "mwaa.logLevels": {"task": "DEBUG"},
        "mwaa.logRetentionDays": 60, "tags": {"cost-centre": "data"}})
    children = mwaa_children(plan)
    inputs = child(children, ENVIRONMENT).inputs
    assert {k: inputs[k] for k in ("airflowVersion", "environmentClass", "minWorkers", "maxWorkers", "schedulers",
                                   "minWebservers", "maxWebservers", "weeklyMaintenanceWindowStart",
                                   "workerReplacementStrategy")} == {
        "airflowVersion": "2.11.0", "environmentClass": "mw1.large", "minWorkers": 2, "maxWorkers": 8, "schedulers": 3,
        "minWebservers": 3, "maxWebservers": 4, "weeklyMaintenanceWindowStart": "TUE:01:30",
        "workerReplacementStrategy": "FORCED"}
    assert inputs["airflowConfigurationOptions"]["core.default_timezone"] == "utc"
    assert "airflowConfigurationOptions" in child(children, ENVIRONMENT).secret_inputs
    assert inputs["loggingConfiguration"]["taskLogs"] == {"enabled": True, "logLevel": "DEBUG"}
    assert inputs["tags"] == {"cost-centre": "data"}
    [log_group] = [r for r in children if r.type == LOG_GROUP]
    assert log_group.inputs["name"] == "airflow-airflow-sandbox-Task" and log_group.inputs["retentionInDays"] == 60


def test_the_stack_extends_the_role_and_the_security_group_from_its_settings():
    extra = [{"Effect": "Allow", "Action": ["athena:StartQueryExecution"], "Resource": ["arn:aws:athena:*:*:workgroup/x"]}]
    plan = plan_stack("sandbox", {
        "mwaa.executionRolePolicyStatements": extra,
        "mwaa.executionRoleManagedPolicyArns": ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess"],
        "mwaa.securityGroupEgress": [{"description": "reporting database", "fromPort": 5432, "toPort": 5432,
                                      "cidr": "10.50.0.0/16"}]})
    children = mwaa_children(plan)
    [added] = [r for r in children if r.type == ROLE_POLICY and r.name != "mwaa-execution-baseline"]
    assert statements(policy(added)) == extra
    [attachment] = [r for r in children if r.type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment"]
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/AmazonAthenaFullAccess"
    group_id = plan.named("mwaa-sg").id
    egress = [rule_shape(r) for r in plan.of_type(EGRESS) if r.inputs["securityGroupId"] == group_id]
    assert ("tcp", 5432, 5432, "10.50.0.0/16") in egress


@pytest.mark.parametrize("kms_key, created", [("aws-owned", False), ("create", True), (EXISTING_KEY, False)])
def test_the_stack_kms_setting_chooses_the_key(kms_key, created):
    children = mwaa_children(plan_stack("sandbox", {"mwaa.kmsKey": kms_key}))
    keys = [r for r in children if r.type == KEY]
    assert len(keys) == int(created)
    expected = keys[0].state["arn"] if created else (None if kms_key == "aws-owned" else kms_key)
    assert child(children, ENVIRONMENT).inputs.get("kmsKey") == expected


def test_the_stack_uploads_from_the_source_folder_it_names(project_tmp_path):
    folder = source_folder(project_tmp_path, dags={"only.py": "# only\n"})
    children = mwaa_children(plan_stack("sandbox", {"mwaa.sourceFolder": str(folder), "mwaa.uploadDags": True}))
    keys = sorted(r.inputs["key"] for r in children if r.type == OBJECT)
    assert keys == ["dags/only.py", "plugins.zip", "requirements.txt", "startup.sh"]



@pytest.mark.parametrize("stack", STACKS)
def test_each_stack_exports_the_environment_outputs(stack_plans, stack):
    plan = stack_plans[stack]
    children = mwaa_children(plan)
    environment_state = child(children, ENVIRONMENT).state
    outputs = plan.outputs
    assert outputs["environmentArn"] == environment_state["arn"]
    assert outputs["environmentName"] == environment_state["name"]
    assert outputs["webserverUrl"] == environment_state["webserverUrl"]
    assert outputs["webserverVpcEndpointService"] == environment_state["webserverVpcEndpointService"]
    assert outputs["databaseVpcEndpointService"] == environment_state["databaseVpcEndpointService"]
    assert outputs["sourceBucket"] == child(children, BUCKET).state["bucket"]
    assert outputs["executionRoleArn"] == child(children, "aws:iam/role:Role").state["arn"]
    assert outputs["securityGroupId"] == plan.named("mwaa-sg").id
    assert child(children, ENVIRONMENT).inputs["networkConfiguration"]["securityGroupIds"] == [outputs["securityGroupId"]]
    assert outputs["webUiAccessPolicyArns"] == {
        p.inputs["description"].rsplit(" as ", 1)[1]: p.state["arn"] for p in children if p.type == UI_POLICY}


@pytest.mark.parametrize("stack, protected", [("sandbox", False), ("test", False), ("prod", True)])
def test_only_production_protects_the_environment_bucket_key_and_log_groups(stack_plans, stack, protected):
    children = mwaa_children(stack_plans[stack])
    assert sorted(r.type for r in children if r.protect) == (
        sorted([ENVIRONMENT, BUCKET, KEY, *[LOG_GROUP] * len([r for r in children if r.type == LOG_GROUP])])
        if protected else [])
