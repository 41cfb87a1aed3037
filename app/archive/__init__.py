"""The session archive: a signed BagIt 1.0 bag, its offline verifier, the room's PAdES seal, retention."""
