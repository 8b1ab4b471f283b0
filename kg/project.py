"""Where a project's inputs and outputs live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError


@dataclass(frozen=True)
class Project:
    """A checkout with `ontology/`, `mappings/` and `seeds/`; output goes to `dist/`."""

    root: Path

    @classmethod
    def at(cls, root: Path) -> Project:
        try:
            project = cls(root.resolve())
        except (RuntimeError, OSError) as exc:  # a symbolic link that points to itself
            raise KgError(f"{root} cannot be followed ({exc})") from None
        missing = [name for name in ("ontology", "mappings", "seeds") if not (project.root / name).is_dir()]
        if missing:
            raise KgError(
                f"{root} is not a sovereignty-kg project (no {', '.join(m + '/' for m in missing)}); "
                "run from the project root or pass --root"
            )
        return project

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def mappings(self) -> Path:
        return self.root / "mappings"

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    def display(self, path: Path) -> Path:
        """`path` relative to the project root when inside it, for messages."""
        try:
            return path.resolve().relative_to(self.root)
        except ValueError:
            return path
