"""Row-to-wire conversions, one module per entity; routes call them."""
