"""Analysis tools on trained models (empirical NTK, ...)."""
