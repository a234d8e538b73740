"""Monthly cost of a planned stack from a dated price table, per stack and per change."""
