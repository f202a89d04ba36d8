"""Simultaneous uploads all succeed (SQLite writes must not block the event loop)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from avatars.client import ApiClient


def test_simultaneous_uploads_all_succeed(admin_client: ApiClient) -> None:
    frame = pd.DataFrame({"a": range(2000), "b": [f"v{i % 7}" for i in range(2000)]})
    payload = frame.to_csv(index=False).encode()

    def upload(index: int) -> str:
        dataset = admin_client.datasets.create_dataset(payload, name=f"concurrent-{index}")
        return str(dataset.id)

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = list(pool.map(upload, range(12)))
    assert len(set(ids)) == 12
    listed = {str(d.id) for d in admin_client.datasets.find_all_datasets_by_user()}
    assert set(ids) <= listed
