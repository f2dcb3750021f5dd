"""Shipped, read-only reference data: metrics, activity types, dimensions (and later factor
editions, frameworks and topics). Each loader reads a file under ``catalog/data`` once.
"""

from esgledger.catalog.activities import ActivityType, activity_type, activity_types
from esgledger.catalog.dimensions import Dimension, dimensions
from esgledger.catalog.metrics import Metric, metric, metrics

__all__ = [
    "ActivityType",
    "Dimension",
    "Metric",
    "activity_type",
    "activity_types",
    "dimensions",
    "metric",
    "metrics",
]
