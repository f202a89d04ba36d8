"""Error mapping: status → exception class, message extraction, str() format, request id."""

import json
import pickle

import httpx
import pytest

from avatars import exceptions as exc
from avatars.exceptions import status_error_from_response


def _error(status: int, body: object = None, *, raw: bytes | None = None, headers=None):
    content = raw if raw is not None else json.dumps(body).encode()
    return status_error_from_response("post", "/jobs", status, content, headers or {})


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, exc.BadRequestError),
        (401, exc.AuthenticationError),
        (403, exc.PermissionDeniedError),
        (404, exc.NotFoundError),
        (409, exc.ConflictError),
        (413, exc.FileTooLarge),
        (422, exc.UnprocessableEntityError),
        (429, exc.RateLimitError),
        (500, exc.InternalServerError),
        (502, exc.InternalServerError),
        (503, exc.InternalServerError),
        (599, exc.InternalServerError),
        (405, exc.APIStatusError),
        (418, exc.APIStatusError),
        (302, exc.APIStatusError),
    ],
)
def test_status_maps_to_its_class(status: int, cls: type[exc.APIStatusError]) -> None:
    error = _error(status, {"message": "m", "detail": None})
    assert type(error) is cls
    assert error.status_code == status
    assert isinstance(error, exc.AvatarsError)


def test_str_has_method_path_status_and_message() -> None:
    error = _error(422, {"message": "parameters.k: Field required.", "detail": []})
    assert str(error) == (
        "Got error in HTTP request: POST /jobs. Error status 422 - parameters.k: Field required."
    )
    assert error.method == "POST"


def test_str_shows_only_the_path_of_a_full_url() -> None:
    error = status_error_from_response(
        "GET", "http://127.0.0.1:8000/datasets/1?token=secret", 404, b"{}", {}
    )
    assert str(error).startswith("Got error in HTTP request: GET /datasets/1. Error status 404")
    assert error.url == "http://127.0.0.1:8000/datasets/1?token=secret"


def test_top_level_message_wins_and_detail_is_kept() -> None:
    body = {"message": "Dataset not found.", "detail": {"dataset_id": "abc"}}
    error = _error(404, body)
    assert error.message == "Dataset not found."
    assert error.detail == {"dataset_id": "abc"}


def test_fastapi_validation_detail_gives_loc_and_msg() -> None:
    detail = [
        {"loc": ["body", "parameters", "k"], "msg": "Field required", "type": "missing"},
        {"loc": ["body", "parameters", "ncp"], "msg": "Input should be > 0", "type": "gt"},
    ]
    error = _error(422, {"detail": detail})
    assert error.message == "body.parameters.k: Field required (and 1 more problem)"
    assert error.detail == detail


def test_validation_detail_without_loc_gives_msg() -> None:
    error = _error(422, {"detail": [{"msg": "Bad value", "type": "x"}]})
    assert error.message == "Bad value"


def test_string_detail_is_the_message() -> None:
    error = _error(401, {"detail": "Not authenticated"})
    assert error.message == "Not authenticated"
    assert error.detail == "Not authenticated"


def test_empty_message_falls_back_to_detail() -> None:
    error = _error(409, {"message": "  ", "detail": "Job is not finished."})
    assert error.message == "Job is not finished."


def test_plain_text_body_is_the_message() -> None:
    error = _error(500, raw=b"Internal Server Error")
    assert error.message == "Internal Server Error"
    assert error.detail is None


def test_long_raw_body_is_truncated() -> None:
    error = _error(502, raw=b"<html>" + b"x" * 5000 + b"</html>")
    assert len(error.message) == 501
    assert error.message.endswith("…")


def test_json_without_message_or_detail_gives_raw_text() -> None:
    error = _error(400, {"error": "bad"})
    assert error.message == '{"error": "bad"}'


def test_empty_body_gives_reason_phrase() -> None:
    assert _error(503, raw=b"").message == "Service Unavailable"
    assert _error(599, raw=b"").message == "Unknown error"


def test_undecodable_body_does_not_raise() -> None:
    error = _error(500, raw=b"\xff\xfe oops")
    assert "oops" in error.message


def test_request_id_is_read_case_insensitively() -> None:
    assert _error(500, {}, headers={"x-request-id": "r-1"}).request_id == "r-1"
    assert _error(500, {}, headers={"X-Request-ID": "r-2"}).request_id == "r-2"
    assert _error(500, {}, headers=httpx.Headers({"X-REQUEST-ID": "r-3"})).request_id == "r-3"
    assert _error(500, {}).request_id is None


def test_status_error_pickles() -> None:
    error = _error(404, {"message": "gone", "detail": None}, headers={"X-Request-ID": "r"})
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is exc.NotFoundError
    assert (copy.status_code, copy.message, copy.request_id) == (404, "gone", "r")
    assert str(copy) == str(error)


def test_connection_errors() -> None:
    error = exc.APITimeoutError(method="GET", url="http://h/health")
    assert isinstance(error, exc.APIConnectionError)
    assert str(error) == "Request timed out. (GET http://h/health)"
    assert str(exc.APIConnectionError()) == "Connection error."


def test_job_failed_error_carries_reason_and_job() -> None:
    job = object()
    error = exc.JobFailedError("j1", "Column 'x' cannot be projected.", job, "failure")
    assert (error.job_id, error.reason, error.job) == ("j1", "Column 'x' cannot be projected.", job)
    assert str(error) == "Job j1 ended with status failure: Column 'x' cannot be projected."
    assert str(exc.JobFailedError("j1", None)) == "Job j1 failed: the server gave no reason."


def test_job_timeout_error_says_how_to_resume() -> None:
    error = exc.JobTimeoutError("j1", 10.0, "started")
    assert error.waited == 10.0
    assert error.last_status == "started"
    assert "within 10.0 s (last status: started)" in str(error)
    assert "client.jobs.wait('j1')" in str(error)
    assert "client.jobs.cancel_job('j1')" in str(error)
    assert exc.Timeout is exc.JobTimeoutError


def test_invalid_file_type_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="parquet"):
        raise exc.InvalidFileType("Cannot write parquet into a text buffer.")


def test_all_names_exist() -> None:
    for name in exc.__all__:
        assert hasattr(exc, name)
