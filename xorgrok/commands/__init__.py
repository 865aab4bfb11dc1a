"""The command registry: every command of the toolkit, its module and a one-line description.

`python -m xorgrok` lists them; `python -m xorgrok NAME ARGS...` runs one. Commands are thin: they parse
arguments, call `xorgrok.experiments` (or `verify`, `report`), and print or write the result.
Modules are named as strings and imported only when a command runs, so listing costs nothing.
"""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Command:
    name: str
    module: str  # importable module with main(argv) -> int
    help: str


COMMANDS: tuple[Command, ...] = (
    Command("verify", "xorgrok.verify.__main__",
            "check the XOR theory's assumptions, lemmas and claims (the main job)"),
    Command("casestudy", "xorgrok.commands.casestudy",
            "the XOR chain per seed: weak net -> U -> f_L after one GD step"),
    Command("bench", "xorgrok.commands.bench", "benchmark: Gram-space engine vs plain autograd GD (Fig. 4a setting)"),
    Command("modular", "xorgrok.commands.modular",
            "FNN -> FNN GrokTransfer vs scratch vs GrokFast on modular arithmetic / parity"),
    Command("grid", "xorgrok.commands.grid",
            "the paper's (init, lr, wd) grids with its selection rule, resumable, shardable"),
    Command("transformer", "xorgrok.commands.transformer",
            "FNN -> Transformer runs: Fig. 8(a)(b), 13, 16 (GrokFast baseline)"),
    Command("mnist", "xorgrok.commands.mnist", "MNIST at init scale 100: GrokTransfer vs scratch (Fig. 14 / 18)"),
    Command("cost", "xorgrok.commands.cost",
            "Table 1: weak + GrokTransfer vs scratch wall-clock, per-epoch cost, FLOPs"),
    Command("gpu-runs", "xorgrok.commands.gpu_runs",
            "the prepared accelerator session: smoke test of every GPU path, then the GPU runs under a budget"),
    Command("report", "xorgrok.report.__main__",
            "measure the paper's claims and write docs/reproduction.md"),
    Command("proofs", "xorgrok.commands.proofs", "sympy re-derivations of the proofs' algebra"),
    Command("sweep", "xorgrok.sweep.__main__", "distributed (Dask) sweeps: tightness maps and hidden constants"),
)


def by_name(name: str) -> Command | None:
    return next((c for c in COMMANDS if c.name == name), None)


def listing() -> str:
    w = max(len(c.name) for c in COMMANDS)
    lines = ["usage: python -m xorgrok COMMAND [ARGS...]   (python -m xorgrok COMMAND --help for its options)", "",
             "commands:"]
    lines += [f"  {c.name:<{w}}  {c.help}" for c in COMMANDS]
    lines += ["", "figures: python -m figures list   (one command per paper figure; plotting only)"]
    return "\n".join(lines)
