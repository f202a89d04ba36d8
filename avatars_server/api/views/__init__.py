"""Row-to-wire conversion: database rows (and their files) as the API's response models."""
