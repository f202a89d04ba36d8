"""Job steps: avatarization, privacy metrics and signal metrics, on datasets from storage."""
