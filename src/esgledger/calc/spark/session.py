"""The Spark session `esg calc --engine spark` runs in, at the master ``ESG_SPARK_MASTER`` names."""

from __future__ import annotations

import os
import sys
from typing import Any

from esgledger.errors import InvalidInput
from esgledger.settings import get_settings

APP_NAME = "esgledger-calc"


def spark_session() -> Any:
    """The active session, or a new one at the configured master; a one-line refusal when
    pyspark or Java is missing (never a JVM traceback)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InvalidInput(
            "--engine spark needs pyspark: pip install 'esgledger[spark]' (and a Java 17+ "
            "runtime), or leave --engine at local"
        ) from None
    # executors on this machine run the same interpreter as the driver (and so esgledger)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        return (
            SparkSession.builder.master(get_settings().spark_master)
            .appName(APP_NAME)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
    except Exception as error:  # py4j/JVM start-up failures carry pages of Java trace
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InvalidInput(
            f"could not start Spark at {get_settings().spark_master!r}: {first} "
            "(is a Java 17+ runtime installed and JAVA_HOME set?)"
        ) from None
