"""Opgroeiruimte Live: live, guided dialogue workshops."""

from importlib.metadata import PackageNotFoundError, version

try:
    # The one source of the version is pyproject.toml; installing the project (make, Dockerfile) records it.
    __version__ = version("opgroeiruimte-live")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
