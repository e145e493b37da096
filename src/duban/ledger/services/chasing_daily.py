"""The chasing loop inside ``duban serve``: a daemon thread per server process that, every half minute,
runs the day's engine once the time of day in the settings has come (the ``remind_runs`` row of the day
decides which process does it: with ``--workers 4`` or two servers on one PostgreSQL, exactly one), and
delivers pending notices (claimed one by one, so processes never send one twice). It never blocks a
request and never stops the server: an error is logged and tried again at the next tick."""

from __future__ import annotations

import logging
import threading

from duban.ledger.services import chasing, delivery
from duban.ledger.store.db import Database
from duban.settings import Settings

log = logging.getLogger("duban.chasing")


class ChasingWorker(threading.Thread):
    def __init__(self, settings: Settings, database: Database, interval: float = 30.0) -> None:
        super().__init__(name="duban-chasing", daemon=True)
        self.settings = settings
        self.database = database
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.tick()

    def stop(self) -> None:
        self.stopped.set()

    def tick(self) -> chasing.RunResult | None:
        """One round: the day's run if due and nobody has done it, then the deliveries now due."""
        clock = self.settings.clock
        now = clock.now()
        result = None
        try:
            if self.settings.remind_in_serve and now.time() >= self.settings.remind_at:
                with self.database.reader() as session:
                    done = chasing.ran_on(session, now.date())
                if not done:
                    result = chasing.claim_and_run(
                        self.database, now.date(), now, email=bool(self.settings.smtp_host)
                    )
                    if result is not None:
                        log.info("reminder run of %s: %d notices issued", now.date(), len(result.issued))
            delivery.deliver_pending(self.database, self.settings, clock.now())
        except Exception:
            log.exception("chasing round failed; trying again at the next one")
        return result


def start(settings: Settings, database: Database) -> ChasingWorker:
    worker = ChasingWorker(settings, database)
    worker.start()
    return worker
