"""Project exceptions: each message names the file, what was looked at and what was expected."""


class OneClickError(Exception):
    """Base class; the CLI prints these without a traceback."""


class DataFetchError(OneClickError):
    """A raw file could not be found or does not match its published checksum."""


class InvalidInputError(OneClickError):
    """A raw file is missing, unreadable, or its content is not what the analysis expects.

    `problems` holds every problem found (each with file, column, row, value and
    expectation) so callers and tests need not parse the message.
    """

    def __init__(self, message: str, problems: tuple | list = ()):
        super().__init__(message)
        self.problems = tuple(problems)


class ResultsMissingError(OneClickError):
    """A chapter asked for a result that `build-results` has not written."""
