"""`python -m studyguide.links`: the `studyguide links` command on its own."""

from .command import links

links(prog_name="studyguide links")
