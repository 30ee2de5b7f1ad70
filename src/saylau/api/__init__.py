"""The HTTP side: FastAPI routers over the service layer, problem+json errors, live results. No logic."""

from saylau.api.app import create_app

__all__ = ["create_app"]
