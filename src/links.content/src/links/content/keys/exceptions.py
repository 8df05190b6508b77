"""Why a key could not be used."""


class KeyMissing(Exception):
    """A key file of the site is missing. Keys are made only at site creation or by an explicit, audited
    rotation: a reader never makes a new one (it would call every existing seal invalid).

    :ivar path: the missing file
    """

    def __init__(self, message: str, path=None):
        super().__init__(message)
        self.path = path
