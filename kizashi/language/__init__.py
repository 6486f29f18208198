"""Japanese language layer: sentences, GiNZA analysis, and accessors over its tokens."""
