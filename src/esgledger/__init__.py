"""esgledger: an open ESG data ledger and disclosure engine.

The packages follow the flow of the design: ``ingest`` → ``ledger`` → ``calc`` → ``kpi`` →
``checks`` → ``assess`` → ``disclose``, with ``units``, ``catalog`` and ``errors`` shared by
all, and ``cli`` as a thin interface over them. Two small modules serve every package too:
``atomic`` (files that appear whole or not at all) and ``faults`` (the named points where
the fault-injection tests kill a command or fill its disk).
"""

__version__ = "0.1.0"
