"""A bucket only its own account can use, and folder uploads into it: shared by every component with a bucket.

Public access blocked, ACLs off (the bucket owner owns every object), encrypted (with the
customer key when there is one), and a bucket policy that at least refuses requests without TLS.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional

import pulumi
import pulumi_aws as aws

from . import policies
from ._aws_context import child_options


@dataclass(frozen=True)
class PrivateBucket:
    bucket: aws.s3.Bucket
    guards: list[pulumi.Resource]
    """What must exist before anything is written to the bucket: its access block, ownership,
    versioning, encryption and policy (an object written before versioning has no version ID)."""


def tls_only(bucket_arn: pulumi.Output[str]) -> pulumi.Output[str]:
    return bucket_arn.apply(lambda arn: json.dumps(policies.tls_only_bucket_policy(arn)))


def private_bucket(parent: pulumi.Resource, name: str, *, bucket_prefix: str, tags: pulumi.Input[Mapping[str, pulumi.Input[str]]],
                   protect: bool, kms_key_arn: Optional[pulumi.Input[str]] = None, versioned: bool = True,
                   policy: Callable[[pulumi.Output[str]], pulumi.Input[str]] = tls_only,
                   policy_name: str = "tls-only") -> PrivateBucket:
    """The bucket `name` and its guards, each named `name-<what>`; only the bucket itself is protected.

    `policy` builds the bucket policy from the bucket's ARN (default: refuse requests without TLS).
    """
    bucket = aws.s3.Bucket(name, bucket_prefix=bucket_prefix, tags=tags, opts=child_options(parent, protect=protect))
    public_access = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
        ignore_public_acls=True, restrict_public_buckets=True, opts=child_options(parent))
    guards: list[pulumi.Resource] = [
        aws.s3.BucketOwnershipControls(f"{name}-ownership", bucket=bucket.id,
                                       rule={"object_ownership": "BucketOwnerEnforced"}, opts=child_options(parent)),
        public_access,
    ]
    if versioned:
        guards.append(aws.s3.BucketVersioning(f"{name}-versioning", bucket=bucket.id,
                                              versioning_configuration={"status": "Enabled"},
                                              opts=child_options(parent)))
    encryption: aws.s3.BucketServerSideEncryptionConfigurationRuleArgsDict = (
                  {"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": kms_key_arn},
                   "bucket_key_enabled": True} if kms_key_arn
                  else {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}})
    guards.append(aws.s3.BucketServerSideEncryptionConfiguration(f"{name}-encryption", bucket=bucket.id,
                                                                  rules=[encryption], opts=child_options(parent)))
    # A policy applied while the access block is still being created can be refused as public.
    guards.append(aws.s3.BucketPolicy(f"{name}-{policy_name}", bucket=bucket.id, policy=policy(bucket.arn),
                                      opts=child_options(parent, depends_on=[public_access])))
    return PrivateBucket(bucket, guards)


def upload_tree(parent: pulumi.Resource, name: str, target: PrivateBucket, folder: Path, prefix: str) -> None:
    """Upload every file under `folder` to `prefix/...`, one object each, named `name-prefix/path`."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        key = f"{prefix}/{path.relative_to(folder).as_posix()}"
        aws.s3.BucketObjectv2(f"{name}-{key}", bucket=target.bucket.id, key=key, source=pulumi.FileAsset(str(path)),
                              opts=child_options(parent, depends_on=target.guards))
