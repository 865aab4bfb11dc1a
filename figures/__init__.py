"""One small module per paper figure; `python -m figures NAME` runs one, `python -m figures all` all.

Each module named `fig*` or `xu*` exposes `FIGURE = Figure(...)`; the dispatcher finds them, so adding a
figure never means editing a shared list.
"""
