"""Executes one notebook in a fresh kernel for the Go runner (kernel/runner).

Run with Debian's /usr/bin/python3, which has nbclient:

    execute.py NOTEBOOK OUT_NOTEBOOK STATUS_JSON TIMEOUT_SECONDS KERNEL
    execute.py --check KERNEL     (prints the kernel's command line as JSON, or fails)

Cells run in order until the first one that fails. A GoNB cell fails either with an
"error" output (compile errors) or with stderr ending in "exit status N" (panics,
os.Exit, failing shell commands), which Jupyter itself does not treat as an error, so
this script stops on both. The executed notebook is written even after a failure; the
Go side reads it for the details. STATUS_JSON says how the run ended:
{"status": "done" | "stopped" | "timeout" | "dead" | "nokernel", "cell": index, "message": text}.
"""

import json
import os
import re
import sys
import time

import nbformat
from jupyter_client.kernelspec import NoSuchKernel
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

EXIT_STATUS = re.compile(r"^exit status [1-9][0-9]*\s*$", re.M)


def cell_failed(cell):
    stderr = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return True
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            stderr.append(out.get("text", ""))
    return EXIT_STATUS.search("".join(stderr)) is not None


def check(kernel):
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        spec = KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        print(json.dumps({"error": "no Jupyter kernel named %r is installed" % kernel}))
        return 0
    print(json.dumps({"argv": spec.argv}))
    return 0


def main(argv):
    if argv[1] == "--check":
        return check(argv[2])
    src, dst, status_path, timeout, kernel = argv[1], argv[2], argv[3], float(argv[4]), argv[5]
    nb = nbformat.read(src, as_version=4)
    deadline = time.monotonic() + timeout
    # The remaining notebook budget is every cell's limit, so one slow cell cannot
    # overrun the notebook's timeout.
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        allow_errors=True,
        timeout_func=lambda cell: max(1, int(deadline - time.monotonic())),
        startup_timeout=120,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    )
    status = {"status": "done", "cell": -1, "message": ""}
    index = -1
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() >= deadline:
                    raise CellTimeoutError("notebook time budget used up")
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                if cell_failed(cell):
                    status = {"status": "stopped", "cell": index, "message": ""}
                    break
    except NoSuchKernel as err:
        status = {"status": "nokernel", "cell": -1, "message": str(err)}
    except CellTimeoutError as err:
        status = {"status": "timeout", "cell": index, "message": str(err)}
    except DeadKernelError as err:
        status = {"status": "dead", "cell": index, "message": str(err)}
    finally:
        nbformat.write(nb, dst)
        with open(status_path, "w") as f:
            json.dump(status, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
