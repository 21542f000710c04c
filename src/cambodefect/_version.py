"""The package version (the dataset versions are separate: see ``cambodefect.versions()``)."""

__version__ = "0.1.0"
