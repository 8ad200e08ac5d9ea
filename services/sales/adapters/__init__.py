"""Tables and repositories of the sales schema."""
