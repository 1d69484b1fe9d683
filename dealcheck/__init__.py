"""dealcheck: stop a company from signing deals it cannot honour."""

__version__ = "0.1.0"
