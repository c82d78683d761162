"""``python -m threadlib``: the same as the ``threadlib`` command."""

from .cli import main

raise SystemExit(main())
