"""Security hardening (issue #16) against servers started with `avatars-server serve`:
throttled logins, revoked tokens, private files, the access log and the request limits."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest

from avatars.client import ApiClient
from avatars.exceptions import AuthenticationError, RateLimitError
from avatars.local import LocalServer
from avatars.models import AvatarizationJobCreate, AvatarizationParameters, CreateUser
from tests.conftest import FIXTURES
from tests.factories import Credentials, create_user, logged_in_client, random_name

IRIS = FIXTURES / "iris.csv"


def _cli(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AVATARS_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "avatars_server.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _raw(client: ApiClient) -> httpx.Client:
    """Plain httpx with the client's token: error answers are returned, not raised."""
    return httpx.Client(
        base_url=client.base_url,
        headers={"Authorization": str(client.http.headers["Authorization"])},
        timeout=60,
    )


def _login(server: LocalServer, name: str, password: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{server.base_url}/login",
        data={"username": name, "password": password},
        headers=headers,
        timeout=30,
    )


# -- login throttling -----------------------------------------------------------------------


def test_wrong_passwords_lock_the_account_and_the_client_sees_retry_after(
    local_server: LocalServer, admin_client: ApiClient
) -> None:
    user = create_user(admin_client)
    for _ in range(5):
        assert _login(local_server, user.username, "wrong-password").status_code == 401
    client = ApiClient(base_url=local_server.base_url)
    with pytest.raises(RateLimitError) as caught:
        client.authenticate(user.username, user.password)  # the right password, locked
    error = caught.value
    assert error.status_code == 429
    assert error.retry_after is not None and 1 <= error.retry_after <= 30
    assert re.search(r"Try again in \d+ s \(after 20\d\d-", error.message)
    # Another account is not affected.
    other = create_user(admin_client)
    assert _login(local_server, other.username, other.password).status_code == 200


def test_an_unknown_name_is_answered_like_a_real_one(
    local_server: LocalServer, admin_client: ApiClient
) -> None:
    user = create_user(admin_client)
    real = [_login(local_server, user.username, "wrong") for _ in range(6)]
    unknown_name = random_name("nobody")
    unknown = [_login(local_server, unknown_name, "wrong") for _ in range(6)]
    assert [r.status_code for r in real] == [r.status_code for r in unknown] == [401] * 5 + [429]
    assert real[0].json() == unknown[0].json()
    assert real[-1].headers["retry-after"] == unknown[-1].headers["retry-after"]


@pytest.fixture
def strict_server(tmp_path: Path) -> Iterator[LocalServer]:
    """A server of its own, with 3 failures per address, on a data dir that outlives it."""
    server = LocalServer(tmp_path / "data", env={"AVATARS_LOGIN_MAX_FAILURES_PER_ADDRESS": "3"})
    try:
        yield server
    finally:
        server.stop()


def test_locks_survive_a_restart_and_are_shared_by_server_processes(
    strict_server: LocalServer,
) -> None:
    data_dir = strict_server.data_dir
    sibling = LocalServer(data_dir, password=strict_server.password)
    with strict_server, sibling:
        # Failures on two server processes sharing the database add up.
        victim = "victim-account"
        servers = (strict_server, sibling, strict_server, sibling, strict_server)
        # One address per attempt (uvicorn trusts X-Forwarded-For from 127.0.0.1): only the
        # account's count is at stake here.
        for number, server in enumerate(servers):
            address = {"X-Forwarded-For": f"10.0.0.{number}"}
            assert _login(server, victim, "wrong", **address).status_code == 401
        for server in (strict_server, sibling):
            address = {"X-Forwarded-For": "10.0.1.1"}
            assert _login(server, victim, "wrong", **address).status_code == 429
    with LocalServer(data_dir, password=strict_server.password) as restarted:
        response = _login(restarted, victim, "wrong", **{"X-Forwarded-For": "10.0.2.1"})
        assert response.status_code == 429
        assert int(response.headers["retry-after"]) >= 1


def test_failures_from_one_address_lock_it_for_every_name(strict_server: LocalServer) -> None:
    with strict_server:
        address = {"X-Forwarded-For": "192.0.2.7"}
        for number in range(3):
            assert _login(strict_server, f"guess-{number}", "x", **address).status_code == 401
        locked = _login(strict_server, strict_server.username, strict_server.password, **address)
        assert locked.status_code == 429
        # From another address the admin still logs in.
        assert (
            _login(strict_server, strict_server.username, strict_server.password).status_code == 200
        )


# -- tokens -----------------------------------------------------------------------------------


def _reset_token(server: LocalServer, user_id: uuid.UUID) -> str:
    deadline = time.monotonic() + 10
    pattern = rf"Password reset token for user {user_id}: ([0-9a-f-]{{36}})"
    while time.monotonic() < deadline:
        found = re.findall(pattern, server.logs())
        if found:
            return str(found[-1])
        time.sleep(0.05)
    raise AssertionError("no reset token in the server log")


