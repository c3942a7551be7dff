"""Compact, read-only wire records and JSON helpers.

A large workspace holds hundreds of thousands of contacts; as plain dicts
(with their nested ``tags``/``notes``/``companies`` lists) each costs about
5 KB. :class:`ContactRecord` stores only the values that vary, in slots, and
renders the Intercom wire dict on demand (``to_dict()``, or item access for
one key), so a contact costs well under 1 KB.

Records are dict-like (``record["id"]``, ``record.get("role")``, iteration
over wire keys, equality with dicts) but immutable once published: time
travel swaps in new records made with :meth:`ContactRecord.replace`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

CONTACT_CUSTOM_KEYS = ("plan", "seats", "nps_score", "beta_tester", "trial_started_at")

# Slots that hold a wire value as is (wire key == slot name).
_CONTACT_SLOTS = (
    "id", "workspace_id", "external_id", "role", "email", "phone", "name", "owner_id",
    "has_hard_bounced", "marked_email_as_spam", "unsubscribed_from_emails",
    "created_at", "updated_at", "signed_up_at", "last_seen_at", "last_replied_at", "last_contacted_at",
    "last_email_opened_at", "browser", "browser_version", "browser_language", "os", "utm_source",
)
_ANDROID = ("android_app_name", "android_app_version", "android_device", "android_os_version",
            "android_sdk_version", "android_last_seen_at")
_IOS = ("ios_app_name", "ios_app_version", "ios_device", "ios_os_version", "ios_sdk_version", "ios_last_seen_at")


def addressable(owner_id: str, kind: str, items: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Intercom's addressable list (``contact.tags``, ``contact.companies``, ...)."""
    return {
        "type": "list",
        "data": [{"type": t, "id": i, "url": u} for t, i, u in items],
        "url": f"/contacts/{owner_id}/{kind}",
        "total_count": len(items),
        "has_more": False,
    }


