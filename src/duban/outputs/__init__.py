"""Documents duban produces (workbooks, bulletins): thin writers over the parser's and the ledger's data."""
