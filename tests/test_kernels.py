"""Pre-started kernels: preloaded modules, an empty namespace, one kernel per notebook."""

from __future__ import annotations

import pytest

from cppcc_study.kernels import KernelPool, KernelSpec, shutdown


def _run(km, code: str) -> str:
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        out = []
        kc.execute_interactive(code, timeout=60, output_hook=lambda m: out.append(m["content"].get("text", "")))
        return "".join(out)
    finally:
        kc.stop_channels()


@pytest.mark.slow
def test_preloaded_kernel_starts_with_an_empty_namespace_and_is_never_reused():
    pool = KernelPool()
    spec = KernelSpec(preload=("json", "xml.dom"))
    first = pool.take(spec)  # starts this one and a spare
    second = pool.take(spec, prestart_next=False)  # the spare
    try:
        assert first.connection_file != second.connection_file
        seen = _run(first, "import sys\nprint(sorted(k for k in dir() if not k[0] == '_' and k != 'sys'), "
                           "'json' in sys.modules, 'xml.dom' in sys.modules)")
        assert seen.strip() == "['In', 'Out', 'exit', 'get_ipython', 'open', 'quit'] True True"
        _run(first, "leak = 1")
        assert "False" in _run(second, "print('leak' in dir())")  # no state crosses kernels
    finally:
        shutdown(first)
        shutdown(second)
        pool.close()
    assert not first.has_kernel and not second.has_kernel
