"""Migration scripts (a package only so that packaging tools ship them)."""
