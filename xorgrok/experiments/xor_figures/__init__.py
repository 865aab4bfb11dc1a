"""The data behind the XOR figures (GrokTransfer §3, App. A.3.2/A.4.2; Xu et al. 2024 App. A.7).

One module per figure family: its FULL (the paper's setting) and QUICK setting dataclasses and its
`compute(setting, seeds, cache, progress)`, which returns the figure's JSON-ready numbers. `python -m figures`
plots them and `python -m xorgrok.report` reads its claims off the same numbers; both hand in one
`RunCache`, so shared runs (weak nets, Xu'24 runs) are trained once per process.
"""
