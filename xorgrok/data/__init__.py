"""Data: XOR cluster simulators (hypercube and Gaussian); other tasks live in xorgrok.data.base."""
