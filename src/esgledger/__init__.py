"""esgledger: an open ESG data ledger and disclosure engine.

The packages follow the flow of the design: ``ingest`` → ``ledger`` → ``calc`` → ``kpi`` →
``checks`` → ``assess`` → ``disclose``, with ``units``, ``catalog`` and ``errors`` shared by
all, and ``cli`` as a thin interface over them.
"""

__version__ = "0.1.0"
