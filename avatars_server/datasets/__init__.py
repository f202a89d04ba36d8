"""Dataset files: upload receiving, format detection, CSV dialect, column types, conversion,
analysis.

Nothing here touches HTTP. Only ``create.py`` (the upload flow: receive, validate, store and
commit, off the event loop) reaches the database, through ``storage/datasets.py``.
"""
