"""Live updates: hub (publish/subscribe), fan-out (event -> fragments per audience), connections (send queues)."""
