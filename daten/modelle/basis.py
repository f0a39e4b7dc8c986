"""Deklarative Basis und Versionszähler (optimistische Sperre) aller Modelle."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


class Basis(DeclarativeBase):
    pass


class Versioniert:
    """Mixin: Versionszähler für optimistische Sperren."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805
        return {"version_id_col": cls.version}


