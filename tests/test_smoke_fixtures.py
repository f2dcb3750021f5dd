from esgledger.ledger import audit


def test_workspace_is_migrated_and_chain_starts(db):
    assert "activity_records" in db.table_names()
    with db.read() as session:
        assert audit.verify(session).ok
