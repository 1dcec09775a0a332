"""Reviewing a whole year's tables: a summary line per table, a results
store, and a review site.  ``perfrules review`` runs it; see
``docs/review.md``."""

from .collect import collect
from .run import Review, review
from .store import QUESTIONS, SCHEMA_VERSION, Store, StoreError, open_store
from .summary import COLUMNS, TableSummary, select

__all__ = ["review", "Review", "TableSummary", "COLUMNS", "select", "collect", "Store", "StoreError",
           "open_store", "QUESTIONS", "SCHEMA_VERSION"]
