"""The statuses callers read from the services' HTTP answers, one module per service.

The services' domains use these very enums, so the OpenAPI documents and the JSON Schemas name
the same values. Adding a value is compatible; renaming or removing one is not.
"""
