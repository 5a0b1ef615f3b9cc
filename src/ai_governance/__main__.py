from __future__ import annotations

from ai_governance.cli import main

raise SystemExit(main())
