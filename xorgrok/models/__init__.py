"""Models: the two-layer bias-free ReLU net, the GrokTransfer target f_L, and (elsewhere) FNNs/Transformers."""
