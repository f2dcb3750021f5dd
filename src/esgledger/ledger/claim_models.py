"""The certificate ids live instrument rows claim: one row per id, the id the key.

GHG Protocol Scope 2 Guidance (2015), ch. 7, Table 7.1, criterion 2: an energy attribute
certificate (EAC, REC, GO, GEC, I-REC…) is the only instrument claiming its generation. The
import checks it, but a check alone sees neither what another writer stores at the same
moment nor, cheaply, the rows of the activity store; this table's key makes the database
refuse a second claim whatever path writes it. It is an index of the live rows' ids (like a
unique index, not a record of its own): voiding a row deletes its claims, un-voiding adds
them again, and it can be rebuilt from the live rows; the audit digests cover the rows.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.catalog.instruments import CERTIFICATE_ID_MAX
from esgledger.ledger.models import Base, BigId


class CertificateClaim(Base):
    """One certificate id and the live activity row (ledger or store) that claims it."""

    __tablename__ = "certificate_claims"

    certificate_id: Mapped[str] = mapped_column(String(CERTIFICATE_ID_MAX), primary_key=True)
    activity_id: Mapped[int] = mapped_column(BigId, index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
