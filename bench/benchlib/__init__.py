"""The benchmark harness behind ``bench/run.py`` (see docs/performance.md).

Not part of the ozonctl package and not run by the test suite: it starts real
processes (the sandbox, ozonctl, the peer clients) on 127.0.0.1 and takes minutes.
"""
