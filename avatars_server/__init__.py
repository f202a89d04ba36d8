"""The avatars reference server: FastAPI routes over storage, a job runner and the engine.

One place for each kind of code (issue #11); new entities (reports, ...) and job kinds follow it:

- ``api/routes/<tag>.py``: thin routes. A route turns HTTP into calls to storage, the datasets
  package or the runner, and returns a view. No queries, no file work, and no route module
  imports another: what several routes derive from the request (the public base URL, the
  current user, the session) is a dependency in ``api/deps.py``.
- ``api/views/<entity>.py``: row-to-wire conversion (``datasets``, ``jobs``, ``users``): a
  database row in, a response model of ``schemas/`` out.
- ``storage/<entity>.py``: the SQLAlchemy queries of one entity (``datasets``, ``jobs``,
  ``users``); ``storage/tables.py`` the tables; ``storage/files.py`` the durable-file helpers
  (fsync, crash-safe rename, a full disk as a 503).
- ``schemas/<tag>.py``: wire models (pydantic), exported to ``openapi.json``.
- ``datasets/``: dataset files: the multipart receiver, format detection, column types,
  conversion, analysis; ``datasets/create.py`` is the upload flow the routes call.
- ``jobs/``: the runner and its pools, job validation, ``jobs/submit.py`` (record a job and queue
  it; the create routes call it), and ``jobs/steps/<kind>.py`` (one module per job kind: load
  inputs, call the engine, store outputs).
- ``engine/``: pure maths, DataFrames in and out; no fastapi, sqlalchemy or file I/O.

A job kind is: a wire model in ``schemas/``, a validation function, a step module, an engine
module and a route pair.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("avatars")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
