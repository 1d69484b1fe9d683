"""Hypothesis profiles for the property tests of this folder (``test_properties.py``).

* ``ci`` (the default): about 50 examples per test, no deadline, derandomized and without
  the example database, so that a CI run tests the same examples every time;
* ``deep``: 100,000 examples per test, for a run by hand (the command is in
  ``test_properties.py``).

``HYPOTHESIS_PROFILE=deep`` selects the deep profile and ``HYPOTHESIS_MAX_EXAMPLES=N``
overrides the number of examples of either. The profiles are registered here but applied
only to this folder's tests, by ``hardening_support.PROFILE``: loading one globally would
change the settings of every other test module depending on which ran first.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)
settings.register_profile(
    "deep",
    max_examples=100_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)
