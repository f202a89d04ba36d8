"""Row → wire conversions, one module per entity."""
