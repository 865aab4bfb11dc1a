"""The expensive shared computations of a GrokTransfer verification, each done once and cached.

Two modes, reported side by side:
- theorem mode: U is the weak net trained on seed `seed`'s data; every one of `seeds` runs draws FRESH
  training data (independent of U) and a fresh target initialisation. This is Theorem 3.2's probability
  space ("over the generation of the training data and initial weights of f_L", U given), and it is what
  the proof's Hoeffding steps (Lemmas A.2, A.3) assume. The test set is one set of `test_size` fresh
  points, independent of every run, so each run's test error is an unbiased estimate with an exact CI.
- synthetic U (`u = "synthetic"`): U = [S; delta] built from (n, p, eps, C) alone (xorgrok.theory.synthetic_u:
  three distinct features, ||delta||_F at 90% of (A2)'s bound), so the hypotheses on U hold by construction;
  theorem mode only (there is no weak net to run a pipeline with).
- pipeline mode: GrokTransfer as a method: the weak net is trained on the target's own training data
  (`pipeline_seeds` runs). Then U depends on the training points, which the proof does not cover.
U is used in the theorem's normalisation (each neuron's signal part scaled to norm sqrt 2, the core's
theory.target_form.normalize_signal); embedded points come from the core's streamed projection, never as n x p.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch
from tqdm.auto import tqdm

from xorgrok.core.errors import Diverged
from xorgrok.core.seeding import derive
from xorgrok.data.xor import project_hypercube
from xorgrok.experiments.xor import XorWeakConfig, train_weak
from xorgrok.models.target import TargetConfig, init_target
from xorgrok.theory import claims, lemmas, onestep, synthetic_u
from xorgrok.verify.params import GTParams


@dataclasses.dataclass
class Weak:
    seed: int
    emb: lemmas.Embedding
    a: np.ndarray  # weak net's second layer (raw)
    scales: np.ndarray
    learned: list
    r_W: float
    x_train: torch.Tensor  # (n, p) float32, the weak net's (and in pipeline mode the target's) training set
    y_train: np.ndarray
    cluster_train: np.ndarray


@dataclasses.dataclass
class Run:
    """One target run: data (embedded), initialisation, one step, and the events on it."""

    seed: int
    mode: str
    res: claims.OneStepResult
    dev_train: lemmas.DeviationEvent
    dev_test: lemmas.DeviationEvent
    act: lemmas.ActivationEvent
    counts: lemmas.CountEvent
    init: lemmas.InitFacts
    neurons: claims.NeuronFacts | None
    core: onestep.CoreEvent  # fresh points inside the G_data radius: errors after one step
    eq20: onestep.Eq20Facts | None  # the [1, -1, 1] neurons' move (None: U is not three distinct features)
    degenerate: bool  # U is not three distinct features (gt-pre-features fails for this run's U)

    @property
    def events_hold(self) -> bool:
        """The run's own events the proof conditions on: G_data on the training points, Lemma A.1, A.4."""
        return self.dev_train.holds and self.act.holds and self.counts.holds


