"""One router per tag (namespace of the client)."""
