"""What a list of resource changes means for the people who run the stack: MWAA updates, data loss, outages."""

from dataclasses import dataclass

from .diff import CREATE, DELETE, REPLACE, UPDATE, Change

MWAA = "aws:mwaa/environment:Environment"
OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2"
DATA_LOSS, OUTAGE, DISRUPTION, INFO = "DATA LOSS", "OUTAGE", "disruption", "info"

# Resources whose replacement or deletion loses data or stops Airflow, with what is lost.
STATEFUL: dict[str, tuple[str, str]] = {
    "aws:s3/bucket:Bucket": (DATA_LOSS, "the bucket's objects (DAGs, requirements, plugins, logs) go with it"),
    "aws:kms/key:Key": (DATA_LOSS, "everything encrypted with the key becomes unreadable once its deletion window ends"),
    "aws:cloudwatch/logGroup:LogGroup": (DATA_LOSS, "the logs it holds are deleted"),
    "aws:rds/cluster:Cluster": (DATA_LOSS, "the Airflow metadata database (run history, connections, variables) "
                                           "is deleted; Airflow is down until a new one is migrated"),
    "aws:rds/clusterInstance:ClusterInstance": (OUTAGE, "the database is unavailable until the new instance is up"),
    "aws:elasticache/replicationGroup:ReplicationGroup": (OUTAGE, "the Celery broker is recreated: queued tasks are "
                                                                  "lost and workers stop until it is back"),
    "aws:secretsmanager/secret:Secret": (DATA_LOSS, "the secret's value is deleted after its recovery window"),
    "aws:acm/certificate:Certificate": (OUTAGE, "HTTPS to Airflow fails until a new certificate is issued and "
                                                "validated"),
    MWAA: (OUTAGE, "the environment and its metadata database (run history, connections, variables) are deleted; "
                   "creating a new one takes 20-30 minutes"),
}

MWAA_UPDATE = ("MWAA updates the environment in place: typically 20-40 minutes in UPDATING, during which schedulers, "
               "workers and web servers restart and running tasks may be interrupted")


@dataclass(frozen=True)
class Consequence:
    severity: str  # DATA LOSS, OUTAGE, disruption or info
    resource: str  # type and name of the resource it is about
    text: str


def consequences(changes: list[Change]) -> list[Consequence]:
    """The consequences of a change set, the gravest first."""
    found = [*_stateful(changes), *_mwaa(changes)]
    order = (DATA_LOSS, OUTAGE, DISRUPTION, INFO)
    return sorted(found, key=lambda c: order.index(c.severity))


def _stateful(changes: list[Change]) -> list[Consequence]:
    found = []
    for change in changes:
        if change.action not in (REPLACE, DELETE) or change.type not in STATEFUL:
            continue
        severity, lost = STATEFUL[change.type]
        verb = "replaced (forced by " + ", ".join(change.forced_by) + ")" if change.action == REPLACE else "deleted"
        guard = (" It is protected: `pulumi up` stops here until `protect` is lifted, deliberately."
                 if change.protect else "")
        found.append(Consequence(severity, f"{change.type} {change.name}", f"{verb}: {lost}.{guard}"))
    return found


def _mwaa(changes: list[Change]) -> list[Consequence]:
    environments = [c for c in changes if c.type == MWAA and c.action == UPDATE]
    found = [Consequence(DISRUPTION, f"{MWAA} {c.name}",
                         f"updated because of {', '.join(sorted({p.split('.')[0] for p in c.changed}))}. {MWAA_UPDATE}.")
             for c in environments]
    uploads = [c for c in changes if c.type == OBJECT and c.action in (CREATE, UPDATE, REPLACE, DELETE)]
    touched = any(c.type == MWAA for c in changes)
    if uploads and not touched:
        found.append(Consequence(INFO, "source bucket", f"{len(uploads)} object upload(s) only; the MWAA environment "
                                                        "is untouched (it reads DAGs from the bucket without an update)."))
    return found
