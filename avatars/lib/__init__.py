"""Helpers kept at the import paths of the 0.7.3 client."""
