"""Linking: the ontology, gazetteer matching and dates."""
