"""Pydantic wire models; names and fields exactly as in the API reference."""
