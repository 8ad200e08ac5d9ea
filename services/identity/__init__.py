"""The embedded identity provider: people and departmental systems sign in and get short-lived
bearer tokens every service verifies against its published keys. Replaceable by the company's
own OpenID Connect provider (Keycloak, Authentik, Azure AD) through settings alone."""
