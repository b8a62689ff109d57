"""The phase tests' parties and register of phases, for the reports' phase tests."""
from tests.phases.conftest import ccnso, ceo, gnso, register  # noqa: F401
