"""A little of protobuf's wire format and of gRPC-Web, enough for a stub to answer a gRPC-Web client.

Kubeflow Pipelines' UI reads ML Metadata (MLMD) through gRPC-Web: it POSTs a protobuf request to
``/ml_metadata.MetadataStoreService/<Method>`` and decodes a protobuf answer. This module writes
and reads the wire format directly (no generated code, no protobuf package), so the stub needs
only the field numbers of the messages it answers, which ``screenkit.apps.pipelines`` keeps.

* ``Message`` builds a message: ``Message().int(1, 7).string(3, "x").message(4, other)``;
  ``encode()`` gives its bytes.
* ``decode(data)`` reads a message into ``{field number: [values]}`` (varints as ints,
  length-delimited fields as bytes); ``unpacked_ints`` reads a repeated int64 field, packed or not.
* ``frame_response(message)`` wraps an answer as gRPC-Web does: a data frame, then a trailer frame
  with ``grpc-status``; ``error_response`` is a trailer-only answer with a status and message.
  ``read_request(body, content_type)`` undoes the request framing (binary or ``-text`` base64).
"""

from __future__ import annotations

import base64
import struct
from urllib.parse import quote

GRPC_WEB_TEXT = "application/grpc-web-text"
GRPC_WEB_PROTO = "application/grpc-web+proto"
NOT_FOUND, INTERNAL = 5, 13  # gRPC status codes

_VARINT, _FIXED64, _BYTES, _FIXED32 = 0, 1, 2, 5


def _varint(value: int) -> bytes:
    if value < 0:
        value += 1 << 64  # int64 negatives are ten-byte varints
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _key(number: int, wire: int) -> bytes:
    return _varint(number << 3 | wire)


class Message:
    """A protobuf message under construction; fields keep the order they are added in."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def int(self, number: int, value: int | None) -> "Message":
        if value is not None:
            self._parts.append(_key(number, _VARINT) + _varint(int(value)))
        return self

    def bool(self, number: int, value: bool | None) -> "Message":
        return self.int(number, None if value is None else int(bool(value)))

    def double(self, number: int, value: float | None) -> "Message":
        if value is not None:
            self._parts.append(_key(number, _FIXED64) + struct.pack("<d", float(value)))
        return self

    def bytes(self, number: int, value: bytes | None) -> "Message":
        if value is not None:
            self._parts.append(_key(number, _BYTES) + _varint(len(value)) + value)
        return self

    def string(self, number: int, value: str | None) -> "Message":
        return self.bytes(number, None if value is None else value.encode("utf-8"))

    def message(self, number: int, value: "Message | None") -> "Message":
        return self.bytes(number, None if value is None else value.encode())

    def messages(self, number: int, values) -> "Message":
        for value in values:
            self.message(number, value)
        return self

    def map_entry(self, number: int, key: str, value: "Message") -> "Message":
        """One entry of a ``map<string, Message>`` field (key 1, value 2)."""
        return self.message(number, Message().string(1, key).message(2, value))

    def encode(self) -> bytes:
        return b"".join(self._parts)


class DecodeError(ValueError):
    """The bytes are not a protobuf message."""


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        if at >= len(data):
            raise DecodeError("truncated varint")
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, at
        shift += 7
        if shift > 70:
            raise DecodeError("varint too long")


def decode(data: bytes) -> dict[int, list]:
    """``{field number: [values]}``; varints are ints, length-delimited values are bytes."""
    fields: dict[int, list] = {}
    at = 0
    while at < len(data):
        key, at = _read_varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            value, at = _read_varint(data, at)
        elif wire == _BYTES:
            size, at = _read_varint(data, at)
            if at + size > len(data):
                raise DecodeError("truncated field")
            value, at = data[at:at + size], at + size
        elif wire == _FIXED64:
            value, at = data[at:at + 8], at + 8
        elif wire == _FIXED32:
            value, at = data[at:at + 4], at + 4
        else:
            raise DecodeError(f"wire type {wire} is not supported")
        fields.setdefault(number, []).append(value)
    return fields


def first_string(fields: dict[int, list], number: int, default: str = "") -> str:
    values = fields.get(number) or []
    return values[0].decode("utf-8") if values else default


def first_int(fields: dict[int, list], number: int, default: int = 0) -> int:
    values = fields.get(number) or []
    return values[0] if values and isinstance(values[0], int) else default


def unpacked_ints(fields: dict[int, list], number: int) -> list[int]:
    """A repeated int64 field, whether the client packed it (one bytes value) or not."""
    out: list[int] = []
    for value in fields.get(number) or []:
        if isinstance(value, int):
            out.append(value)
            continue
        at = 0
        while at < len(value):
            item, at = _read_varint(value, at)
            out.append(item)
    return out


def read_request(body: bytes, content_type: str) -> bytes:
    """The protobuf bytes of a gRPC-Web request (``-text`` bodies are base64)."""
    raw = base64.b64decode(body) if content_type.startswith(GRPC_WEB_TEXT) else body
    if len(raw) < 5:
        return b""  # an empty request message may be sent as an empty frame
    flag, size = raw[0], struct.unpack(">I", raw[1:5])[0]
    if flag & 0x80 or 5 + size > len(raw):
        raise DecodeError("not a gRPC-Web data frame")
    return raw[5:5 + size]


def _frame(flag: int, payload: bytes) -> bytes:
    return bytes([flag]) + struct.pack(">I", len(payload)) + payload


def _trailer(status: int, message: str = "") -> bytes:
    text = f"grpc-status:{status}\r\n"
    if message:
        text += f"grpc-message:{quote(message)}\r\n"
    return _frame(0x80, text.encode("ascii"))


def frame_response(message: Message | bytes, text: bool = True) -> tuple[bytes, str]:
    """(body, content type) of a successful answer."""
    payload = message.encode() if isinstance(message, Message) else message
    body = _frame(0, payload) + _trailer(0)
    return (base64.b64encode(body), GRPC_WEB_TEXT) if text else (body, GRPC_WEB_PROTO)


def error_response(status: int, message: str, text: bool = True) -> tuple[bytes, str]:
    """(body, content type) of a failed call: only the trailer, with the status and message."""
    body = _trailer(status, message)
    return (base64.b64encode(body), GRPC_WEB_TEXT) if text else (body, GRPC_WEB_PROTO)
