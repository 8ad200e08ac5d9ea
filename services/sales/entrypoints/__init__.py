"""Message consumers and the HTTP API."""
