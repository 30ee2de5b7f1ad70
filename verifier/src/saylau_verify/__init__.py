"""Independent verifier of saylau election records."""
