"""A client's own email templates: one item per kind and locale in the client's template partition."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from orders_api.domain.errors import TooLarge
from orders_api.domain.instants import format_instant
from orders_api.domain.template_sets import TemplateKind, TemplateSet, TemplateView
from orders_api.store import keys
from orders_api.store.attributes import AttributeMap, string_value
from orders_api.store.table import MAX_DOCUMENT_BYTES, TableStore


@dataclass(frozen=True)
class StoredTemplate:
    """A shop's own template as stored, with when it was last written."""

    kind: str
    locale: str
    template: TemplateSet
    updated_at: str

    def view(self) -> TemplateView:
        kind = cast(TemplateKind, self.kind)  # only the three kinds are ever stored
        return TemplateView(kind, self.locale, self.template, False, self.updated_at)


class TemplateStore(TableStore):
    def put(
        self, client_id: str, kind: str, locale: str, template: TemplateSet, now: datetime
    ) -> StoredTemplate:
        """Refuses what would not fit in one item (multi-byte text can pass the character limits)."""
        stored = StoredTemplate(kind, locale, template, format_instant(now))
        document = json.dumps(
            {"subject": template.subject, "text": template.text, "html": template.html}, ensure_ascii=False
        )
        size = len(document.encode("utf-8"))
        if size > MAX_DOCUMENT_BYTES:
            raise TooLarge(
                f"The template would take {size} bytes to store; the limit is {MAX_DOCUMENT_BYTES}."
            )
        self.client.put_item(
            TableName=self.table,
            Item={
                **self._key(client_id, kind, locale),
                "kind": string_value(kind),
                "locale": string_value(locale),
                "template": string_value(document),
                "updated_at": string_value(stored.updated_at),
            },
        )
        return stored

    def get(self, client_id: str, kind: str, locale: str) -> StoredTemplate | None:
        item = self.client.get_item(TableName=self.table, Key=self._key(client_id, kind, locale)).get("Item")
        return _stored(item) if item else None

    def delete(self, client_id: str, kind: str, locale: str) -> None:
        self.client.delete_item(TableName=self.table, Key=self._key(client_id, kind, locale))

    def all(self, client_id: str) -> list[StoredTemplate]:
        """Every template of the client, by kind and locale (at most 3 kinds x the locales it wrote)."""
        items = self.query_items(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues={
                ":pk": string_value(keys.templates_pk(client_id)),
                ":prefix": string_value("TEMPLATE#"),
            },
        )
        return [_stored(item) for item in items]

    def by_kind(self, client_id: str) -> dict[str, dict[str, TemplateSet]]:
        """kind -> locale -> template: what composing an email takes."""
        found: dict[str, dict[str, TemplateSet]] = {}
        for stored in self.all(client_id):
            found.setdefault(stored.kind, {})[stored.locale] = stored.template
        return found

    @staticmethod
    def _key(client_id: str, kind: str, locale: str) -> AttributeMap:
        return {
            "pk": string_value(keys.templates_pk(client_id)),
            "sk": string_value(keys.template_sk(kind, locale)),
        }


def _stored(item: AttributeMap) -> StoredTemplate:
    parts = json.loads(item["template"]["S"])
    return StoredTemplate(
        kind=item["kind"]["S"],
        locale=item["locale"]["S"],
        template=TemplateSet(parts["subject"], parts["text"], parts["html"]),
        updated_at=item["updated_at"]["S"],
    )