class ContactRecord(Mapping[str, Any]):
    """One contact, stored compactly and rendered as Intercom's wire dict.

    Slots hold the varying values; ``location`` is a dict shared between
    contacts of the same city, ``custom`` the custom-attribute values in
    :data:`CONTACT_CUSTOM_KEYS` order, ``tag_ids``/``company_ids`` tuples.
    Treat an instance as immutable once it is served.
    """

    __slots__ = (*_CONTACT_SLOTS, "location", "custom", "tag_ids", "company_ids")

    def __init__(self, **values: Any) -> None:
        for name in self.__slots__:
            setattr(self, name, values.pop(name))
        if values:
            raise TypeError(f"unknown contact fields: {', '.join(sorted(values))}")

    # ------------------------------------------------------------ rendering
    def to_dict(self) -> dict[str, Any]:
        """The wire dict (a new dict on every call)."""
        cid = self.id
        return {
            "type": "contact", "id": cid, "workspace_id": self.workspace_id,
            "external_id": self.external_id, "role": self.role, "email": self.email,
            "email_domain": _domain(self.email), "phone": self.phone, "formatted_phone": None,
            "name": self.name, "avatar": {"type": "avatar", "image_url": None}, "owner_id": self.owner_id,
            "social_profiles": {"type": "list", "data": []},
            "has_hard_bounced": self.has_hard_bounced, "marked_email_as_spam": self.marked_email_as_spam,
            "unsubscribed_from_emails": self.unsubscribed_from_emails, "sms_consent": False,
            "unsubscribed_from_sms": False,
            "created_at": self.created_at, "updated_at": self.updated_at, "signed_up_at": self.signed_up_at,
            "last_seen_at": self.last_seen_at, "last_replied_at": self.last_replied_at,
            "last_contacted_at": self.last_contacted_at, "last_email_opened_at": self.last_email_opened_at,
            "last_email_clicked_at": None,
            "language_override": None, "browser": self.browser, "browser_version": self.browser_version,
            "browser_language": self.browser_language, "os": self.os,
            "android_app_name": None, "android_app_version": None, "android_device": None,
            "android_os_version": None, "android_sdk_version": None, "android_last_seen_at": None,
            "ios_app_name": None, "ios_app_version": None, "ios_device": None,
            "ios_os_version": None, "ios_sdk_version": None, "ios_last_seen_at": None,
            "location": dict(self.location),
            "custom_attributes": dict(zip(CONTACT_CUSTOM_KEYS, self.custom)),
            "tags": _contact_tags(self), "notes": addressable(cid, "notes", []),
            "companies": _contact_companies(self),
            "opted_out_subscription_types": addressable(cid, "subscriptions", []),
            "opted_in_subscription_types": addressable(cid, "subscriptions", []),
            "utm_campaign": None, "utm_content": None, "utm_medium": None,
            "utm_source": self.utm_source, "utm_term": None, "referrer": None,
        }

    def replace(self, **changes: Any) -> ContactRecord:
        """A copy with some wire fields changed (``custom_attributes`` takes a dict).

        Raises:
            KeyError: for a field that is not stored (a constant of the wire shape).
        """
        new = ContactRecord.__new__(ContactRecord)
        for name in self.__slots__:
            setattr(new, name, getattr(self, name))
        for key, value in changes.items():
            if key == "custom_attributes":
                new.custom = tuple(value.get(k) for k in CONTACT_CUSTOM_KEYS)
            elif key in self.__slots__:
                setattr(new, key, value)
            else:
                raise KeyError(f"contact field {key!r} cannot be changed")
        return new

    # ------------------------------------------------------- Mapping protocol
    def __getitem__(self, key: str) -> Any:
        getter = _CONTACT_GETTERS.get(key)
        if getter is None:
            raise KeyError(key)
        return getter(self)

    def get(self, key: str, default: Any = None) -> Any:  # faster than Mapping.get
        getter = _CONTACT_GETTERS.get(key)
        return default if getter is None else getter(self)

    def __contains__(self, key: object) -> bool:
        return key in _CONTACT_GETTERS

    def __iter__(self) -> Iterator[str]:
        return iter(_CONTACT_GETTERS)

    def __len__(self) -> int:
        return len(_CONTACT_GETTERS)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ContactRecord):
            return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)
        if isinstance(other, Mapping):
            return self.to_dict() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ContactRecord(id={self.id!r}, role={self.role!r}, updated_at={self.updated_at!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_contact_from_state, (tuple(getattr(self, n) for n in self.__slots__),))


def _contact_from_state(state: tuple[Any, ...]) -> ContactRecord:
    new = ContactRecord.__new__(ContactRecord)
    for name, value in zip(ContactRecord.__slots__, state):
        setattr(new, name, value)
    return new


def _domain(email: str | None) -> str | None:
    return email.rpartition("@")[2] if email else None


def _contact_tags(c: ContactRecord) -> dict[str, Any]:
    return addressable(c.id, "tags", [("tag", t, f"/tags/{t}") for t in c.tag_ids])


def _contact_companies(c: ContactRecord) -> dict[str, Any]:
    return addressable(c.id, "companies", [("company", i, f"/companies/{i}") for i in c.company_ids])


def _const(value: Any) -> Callable[[ContactRecord], Any]:
    return lambda c: value


def _contact_getters() -> dict[str, Callable[[ContactRecord], Any]]:
    stored = {name: (lambda n: lambda c: getattr(c, n))(name) for name in _CONTACT_SLOTS}
    derived: dict[str, Callable[[ContactRecord], Any]] = {
        "type": _const("contact"),
        "email_domain": lambda c: _domain(c.email),
        "formatted_phone": _const(None),
        "avatar": lambda c: {"type": "avatar", "image_url": None},
        "social_profiles": lambda c: {"type": "list", "data": []},
        "sms_consent": _const(False),
        "unsubscribed_from_sms": _const(False),
        "last_email_clicked_at": _const(None),
        "language_override": _const(None),
        "location": lambda c: dict(c.location),
        "custom_attributes": lambda c: dict(zip(CONTACT_CUSTOM_KEYS, c.custom)),
        "tags": _contact_tags,
        "notes": lambda c: addressable(c.id, "notes", []),
        "companies": _contact_companies,
        "opted_out_subscription_types": lambda c: addressable(c.id, "subscriptions", []),
        "opted_in_subscription_types": lambda c: addressable(c.id, "subscriptions", []),
        "utm_campaign": _const(None), "utm_content": _const(None), "utm_medium": _const(None),
        "utm_term": _const(None), "referrer": _const(None),
        **{k: _const(None) for k in _ANDROID + _IOS},
    }
    # wire order, as to_dict() renders it
    order = (
        "type", "id", "workspace_id", "external_id", "role", "email", "email_domain", "phone",
        "formatted_phone", "name", "avatar", "owner_id", "social_profiles", "has_hard_bounced",
        "marked_email_as_spam", "unsubscribed_from_emails", "sms_consent", "unsubscribed_from_sms",
        "created_at", "updated_at", "signed_up_at", "last_seen_at", "last_replied_at", "last_contacted_at",
        "last_email_opened_at", "last_email_clicked_at", "language_override", "browser", "browser_version",
        "browser_language", "os", *_ANDROID, *_IOS, "location", "custom_attributes", "tags", "notes",
        "companies", "opted_out_subscription_types", "opted_in_subscription_types", "utm_campaign",
        "utm_content", "utm_medium", "utm_source", "utm_term", "referrer",
    )
    table = {**stored, **derived}
    assert set(order) == set(table), set(order) ^ set(table)
    return {key: table[key] for key in order}


_CONTACT_GETTERS = _contact_getters()


# ------------------------------------------------------------------- JSON


def plain(obj: Any) -> Any:
    """``obj`` as plain JSON types (compact records rendered), shallowly."""
    to_dict = getattr(obj, "to_dict", None)
    return to_dict() if to_dict is not None else obj


def _json_default(obj: Any) -> Any:
    to_dict = getattr(obj, "to_dict", None)
    if to_dict is None:
        raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")
    return to_dict()


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=_json_default)


def dumps(obj: Any) -> bytes:
    """Compact JSON bytes; compact records are rendered through ``to_dict()``."""
    return _ENCODER.encode(obj).encode()


def dumps_line(obj: Any) -> str:
    """One compact JSON line (no newline), for JSONL files."""
    return _ENCODER.encode(obj)
