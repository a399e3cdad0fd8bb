#!/usr/bin/env bash
# Python unit tests of training/ (loading, labelling, splits, windows, targets, decisions).
# The end-to-end smoke (train tiny models, export, load in ONNX Runtime, parity) is the Peer test
# IolaEdge.Inference.Tests.Detection.TrainingSmokeTests, run by `dotnet test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
/usr/bin/python3 -m unittest discover -s training/tests -t . -v 2>&1 | tail -n 20
