"""saylau: count a referendum or an election from register to certified result."""

__all__ = ["__version__"]

__version__ = "0.1.0"
