"""Regenerate templates_docx/<kind>.<version>.docx from the shared parts: python tools/build_templates.py [kind …]."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from doctpl.build.base import to_bytes  # noqa: E402
from doctpl.kind import kinds  # noqa: E402
from doctpl.the_thuc import versions  # noqa: E402


def main(names: list[str]) -> None:
    """Write each template (all of them when no kind is named)."""
    for kind in kinds():
        if not names or kind.id in names:
            for rules in versions():
                path = kind.template_path(rules)
                path.write_bytes(to_bytes(kind.build(rules)))
                print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
