"""`python -m wiredesk`: the same as the `wiredesk` command."""

from wiredesk.serve.cli import main

main()
