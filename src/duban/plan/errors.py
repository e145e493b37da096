"""The parser's own error type: every refusal is a ``PlanError`` with a message a person can act on."""


class PlanError(Exception):
    """Input the parser refuses (not a notice, corrupt, too large, no text layer…).

    ``message`` is bilingual where it matters: offices read Chinese, logs are often read in English.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
