"""Extract: event mentions with their actors, weapons, casualties and claims."""

from wiredesk.extract.events import extract_events

__all__ = ["extract_events"]
