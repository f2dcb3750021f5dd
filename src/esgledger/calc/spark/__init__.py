"""Apache Spark as the calculation engine, for groups whose activity rows outgrow one machine.

The rows are split by entity and each partition runs the local engine's kernel through Arrow
(``mapInArrow``); the factor library, options and entities travel to the executors with the
task (broadcast once per executor). A run's figures only ever add up per-entity groups, so
the driver replays the partitions' contributions in the local engine's order: the totals are
the same bits as ``esg calc`` without Spark. Needs the ``esgledger[spark]`` extra and Java.
"""
