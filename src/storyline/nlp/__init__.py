"""Per-article language understanding: each module takes values and returns values."""
