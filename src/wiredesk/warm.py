"""Imported by the server that forks the ingest workers (`wiredesk.scale`): it loads the
extractor's lexicons, gazetteer and patterns once, before any worker is forked, so that every
worker starts warm and the workers share those pages instead of each loading its own copy."""

import gc

from wiredesk.pipeline import process
from wiredesk.records import Document

process(Document(id="warm-up", text="Rockets hit a base near Baghdad on Monday."))
# What is loaded now lives as long as the process: the collector need not walk it again (the
# gazetteer alone is millions of objects).
gc.freeze()
