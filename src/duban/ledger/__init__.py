"""The ledger (台账): units, plans, tasks, periods, reports, colours and rankings, stored with SQLAlchemy.

It knows nothing of HTTP: the web app and the command line call its services with a session and an
``Actor`` (who is acting). The rules themselves live in ``status`` as pure functions; everything that
changes data writes to the append-only change log (``changelog``).
"""
