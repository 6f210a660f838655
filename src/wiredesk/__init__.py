"""wiredesk: armed-conflict news in, an ACLED-coded incident log with provenance out."""

__version__ = "0.1.0"
