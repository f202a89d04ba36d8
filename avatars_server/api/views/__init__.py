"""Job and dataset rows as wire models, one module per entity."""
