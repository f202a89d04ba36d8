"""The kernels' disk cache follows changes to the functions they call from other modules.

numba alone checks a cached kernel against its own module only: a kernel compiled with another
module's jitted function kept that function's old code after the other module changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from avatars_server.engine import jit

CALLEE = """
from avatars_server.engine.jit import jit


@jit(inline={inline})
def scale(x: float) -> float:
    return x * {factor}
"""

CALLER = """
from avatars_server.engine.jit import jit
from avatars_server.engine.probe_callee import scale


@jit()
def kernel(x: float) -> float:
    return scale(x) + 1.0
"""


def _package(root: Path) -> Path:
    """A copy of the server's ``jit`` module in a package of its own, with a caller and a
    callee in two modules."""
    engine = root / "avatars_server" / "engine"
    engine.mkdir(parents=True)
    (root / "avatars_server" / "__init__.py").write_text("")
    (engine / "__init__.py").write_text("")
    shutil.copy(jit.__file__, engine / "jit.py")
    (engine / "probe_caller.py").write_text(CALLER)
    return engine


def _run(root: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("NUMBA_CACHE_DIR", None)
    code = "from avatars_server.engine.probe_caller import kernel; print(kernel(2.0))"
    # From the copy's directory: ``python -c`` puts the working directory first on the path.
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_a_change_in_a_called_module_recompiles_the_cached_kernel(tmp_path: Path) -> None:
    for inline in (False, True):
        root = tmp_path / f"inline_{inline}"
        engine = _package(root)
        (engine / "probe_callee.py").write_text(CALLEE.format(inline=inline, factor=1.0))
        assert _run(root) == "3.0"
        assert any(engine.glob("__pycache__/probe_caller.kernel-*.nbi"))  # cached on disk
        assert _run(root) == "3.0"  # from the cache
        # Only the callee's module changes: the caller's cached kernel must not be reused.
        (engine / "probe_callee.py").write_text(CALLEE.format(inline=inline, factor=3.0))
        assert _run(root) == "7.0"


def test_the_digest_covers_the_kernel_packages_only(tmp_path: Path) -> None:
    for name in ("engine", "datasets", "api"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "module.py").write_text("A = 1\n")
    before = jit.sources_digest(tmp_path)
    (tmp_path / "api" / "module.py").write_text("A = 2\n")
    assert jit.sources_digest(tmp_path) == before
    for name in ("engine", "datasets"):
        (tmp_path / name / "module.py").write_text("A = 3\n")
        assert jit.sources_digest(tmp_path) != before
        before = jit.sources_digest(tmp_path)


def test_straight_line_vectorization_is_on_unless_the_user_says_otherwise() -> None:
    """The kNN walk's wide-node bounds need LLVM's SLP vectorizer (off in numba by default); a
    user's ``NUMBA_SLP_VECTORIZE`` wins, and the cache stamp tells the two builds apart."""
    code = (
        "import numba; from numba.core import caching; import avatars_server.engine.jit; "
        "impl = getattr(caching, 'CacheImpl', None) or caching._CacheImpl; "
        "print(numba.config.SLP_VECTORIZE, impl._locator_classes[0].get_source_stamp(None))"
    )
    outputs = []
    for setting in (None, "0"):
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_SLP_VECTORIZE"}
        if setting is not None:
            env["NUMBA_SLP_VECTORIZE"] = setting
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(done.stdout.split())
    (on, on_stamp), (off, off_stamp) = outputs
    assert (on, off) == ("1", "0")
    assert on_stamp.startswith(jit.SOURCES_DIGEST) and on_stamp != off_stamp
