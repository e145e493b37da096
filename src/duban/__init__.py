"""duban (督办): responsibility-division notices in, a live supervision ledger out.

Layers, each knowing nothing of the ones above it:

- ``duban.plan``    the pure parser: a notice (txt/docx/pdf/html) → a ``duban.plan/1`` ``Plan``.
- ``duban.ledger``  the ledger domain: units, periods, reports, status rules (no HTTP).
- ``duban.web``, ``duban.cli``, ``duban.outputs``  thin adapters on top.
"""

__version__ = "0.1.0"
