"""The ledger (台账): units, plans, tasks, periods, reports, colours and rankings, stored with SQLAlchemy.

It knows nothing of HTTP: the web app and the command line call its services with a session and an
``Actor`` (who is acting). The tree shows its parts: ``store`` (database, models, the change log and the one
transition function every state change goes through), ``rules`` (pure functions of ``ledger.md``),
``services`` (what changes data), ``views`` (the read models of pages and documents, ``views.figures`` the one
computation of a period's figures) and ``demo``.
"""
