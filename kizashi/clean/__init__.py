"""Cleaning: boilerplate and repeated passages out, paragraphs and metadata in."""
