"""Lifeboat's terminal shells: the Textual app and the command line.

Importing this package (or ``tui.cli``) does not import textual: headless commands such as
``lifeboat triage`` stay fast and work without a terminal.
"""
