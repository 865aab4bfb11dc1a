"""Distributed parameter sweeps on Dask: `python -m xorgrok.sweep SPEC`.

spec (what to run) -> tasks (one per (point, seed), a pure function of its config) -> store (one JSON record
per task, named by the hash of its canonical config, written atomically; reruns skip what is stored) ->
table (tidy CSV/JSON of every cell) -> maps/constants (classification, contours, fitted constants).
"""