class GTContext:
    """`cache` may be shared between contexts that differ only in target parameters (sweeps over m,
    v_init, alpha, C): weak nets and fresh projections are keyed by what they depend on."""

    def __init__(self, prm: GTParams, progress: bool = True, cache: dict | None = None) -> None:
        self.prm = prm
        self.progress = progress
        self.cache = cache if cache is not None else {}
        self.local: dict = {}

    # ------------------------------------------------------------------ weak nets
    def weak(self, seed: int) -> Weak:
        P = self.prm
        if P.u == "synthetic":  # one U for every seed: it depends on (n, p, eps, C) only, never on data
            key: tuple = ("synthetic-u", P.n, P.p, P.eps, P.C)
            if key not in self.cache:
                self.cache[key] = self._synthetic_weak(seed)
            return self.cache[key]
        key = ("weak", P.n, P.p, P.eps, P.weak_steps, seed)
        if key not in self.cache:
            self.cache[key] = self._train_weak(seed)
        return self.cache[key]

    def _synthetic_weak(self, seed: int) -> Weak:
        P = self.prm
        emb = lemmas.normalise_embedding(synthetic_u.theorem_u(P.n, P.p, P.eps, P.C))
        learned = [tuple(int(v) for v in c) for c in emb.S.T]
        # no weak net was trained: its second layer, norm ratio and training set do not exist
        return Weak(seed, emb, np.full(3, np.nan), emb.scales, learned, float("nan"),
                    torch.empty(0, P.p), np.empty(0), np.empty(0, dtype=np.int64))

    def _train_weak(self, seed: int) -> Weak:
        P = self.prm
        wr = train_weak(XorWeakConfig(n=P.n, p=P.p, eps=P.eps, steps=P.weak_steps, n_test=1, n_eval=1000,
                                   seed=seed))
        if wr.history.diverged_at is not None:  # every check downstream would read NaN: say where it blew up
            raise Diverged(wr.history.diverged_at, f"weak net {wr.history.diverged_quantity}",
                           f"no check can be read at n={P.n}, p={P.p}, eps={P.eps:g}; lower --eps")
        emb = lemmas.normalise_embedding(wr.U.double().numpy())
        return Weak(seed, emb, wr.a.double().numpy(), emb.scales, wr.learned, wr.r_W, wr.train.x,
                    wr.train.y.double().numpy(), wr.train.cluster.numpy())

    def U(self, seed: int) -> torch.Tensor:
        return torch.from_numpy(self.weak(seed).emb.U)

    def fresh(self, seed: int, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`size` fresh points embedded by weak net `seed`'s normalised U: (z, y, cluster)."""
        P = self.prm
        key = ("fresh", P.n, P.p, P.eps, P.weak_steps, seed, size)
        if key not in self.cache:
            pr = project_hypercube(self.U(seed), size, P.eps, derive(seed, "verify", "fresh", size))
            self.cache[key] = (pr.z.numpy(), pr.y.numpy(), pr.cluster.numpy())
        return self.cache[key]

    def weak_test_acc(self, seed: int) -> tuple[int, int]:
        """The weak net's own accuracy on the fresh points: relu(z_raw) a = relu(z_norm) (s * a)."""
        w = self.weak(seed)
        z, y, _ = self.fresh(seed, self.prm.test_size if seed == self.prm.seed else self.prm.pipeline_test)
        f = np.maximum(z, 0) @ (w.scales * w.a)
        return int((np.sign(f) == y).sum()), len(y)

    # ------------------------------------------------------------------ target runs
    def _run(self, seed: int, mode: str, z: np.ndarray, y: np.ndarray, cluster: np.ndarray, emb, z_test,
             y_test, c_test) -> Run:
        P = self.prm
        U = torch.from_numpy(emb.U)
        tp = init_target(U, TargetConfig(m=P.width, v_init=P.v_init), derive(seed, "verify", "target", mode))
        a, V0 = tp.a.numpy(), tp.V.numpy()
        res = claims.one_step(z, y, a, V0, P.alpha, z_test, y_test, c_test, emb.S)
        thr = lemmas.deviation_threshold(P.n, P.p, P.eps, P.log_base)
        frame = claims.paper_frame(emb.S)
        nf = None if frame is None else claims.neuron_facts(V0, res.V1, a, frame, P.v_init, P.alpha, P.n,
                                                            P.log_base)
        e20 = None if frame is None else onestep.eq20_facts(V0, res.V1, a, frame, P.alpha, P.n, P.log_base)
        core = onestep.core_event(res.V1, a, z_test, y_test, c_test, emb.S, thr)
        return Run(seed, mode, res,
                   lemmas.deviation_event(z, lemmas.zbar(emb.S, cluster), thr),
                   lemmas.deviation_event(z_test, lemmas.zbar(emb.S, c_test), thr),
                   lemmas.activation_event(z, cluster, emb.S, P.log_base),
                   lemmas.count_event(a, V0, cluster, P.log_base),
                   lemmas.init_facts(a, V0, z, y, P.v_init, P.log_base), nf, core, e20,
                   frame is None or not emb.distinct_features)

    def theorem_runs(self) -> list[Run]:
        return self._memo("theorem_runs", self._theorem_runs)

    def pipeline_runs(self) -> list[Run]:
        return self._memo("pipeline_runs", self._pipeline_runs)

    def count_events(self) -> list[lemmas.CountEvent]:
        return self._memo("count_events", self._count_events)

    def _memo(self, name: str, fn):
        """Per-context results (they depend on every parameter, so they are not shared across contexts)."""
        if name not in self.local:
            self.local[name] = fn()
        return self.local[name]

    def _theorem_runs(self) -> list[Run]:
        P = self.prm
        base = self.weak(P.seed)
        z_t, y_t, c_t = self.fresh(P.seed, P.test_size)
        out = []
        for k in tqdm(range(P.seeds), desc="Theorem 3.2 (theorem mode)", disable=not self.progress,
                      leave=False):
            s = derive(P.seed, "verify", "theorem-run", k)
            tr = project_hypercube(self.U(P.seed), P.n, P.eps, derive(s, "data"))
            out.append(self._run(s, "theorem", tr.z.numpy(), tr.y.numpy(), tr.cluster.numpy(), base.emb,
                                 z_t, y_t, c_t))
        return out

    def _pipeline_runs(self) -> list[Run]:
        P = self.prm
        out = []
        for k in tqdm(range(P.pipeline_seeds), desc="Theorem 3.2 (pipeline mode)", disable=not self.progress,
                      leave=False):
            s = P.seed + k
            w = self.weak(s)
            z = (w.x_train.double() @ torch.from_numpy(w.emb.U)).numpy()
            z_t, y_t, c_t = self.fresh(s, P.test_size if s == P.seed else P.pipeline_test)
            out.append(self._run(s, "pipeline", z, w.y_train, w.cluster_train, w.emb, z_t, y_t, c_t))
        return out

    def _count_events(self) -> list[lemmas.CountEvent]:
        """Lemma A.4 over `event_seeds` draws of (a, V0, cluster counts): initialisation only, no U needed."""
        P = self.prm
        out = []
        for k in range(P.event_seeds):
            rng = np.random.default_rng(derive(P.seed, "verify", "counts", k))
            m = P.width
            a = rng.choice([-1.0, 1.0], size=m) / np.sqrt(m)
            V0 = rng.choice([-1.0, 1.0], size=(m, 3)) * P.v_init
            cl = rng.integers(0, 4, size=P.n)
            out.append(lemmas.count_event(a, V0, cl, P.log_base))
        return out
