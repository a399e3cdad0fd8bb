"""IolaEdge training: session CSVs -> features -> learned footfall detectors -> ONNX + metadata.

Run from the repository root with Debian's Python: ``/usr/bin/python3 -m training --help``.
"""
