"""The world outside the services, played through their public HTTP APIs only."""
