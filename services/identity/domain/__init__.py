"""The identity provider's rules: who may be a user, which passwords are refused, what a token
says, how refresh tokens rotate and how repeated wrong passwords slow down. Pure."""
