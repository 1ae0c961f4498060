"""Full-text search over sessions, concerns, complaints and action items (FTS5 on SQLite).

Text is folded (lower case, no accents) on both sides, so "securite" finds "sécurité".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text

from jsd_desk.store.projection import fold
from jsd_desk.store.writer import Store

_TOKEN = re.compile(r"\w+", re.UNICODE)


def _like_escape(token: str) -> str:
    return token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Hit:
    entity: str
    entity_id: str


def search(store: Store, query: str, *, entities: tuple[str, ...] = (), limit: int = 200) -> list[Hit]:
    tokens = _TOKEN.findall(fold(query))[:12]
    if not tokens:
        return []
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # Each token as a quoted prefix: user input never reaches FTS5's query syntax.
            match = " ".join('"' + t.replace('"', '""') + '"*' for t in tokens)
            sql = ("SELECT d.entity, d.entity_id FROM search_fts f JOIN search_doc d ON d.id = f.rowid "
                   "WHERE search_fts MATCH :match ORDER BY f.rank LIMIT :limit")
            rows = conn.execute(text(sql), {"match": match, "limit": limit * 4}).all()
        else:
            # "_" is a word character but a LIKE wildcard: escape it, or "_" matches everything.
            clauses = " AND ".join(f"body LIKE :t{i} ESCAPE '\\'" for i in range(len(tokens)))
            params: dict[str, object] = {f"t{i}": "%" + _like_escape(t) + "%"
                                         for i, t in enumerate(tokens)}
            params["limit"] = limit * 4
            rows = conn.execute(text(f"SELECT entity, entity_id FROM search_doc WHERE {clauses} "
                                     "ORDER BY entity, entity_id LIMIT :limit"), params).all()
    hits = [Hit(e, i) for e, i in rows if not entities or e in entities]
    return hits[:limit]
