"""The ORM models and the domain's record specs describe the same fields."""

from __future__ import annotations

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text

from jsd_desk.domain.records import ENTITIES
from jsd_desk.store.models import SYNCED_MODELS

EXPECTED_TYPES = {
    # Text and String are both text columns (Text is a String); codes and refs are bounded.
    "text": (String,), "longtext": (Text,), "code": (String,), "ref": (String,),
    "date": (Date,), "datetime": (DateTime,), "int": (Integer,), "bool": (Boolean,),
}


def test_every_entity_has_a_model_and_no_more() -> None:
    assert set(SYNCED_MODELS) == set(ENTITIES)


def test_columns_follow_the_specs() -> None:
    for name, spec in ENTITIES.items():
        table = SYNCED_MODELS[name].__table__
        assert set(table.columns.keys()) == {"id", "deleted", *spec.fields}, name
        for field, fspec in spec.fields.items():
            column_type = table.columns[field].type
            assert isinstance(column_type, EXPECTED_TYPES[fspec.kind]), (name, field)
            if fspec.kind in ("code", "ref"):
                assert not isinstance(column_type, Text), (name, field)


def test_synced_tables_have_no_unique_or_foreign_key() -> None:
    # An event may arrive before the record it points to (DESIGN §4): nothing may reject it.
    for model in SYNCED_MODELS.values():
        table = model.__table__
        assert not table.foreign_keys, table.name
        uniques = [c for c in table.constraints if c.__class__.__name__ == "UniqueConstraint"]
        assert not uniques, table.name
        assert not [ix for ix in table.indexes if ix.unique], table.name
