"""cppcc_study: CPPCC committee work reports → indicator facts → committee-year panel → reports."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cppcc-study")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
