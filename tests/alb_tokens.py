"""Tokens as an Application Load Balancer signs them (ES256, padded base64url segments, `exp` and
`signer` in the header), and the key resolver the code under test is given. Shared by the tests of
the MWAA sign-in function and of the Fargate api-server's sign-in."""

import base64
import json
import time
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


from airflow_aws import alb_identity

ALB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/airflow-test/50dc6c495c0c9188"
OTHER_ALB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/other/0123456789abcdef"
KID = "4c2a8d57-2f0b-4a8e-9d1c-7e5b3f6a9c10"


def padded_segment(value: Any) -> str:
    """A token segment as the load balancer writes it: base64url WITH `=` padding.

    JSON may end in blanks, so one is added until the length forces padding: every test token
    then carries the quirk in all three segments.
    """
    text = json.dumps(value)
    while len(text) % 3 == 0:
        text += " "
    return base64.urlsafe_b64encode(text.encode()).decode()


def alb_token(key: ec.EllipticCurvePrivateKey, claims: dict[str, Any], *, signer: str = ALB_ARN, kid: str = KID,
              expires_in: int = 120, alg: str = "ES256", claims_expire: bool = True) -> str:
    """A token as the load balancer signs it; `exp` is in the header, and in the claims when the IdP sends it."""
    expires = int(time.time()) + expires_in
    header = {"alg": alg, "kid": kid, "signer": signer, "iss": "https://idp.example.com",
              "client": "alb-client-id", "exp": expires}
    payload = {"sub": "00u1abcd", "iss": "https://idp.example.com", **claims}
    if claims_expire:
        payload["exp"] = expires
    signing_input = f"{padded_segment(header)}.{padded_segment(payload)}"
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    signature = base64.urlsafe_b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()
    return f"{signing_input}.{signature}"


def tampered(token: str, groups: Any = ("airflow-admins",)) -> str:
    """The token with its claims changed (more groups) and the load balancer's signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload))
    claims["groups"] = list(groups)
    return ".".join([header, padded_segment(claims), signature])


class Keys:
    """The key resolver the handler is given: known ids only, and a record of what was asked."""

    def __init__(self, keys: dict[str, ec.EllipticCurvePublicKey]):
        self.keys, self.asked = keys, []

    def __call__(self, kid: str) -> ec.EllipticCurvePublicKey:
        self.asked.append(kid)
        if kid not in self.keys:
            raise alb_identity.Refused(401, "unknown signing key")
        return self.keys[kid]


def pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
