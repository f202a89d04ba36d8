"""Dataset files: format detection, CSV dialect, column types, conversion, analysis.

Nothing here touches the database or HTTP; storage/datasets.py and the routes call in.
"""
