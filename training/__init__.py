"""IolaEdge training: recording CSVs -> features -> learned footfall detectors -> ONNX + metadata.

Run from the repository root with Debian's Python: ``/usr/bin/python3 -m training --help``.
"""

import os as _os

# OpenBLAS (scripts/deps/training.apt) reads this when numpy/torch load it: the machine is shared,
# so training uses the threads it asks for (torch.set_num_threads) and BLAS does not add its own.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
