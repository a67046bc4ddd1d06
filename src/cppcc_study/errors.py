"""One exception root for the package, so the CLI can tell our errors from bugs."""

from __future__ import annotations

from pathlib import Path


class CppccStudyError(Exception):
    """Base of every error the package raises on purpose (bad input, bad parameters)."""


class InputError(CppccStudyError):
    """A file the user gave cannot be used; the message names the file and the problem."""

    def __init__(self, path: str | Path, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{path}: {problem}")

    def __reduce__(self):  # picklable, so worker processes can report it
        return type(self), (self.path, self.problem)


class ParameterError(CppccStudyError):
    """A parameter or configuration value is invalid."""


class SchemaError(CppccStudyError):
    """A table does not satisfy its data contract."""


class ModelNotEstimable(CppccStudyError):
    """A model cannot be estimated on the data given; the message says why (``zh``: in Chinese)."""

    def __init__(self, message: str, zh: str | None = None):
        super().__init__(message)
        self.zh = zh or message

    def __reduce__(self):
        return type(self), (self.args[0], self.zh)
