"""studyguide: a strict YAML catalogue of learning resources rendered into a MkDocs site."""

__version__ = "0.1.0"
