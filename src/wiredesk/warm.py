"""Imported by the server that forks the ingest workers (`wiredesk.scale`): it loads the
extractor's lexicons, gazetteer and patterns once, before any worker is forked, so that every
worker starts warm and the workers share those pages instead of each loading its own copy."""

from wiredesk.scale import warm

warm()
