"""The warehouse service."""
