"""One module per ``agno-docs`` subcommand: ``HELP``, ``add_arguments(parser)``, ``run(args) -> int``."""
