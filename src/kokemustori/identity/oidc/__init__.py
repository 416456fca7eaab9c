"""allauth's OpenID Connect provider, used as it is except that the ID token's signature is
always checked against the provider's published keys (allauth skips the check when the token
came straight from the token endpoint; we check it anyway, so a forged token is refused
whatever the transport)."""
