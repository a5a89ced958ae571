"""Homeward's static site generator: a snapshot of public records in, static country sites out.

Pipeline (Pelican's shape, incremental): ``snapshot`` reads and validates records → ``context``
turns them into view models → ``generator`` plans every output with a fingerprint → ``build``
renders what changed with ``theme`` (Jinja2 + Babel via ``i18n``) → ``writer`` writes the changed
files, the manifest and the state. ``preview`` renders one record for the CMS with the same theme.

It never imports Django and never touches a database: the snapshot is its only input.
"""
