"""HTTP layer: dependencies, error mapping and one router per tag."""
