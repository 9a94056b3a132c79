"""Pages of the registry, one module per topic: people, services, contributions, associations."""