def test_tokens_have_an_id_and_a_password_reset_revokes_the_earlier_ones(
    local_server: LocalServer, admin_client: ApiClient
) -> None:
    email = f"{random_name()}@example.org"
    created = admin_client.users.create_user(CreateUser(email=email, password="first-password"))
    first = ApiClient(base_url=local_server.base_url)
    first.authenticate(email, "first-password")
    second = ApiClient(base_url=local_server.base_url)
    second.authenticate(email, "first-password")
    tokens = [str(c.http.headers["Authorization"]).removeprefix("Bearer ") for c in (first, second)]
    claims = [jwt.decode(t, options={"verify_signature": False}) for t in tokens]
    assert all(c["jti"] for c in claims) and claims[0]["jti"] != claims[1]["jti"]
    assert all("exp" in c for c in claims)

    anonymous = ApiClient(base_url=local_server.base_url)
    anonymous.forgotten_password(email)
    token = _reset_token(local_server, created.id)
    anonymous.reset_password(email, "second-password", "second-password", token)
    for client in (first, second):
        with pytest.raises(AuthenticationError, match="revoked by a password change"):
            client.users.get_me()
    anonymous.authenticate(email, "second-password")
    assert anonymous.users.get_me().email == email


def test_set_password_command_revokes_tokens(
    local_server: LocalServer, admin_client: ApiClient
) -> None:
    user = create_user(admin_client)
    client = logged_in_client(local_server, user)
    result = _cli(
        local_server.data_dir, "set-password", user.username, "--password-stdin", stdin="new-pw-1\n"
    )
    assert result.returncode == 0, result.stderr
    with pytest.raises(AuthenticationError):
        client.users.get_me()
    logged_in_client(local_server, Credentials(user.username, "new-pw-1")).users.get_me()


# -- files --------------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"
    old = os.umask(0)  # the server inherits it: the widest modes a process can get
    try:
        with LocalServer(data_dir) as server:
            client = server.client()
            dataset = client.datasets.create_dataset(open(IRIS))  # noqa: SIM115
            client.datasets.download_dataset(dataset.id, str(tmp_path / "copy.csv"))
            assert _mode(data_dir) == 0o700
            for name in ("datasets", "tmp"):
                assert _mode(data_dir / name) == 0o700
            for name in ("avatars.db", "avatars.db-wal", "avatars.db-shm", "secret_key"):
                assert _mode(data_dir / name) == 0o600, name
            stored = [p for p in (data_dir / "datasets").rglob("*") if p.is_file()]
            assert stored and all(_mode(p) == 0o600 for p in stored)
            assert all(_mode(p) == 0o700 for p in (data_dir / "datasets").rglob("*") if p.is_dir())
    finally:
        os.umask(old)


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_serve_refuses_a_data_dir_other_accounts_can_write(tmp_path: Path, mode: int) -> None:
    data_dir = tmp_path / "shared"
    data_dir.mkdir()
    data_dir.chmod(mode)
    result = _cli(data_dir, "serve", "--port", "1")
    assert result.returncode == 2
    assert "can be written by other accounts" in result.stderr
    assert f"chmod 700 {data_dir}" in result.stderr
    assert not (data_dir / "avatars.db").exists()


def test_files_of_an_older_version_are_made_private_on_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "old"
    with LocalServer(data_dir) as server:
        server.client().datasets.create_dataset(open(IRIS))  # noqa: SIM115
    stored = next(p for p in (data_dir / "datasets").rglob("*") if p.is_file())
    stored.chmod(0o644)
    stored.parent.chmod(0o755)
    with LocalServer(data_dir):
        assert _mode(stored) == 0o600
        assert _mode(stored.parent) == 0o700


# -- access log ---------------------------------------------------------------------------------


