"""Running duban in production: schema state, health, the portable backup, the doctor's checks, logs and
metrics. Nothing here is needed to use the ledger; it is what an intranet's IT staff need to keep it up."""
