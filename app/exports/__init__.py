"""Workshop downloads, one module per format. Each takes the same read model (services.rooms)."""
