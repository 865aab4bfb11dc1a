"""Numerical forms of the XOR theory: assumptions, lemma events, theorem claims, Lemma 3.1, SNR, statistics.

Modules (each unit cites its equation in GrokTransfer (ICLR 2025) or Xu et al. (ICLR 2024)):
stats (Clopper-Pearson, log-log slopes), assumptions ((A1)-(A5), Xu (A1)-(A6)), lemmas (Lemma A.1-A.4 and
the initialisation facts), events (Xu B1-B4, D1-D3, near-orthogonality), claims (Theorem 3.2, Xu Theorem 3.1),
lemma31 (Lemma 3.1), snr (raw/embedding SNR, r_W).
"""
