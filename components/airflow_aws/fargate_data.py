"""The data a FargateAirflowCluster keeps: its random values, metadata database, Celery broker and secrets.

Part of FargateAirflowCluster (fargate_airflow_cluster.py); each function registers its resources as
children of the cluster through the ClusterScope.
"""

from dataclasses import dataclass
from typing import Optional

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from . import airflow_settings as airflow
from ._fargate_scope import ClusterScope
from .aws_choices import BrokerEngine, choice

WEEKLY_MAINTENANCE = "sun:04:00-sun:05:00"
BACKUP_WINDOW = "02:00-03:00"


@dataclass(frozen=True)
class ClusterSecrets:
    """The cluster's secrets by name, their versions (values) and the Airflow variable each feeds."""

    secrets: dict[str, aws.secretsmanager.Secret]
    versions: list[pulumi.Resource]
    variables: dict[str, str]


@dataclass(frozen=True)
class ClusterData:
    """The metadata database (with its instances), the broker and the secrets the tasks read."""

    database: aws.rds.Cluster
    database_instances: list[aws.rds.ClusterInstance]
    broker: aws.elasticache.ReplicationGroup
    secrets: ClusterSecrets


@dataclass(frozen=True)
class _Randoms:
    """The random values the database, broker and secrets are made of."""

    database: random.RandomPassword
    broker: random.RandomPassword
    fernet: random.RandomBytes
    jwt: random.RandomBytes
    api: random.RandomBytes
    flower: Optional[random.RandomPassword]


def cluster_data(scope: ClusterScope, args, groups: dict[str, aws.ec2.SecurityGroup], key_arn,
                 flower: bool) -> ClusterData:
    """Random values, then the database and broker that use them, then the secrets that point at both."""
    randoms = _randoms(scope, flower)
    database, instances = _database(scope, args, groups["database"], randoms.database, key_arn)
    broker = _broker(scope, args, groups["broker"], randoms.broker, key_arn)
    return ClusterData(database, instances, broker, _secrets(scope, randoms, database, broker, key_arn))


def _randoms(scope: ClusterScope, flower: bool) -> _Randoms:
    name = scope.label
    # Each value lives only in the state and its secret: a replaced one locks out the database
    # or broker until every task restarts, or (Fernet) leaves stored connections unreadable.
    opts = scope.stateful()
    return _Randoms(
        # Aurora caps the master password at 41 characters and refuses "/", '"', "@" and spaces.
        database=random.RandomPassword(f"{name}-database-password", length=32, special=True,
                                       override_special=airflow.DATABASE_PASSWORD_SPECIALS, opts=opts),
        broker=random.RandomPassword(f"{name}-broker-token", length=64, special=True,
                                     override_special=airflow.BROKER_TOKEN_SPECIALS, opts=opts),
        # No keepers and a constant length: nothing can ever replace it, so stored
        # connections and variables stay readable. Rotation is `airflow rotate-fernet-key`.
        fernet=random.RandomBytes(f"{name}-fernet-key", length=32, opts=opts),
        jwt=random.RandomBytes(f"{name}-jwt-secret", length=32, opts=opts),
        api=random.RandomBytes(f"{name}-api-secret-key", length=32, opts=opts),
        flower=(random.RandomPassword(f"{name}-flower-password", length=32, special=False, opts=opts)
                if flower else None),
    )


def _database(scope: ClusterScope, args, group, password: random.RandomPassword, key_arn):
    name, env, tags, settings = scope.label, scope.env, scope.tags, args.get("database") or {}
    version = settings.get("engine_version", "16.6")
    subnets = aws.rds.SubnetGroup(f"{name}-database", subnet_ids=args["subnet_ids"],
                                  description=f"Airflow {env} metadata database", tags=tags, opts=scope.options())
    cluster = aws.rds.Cluster(
        f"{name}-database", engine=aws.rds.EngineType.AURORA_POSTGRESQL, engine_mode="provisioned", engine_version=version,
        database_name=airflow.DATABASE_NAME, master_username=airflow.DATABASE_USER,
        master_password=password.result, port=airflow.DATABASE_PORT,
        serverlessv2_scaling_configuration={"min_capacity": settings.get("min_capacity", 0.5),
                                            "max_capacity": settings.get("max_capacity", 4)},
        storage_encrypted=True, kms_key_id=key_arn,
        backup_retention_period=settings.get("backup_retention_days", 7), preferred_backup_window=BACKUP_WINDOW,
        preferred_maintenance_window=WEEKLY_MAINTENANCE, copy_tags_to_snapshot=True,
        db_subnet_group_name=subnets.name, vpc_security_group_ids=[group.id],
        # A protected database keeps a final snapshot when it is deleted all the same.
        deletion_protection=scope.protect_stateful, skip_final_snapshot=not scope.protect_stateful,
        final_snapshot_identifier=f"{airflow.slug(env)}-final" if scope.protect_stateful else None,
        tags=tags, opts=scope.stateful())
    instances = [
        aws.rds.ClusterInstance(
            f"{name}-database-{index}", cluster_identifier=cluster.id, instance_class="db.serverless",
            engine=aws.rds.EngineType.AURORA_POSTGRESQL, engine_version=cluster.engine_version, publicly_accessible=False,
            db_subnet_group_name=subnets.name, promotion_tier=index, tags=tags, opts=scope.stateful())
        for index in range(settings.get("instances", 1))
    ]
    return cluster, instances


