"""The HTTP adapter: FastAPI routers over the ledger services. Nothing here holds a business rule."""
