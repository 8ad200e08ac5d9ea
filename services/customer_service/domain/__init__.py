"""Pure business rules: no IO, no framework."""
