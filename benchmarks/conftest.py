"""Benchmarks run beside the peer or reference they are compared with, in the same run.

Full run:   pytest benchmarks --benchmark-only --benchmark-group-by=group
Smoke (CI): pytest benchmarks --benchmark-disable   (each benchmark runs once, asserts hold)
"""
