"""Reports: the content of a report (a pure model), its build, renderers and verification."""
