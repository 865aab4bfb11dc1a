"""Experiment pipelines built on the shared trainer: weak model → embedding transfer → target model."""
