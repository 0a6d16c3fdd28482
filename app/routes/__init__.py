"""HTTP and WebSocket routes, grouped by audience. Thin: parse, call a service, publish, render."""
