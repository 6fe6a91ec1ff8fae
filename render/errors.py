"""The one exception the renderer raises on purpose."""


class RenderError(Exception):
    """A build cannot produce a correct site; the message says where and why.

    The CLI prints the message and exits 1 without a Python traceback, so the
    message itself must name the file (and line, cell or key) at fault.
    """
