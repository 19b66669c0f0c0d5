"""The HTTP layer: routers over the services, and the app factory."""
