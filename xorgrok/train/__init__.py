"""Training engines: plain autograd GD (reference), exact Gram-space GD (fast path), full-batch AdamW loop."""
