"""Build the optional C rate kernel; everything else about the package is in pyproject.toml.

``optional=True``: where no C compiler exists the build goes on without the kernel and every
rate takes the pure Python path (loanmath/apr/_fast.py), which the tests hold equal to it.
``-ffp-contract=off`` keeps each multiply and add a separately rounded IEEE 754 operation, so
the kernel gives the same bits on every machine.
"""

import sys

from setuptools import Extension, setup

FLAGS = [] if sys.platform == "win32" else ["-O2", "-ffp-contract=off"]

setup(
    ext_modules=[
        Extension(
            "loanmath.apr._kernel",
            sources=["loanmath/apr/_kernel.c"],
            optional=True,
            extra_compile_args=FLAGS,
        )
    ]
)