def test_downloads_and_job_creations_are_in_the_access_log(
    local_server: LocalServer, admin_client: ApiClient, tmp_path: Path
) -> None:
    credentials = create_user(admin_client)
    client = logged_in_client(local_server, credentials)
    dataset = client.datasets.create_dataset(open(IRIS))  # noqa: SIM115
    download = client.http.get(f"/datasets/{dataset.id}/download")
    stream = client.http.get(f"/datasets/{dataset.id}/download/stream?filetype=parquet")
    job = client.jobs.create_avatarization_job(
        AvatarizationJobCreate(parameters=AvatarizationParameters(k=5, dataset_id=dataset.id))
    )
    result = _cli(local_server.data_dir, "access-log", "--user", credentials.username, "--csv", "-")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["operation"], r["dataset_id"]) for r in rows] == [
        ("download_dataset", str(dataset.id)),
        ("download_dataset", str(dataset.id)),
        ("create_job", str(dataset.id)),
    ]
    assert rows[0]["request_id"] == download.headers["x-request-id"]
    assert rows[1]["request_id"] == stream.headers["x-request-id"]
    assert rows[2]["job_id"] == str(job.id)
    assert {r["user"] for r in rows} == {credentials.username}
    assert all(r["client_address"] == "127.0.0.1" and r["time"].endswith("Z") for r in rows)
    # Never a value of the data. Compared field by field: a cell such as "5.1" can
    # appear inside a timestamp by chance (":15.168503Z").
    with open(IRIS) as iris:
        cells = {cell for row in csv.reader(iris) for cell in row}
    assert "setosa" not in result.stdout.lower()
    assert cells.isdisjoint(value for row in rows for value in row.values())

    by_dataset = _cli(local_server.data_dir, "access-log", "--dataset", str(dataset.id))
    assert by_dataset.returncode == 0
    assert by_dataset.stdout.count(str(dataset.id)) == 3 and "3 record(s)." in by_dataset.stdout
    future = _cli(local_server.data_dir, "access-log", "--since", "2999-01-01")
    assert future.returncode == 0 and "0 record(s)." in future.stdout
    out = tmp_path / "log.csv"
    to_file = _cli(
        local_server.data_dir, "access-log", "--user", credentials.username, "--csv", str(out)
    )
    assert to_file.returncode == 0 and len(out.read_text().splitlines()) == 4
    unknown = _cli(local_server.data_dir, "access-log", "--user", random_name("ghost"))
    assert unknown.returncode == 1 and "no user named" in unknown.stderr
    bad = _cli(local_server.data_dir, "access-log", "--since", "yesterday")
    assert bad.returncode == 2 and "ISO date" in bad.stderr


# -- limits -------------------------------------------------------------------------------------


def test_a_json_body_over_the_limit_gets_413(local_server: LocalServer) -> None:
    with _raw(local_server.client()) as client:
        big = b'{"parameters": {"k": 5, "dataset_id": "' + b"x" * (1024 * 1024) + b'"}}'
        response = client.post("/jobs", content=big, headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        body = response.json()
        assert (
            "1048576 bytes" in body["message"] and "AVATARS_MAX_JSON_BODY_BYTES" in body["message"]
        )

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            yield b'{"email": "'
            for _ in range(20):
                yield b"y" * 65536
            yield b'"}'

        chunked = httpx.post(
            f"{local_server.base_url}/login/forgotten_password",
            content=chunks(),
            headers={"Content-Type": "application/json"},
        )
        assert chunked.status_code == 413
        assert "AVATARS_MAX_JSON_BODY_BYTES" in chunked.json()["message"]
        assert chunked.headers["x-request-id"]


def test_an_upload_with_too_many_parts_gets_413(local_server: LocalServer) -> None:
    boundary = "b0undary"
    part = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="t.csv"\r\n\r\na\r\n1\r\n'
    )
    body = (part * 1001 + f"--{boundary}--\r\n").encode()
    with _raw(local_server.client()) as client:
        response = client.post(
            "/datasets/stream",
            content=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
    assert response.status_code == 413
    assert "more than 1000 multipart parts" in response.json()["message"]
    assert "AVATARS_MAX_UPLOAD_PARTS" in response.json()["message"]


def test_list_routes_cap_their_page_size(
    local_server: LocalServer, admin_client: ApiClient
) -> None:
    client = logged_in_client(local_server, create_user(admin_client))
    ids = [client.datasets.create_dataset(open(IRIS)).id for _ in range(3)]  # noqa: SIM115
    raw = _raw(client)
    too_many = raw.get("/datasets?limit=1001")
    assert too_many.status_code == 422
    assert "cap of 1000" in too_many.json()["message"]
    assert "AVATARS_MAX_PAGE_SIZE" in too_many.json()["message"]
    first = raw.get("/datasets?limit=2")
    assert [d["id"] for d in first.json()] == [str(i) for i in reversed(ids[1:])]
    assert first.headers["x-next-offset"] == "2"
    assert 'rel="next"' in first.headers["link"] and "offset=2" in first.headers["link"]
    assert "AVATARS_MAX_PAGE_SIZE" in first.headers["x-page-note"]
    rest = raw.get("/datasets?limit=2&offset=2")
    assert [d["id"] for d in rest.json()] == [str(ids[0])]
    assert "link" not in rest.headers
    assert len(client.datasets.find_all_datasets_by_user()) == 3
    assert [d.id for d in client.datasets.find_all_datasets_by_user(limit=1, offset=1)] == [ids[1]]
    for path in ("/jobs?limit=5000", "/users?limit=5000"):
        answer = _raw(admin_client).get(path)
        assert answer.status_code == 422 and "AVATARS_MAX_PAGE_SIZE" in answer.json()["message"]
