"""The weights stage alone (issue #12): numba kernels vs the NumPy reference, same run.

Usage: ``.venv/bin/python bench/bench_weights.py [--rows 1000000] [--repeats 3]``

The distances are those of the engine bench's avatarization (bench/bench_engine.py's table, its
FAMD coordinates, k = 20 neighbours). Old (tests/unit/engine/weights_reference.py) and new
(avatars_server.engine.weights) runs alternate, each from the same seeded stream; every pair is
checked to give the same bytes and to leave the stream in the same state. Each figure carries the
1-minute load average measured with it (the box may be shared).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from avatars_server.engine.neighbours import neighbours_excluding_self
from avatars_server.engine.random import make_streams
from avatars_server.engine.weights import random_weights
from bench.bench_engine import K, bench_coordinates
from tests.unit.engine import weights_reference


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    dist, _ = neighbours_excluding_self(bench_coordinates(args.rows), K)
    random_weights(dist[:1000], make_streams(0).weights)  # compile (or load the cache) first
    functions = {"numpy": weights_reference.random_weights, "numba": random_weights}
    best = dict.fromkeys(functions, float("inf"))
    for repeat in range(args.repeats):
        digests = {}
        for label, function in functions.items():
            rng = make_streams(repeat).weights
            load = os.getloadavg()[0]
            cpu = time.process_time()
            start = time.perf_counter()
            weights = function(dist, rng)
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu
            best[label] = min(best[label], elapsed)
            state = repr(rng.bit_generator.state).encode()
            digests[label] = hashlib.sha256(weights.tobytes() + state).hexdigest()[:16]
            print(
                f"{label}: {elapsed:.3f} s (cpu {cpu:.3f} s)  load {load:.2f}"
                f"  sha256 {digests[label]}"
            )
            del weights
        assert digests["numpy"] == digests["numba"], "the kernels changed the weights"
    print(f"best of {args.repeats}: " + ", ".join(f"{k} {v:.3f} s" for k, v in best.items()))


if __name__ == "__main__":
    main()
