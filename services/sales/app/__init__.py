"""Use cases of the sales desk."""
