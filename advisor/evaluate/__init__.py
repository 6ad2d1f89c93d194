"""Measure the letters' own effect (issue 19): randomised control group, effect estimate, privacy.

* :mod:`~advisor.evaluate.assignment`: stratified random assignment and the power analysis;
* :mod:`~advisor.evaluate.consumption`: a household's mean daily consumption over a period;
* :mod:`~advisor.evaluate.effect`: ANCOVA / difference-in-differences with a 90 % interval;
* :mod:`~advisor.evaluate.anonymity`: k-anonymous reporting cells;
* :mod:`~advisor.evaluate.run`: ``advisor evaluate RUN_DIR --after INPUT`` (reads and writes).

This package's ``__init__`` imports nothing heavy: :mod:`advisor.batch` uses the assignment and
consumption modules, and :mod:`~advisor.evaluate.run` uses :mod:`advisor.batch`.
"""
