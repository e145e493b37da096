"""One router per resource of ``shared/spec/api.md``."""
