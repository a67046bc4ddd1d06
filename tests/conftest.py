"""Fixtures shared by several test modules."""

# the pipeline tests' project folder and faked stages (tests/pipeline_fakes.py)
from pipeline_fakes import calls, project  # noqa: F401