def _broker(scope: ClusterScope, args, group, token: random.RandomPassword, key_arn) -> aws.elasticache.ReplicationGroup:
    name, env, tags, settings = scope.label, scope.env, scope.tags, args.get("broker") or {}
    engine = choice(BrokerEngine, settings.get("engine", BrokerEngine.VALKEY), "FargateAirflowCluster: broker.engine")
    nodes = settings.get("nodes", 1)
    subnets = aws.elasticache.SubnetGroup(f"{name}-broker", subnet_ids=args["subnet_ids"],
                                          description=f"Airflow {env} Celery broker", tags=tags, opts=scope.options())
    return aws.elasticache.ReplicationGroup(
        f"{name}-broker", description=f"Celery broker of Airflow {env}", engine=engine,
        engine_version=settings.get("engine_version", "8.0" if engine == BrokerEngine.VALKEY else "7.1"),
        node_type=settings.get("node_type", "cache.t4g.micro"), num_cache_clusters=nodes,
        automatic_failover_enabled=nodes > 1, multi_az_enabled=nodes > 1, port=airflow.BROKER_PORT,
        transit_encryption_enabled=True, at_rest_encryption_enabled=True, auth_token=token.result,
        kms_key_id=key_arn, subnet_group_name=subnets.name, security_group_ids=[group.id],
        maintenance_window=WEEKLY_MAINTENANCE, apply_immediately=True, tags=tags,
        # It holds the queued tasks.
        opts=scope.stateful())


def _secrets(scope: ClusterScope, randoms: _Randoms, database: aws.rds.Cluster, broker: aws.elasticache.ReplicationGroup,
             key_arn) -> ClusterSecrets:
    values: dict[str, pulumi.Output[str]] = {
        "database-url": pulumi.Output.all(randoms.database.result, database.endpoint).apply(
            lambda v: airflow.database_url(v[0], v[1])),
        "result-backend": pulumi.Output.all(randoms.database.result, database.endpoint).apply(
            lambda v: airflow.result_backend_url(v[0], v[1])),
        "broker-url": pulumi.Output.all(randoms.broker.result, broker.primary_endpoint_address).apply(
            lambda v: airflow.broker_url(v[0], v[1])),
        "fernet-key": randoms.fernet.base64.apply(airflow.fernet_key),
        "jwt-secret": randoms.jwt.hex,
        "api-secret-key": randoms.api.hex,
    }
    variables = dict(airflow.SECRET_VARIABLES)
    if randoms.flower is not None:
        secret_name, variable = airflow.FLOWER_SECRET
        values[secret_name] = randoms.flower.result.apply(airflow.flower_basic_auth)
        variables[secret_name] = variable
    secrets, versions = {}, []
    for secret_name, value in values.items():
        secret = aws.secretsmanager.Secret(
            f"{scope.label}-{secret_name}", name_prefix=f"airflow/{scope.env}/{secret_name}-",
            description=f"{variables[secret_name]} of the Airflow cluster {scope.env}", kms_key_id=key_arn,
            tags=scope.tags, opts=scope.stateful())
        # A URL's version must stay replaceable: a new value is a new version, and the URLs
        # follow the database and broker. The others hold random values that never change.
        protect_version = scope.protect_stateful and secret_name not in airflow.URL_SECRETS
        versions.append(aws.secretsmanager.SecretVersion(
            f"{scope.label}-{secret_name}", secret_id=secret.id, secret_string=pulumi.Output.secret(value),
            opts=scope.options(protect=protect_version)))
        secrets[secret_name] = secret
    return ClusterSecrets(secrets, versions, variables)
