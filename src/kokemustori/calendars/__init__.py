"""Each person's calendar feed: a secret, revocable address that calendar apps subscribe to,
carrying the assignments, planning meetings and debriefs of the person's agreements."""
