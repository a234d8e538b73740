"""Run by test_fargate_sign_in_airflow.py with the Python of an Airflow installation (not the project's):
builds the real api-server app with the sign-in configuration the test wrote, sends /auth/login/ each
token given in the JSON on stdin, and prints what happened as JSON.

Input: {"folder": where the sign-in files are, "key_url": the public key's URL, "pem": the public key,
"requests": {name: token or null}}. The load balancer's key is put in the module's key cache, as if
fetched, so nothing leaves the machine.
"""

import json
import sys


def main() -> None:
    request = json.load(sys.stdin)
    sys.path.insert(0, request["folder"])
    import alb_identity
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    alb_identity._PUBLIC_KEYS[request["key_url"]] = load_pem_public_key(request["pem"].encode())

    from fastapi.testclient import TestClient

    from airflow.api_fastapi.app import create_app, get_auth_manager

    app = create_app()
    answers = {}
    for name, token in request["requests"].items():
        client = TestClient(app, base_url="https://airflow.example.com")
        headers = {"x-amzn-oidc-data": token} if token is not None else {}
        answer = client.get("/auth/login/", params={"next": "https://airflow.example.com/dags"}, headers=headers,
                            follow_redirects=False)
        jwt_token = answer.cookies.get("_token")
        dags = (client.get("/api/v2/dags", headers={"Authorization": f"Bearer {jwt_token}"}).status_code
                if jwt_token else None)
        answers[name] = {"status": answer.status_code, "location": answer.headers.get("location"),
                         "body": answer.text[:500], "token": bool(jwt_token), "dags_status": dags,
                         "cookie": answer.headers.get("set-cookie", "")}
    manager = get_auth_manager().security_manager
    users = {user.username: sorted(role.name for role in user.roles) for user in manager.get_all_users()}
    print(json.dumps({"answers": answers, "users": users,
                      "security_manager": type(manager).__name__}))


if __name__ == "__main__":
    main()
