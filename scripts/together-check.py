"""Bench anchor: Together's own Python checker (`check_file` from together-python's src/together/utils/files.py).

    python3 scripts/together-check.py <together-src-dir> <file.jsonl>

<together-src-dir> is a checkout or export of the together-python repository's `src/` directory (their code is not
part of tunelint; `npm run bench -- --together-src DIR` passes it). Only what `check_file` needs is imported: the
`together`, `together.types` and `together.utils` packages are registered without running their `__init__.py` (which
pull in the whole API client), and `tqdm` (not installed here) is replaced by a pass-through, so the timed work is
exactly their checker: the UTF-8 pass, then `json.loads` and the format checks of every line. pydantic 2 must be
installed (their `FilePurpose` module imports it).

Prints one JSON line on stdout: {seconds, cpuSeconds, maxRssMiB, records, passed, message}; seconds and cpuSeconds
are those of the check_file call (not Python's start-up and imports), like bench-child.mjs's figures.
"""

import json
import os
import resource
import sys
import time
import types


def _install_stubs(src: str) -> None:
    tqdm = types.ModuleType("tqdm")
    tqdm.tqdm = lambda iterable=None, *a, **k: iterable  # pass-through: no progress bar, no cost
    tqdm_utils = types.ModuleType("tqdm.utils")
    tqdm_utils.CallbackIOWrapper = object
    tqdm.utils = tqdm_utils
    sys.modules.setdefault("tqdm", tqdm)
    sys.modules.setdefault("tqdm.utils", tqdm_utils)
    for name in ("together", "together.types", "together.utils"):
        pkg = types.ModuleType(name)
        pkg.__path__ = [os.path.join(src, *name.split("."))]
        sys.modules[name] = pkg
    from together.types.files import FilePurpose  # noqa: E402  (after the stubs)

    sys.modules["together.types"].FilePurpose = FilePurpose


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, path = sys.argv[1], sys.argv[2]
    if not os.path.isfile(os.path.join(src, "together", "utils", "files.py")):
        print(f"{src}: not together-python's src/ directory (no together/utils/files.py)", file=sys.stderr)
        return 2
    sys.path.insert(0, src)
    _install_stubs(src)
    from together.utils.files import check_file  # noqa: E402

    t0 = time.perf_counter()
    c0 = time.process_time()
    report = check_file(path)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    ru = resource.getrusage(resource.RUSAGE_SELF)
    out = {
        "seconds": seconds,
        "cpuSeconds": cpu,
        "maxRssMiB": ru.ru_maxrss / 1024,
        "records": report.get("num_samples") or 0,
        "passed": bool(report.get("is_check_passed")),
        "message": report.get("message"),
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
