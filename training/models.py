"""The two detector networks.

ConvLSTMGlobal reproduces the seed paper's model; StreamGRU is the causal streaming model whose
hidden state is an explicit input/output so the daemon can carry it between BLE packets.
"""
from __future__ import annotations

import torch
from torch import nn


class ConvLSTMGlobal(nn.Module):
    """Seed model: two Conv1d+ReLU, 2-layer bidirectional LSTM (hidden 128, dropout 0.3),
    a per-sample head and a per-window head on the time-mean of the LSTM output.

    forward(x[B, T, F]) -> (step_logits[B, T], window_logit[B])
    """

    def __init__(self, n_features: int = 5, conv: int = 64, hidden: int = 128, dropout: float = 0.3):
        super().__init__()
        self.conv1 = nn.Conv1d(n_features, conv, kernel_size=5, padding=2)
        self.conv2 = nn.Conv1d(conv, conv, kernel_size=5, padding=2)
        self.lstm = nn.LSTM(conv, hidden, num_layers=2, bidirectional=True, batch_first=True,
                            dropout=dropout)
        self.step_head = nn.Linear(2 * hidden, 1)
        self.window_head = nn.Linear(2 * hidden, 1)

    def forward(self, x: torch.Tensor):
        h = torch.relu(self.conv1(x.transpose(1, 2)))
        h = torch.relu(self.conv2(h)).transpose(1, 2)
        out, _ = self.lstm(h)
        step = self.step_head(out).squeeze(-1)
        window = self.window_head(out.mean(dim=1)).squeeze(-1)
        return step, window


class StreamGRU(nn.Module):
    """Causal streaming model: Linear+ReLU front, GRU (hidden <= 64), per-sample logit.

    forward(x[B, K, F], h[L, B, H]) -> (logits[B, K], h_out[L, B, H]). Output k scores the sample
    ``lookahead`` steps before input k (trained with shifted targets).
    """

    def __init__(self, n_features: int = 5, front: int = 32, hidden: int = 48, layers: int = 1):
        super().__init__()
        if hidden > 64:
            raise ValueError("the streaming model keeps hidden <= 64 (latency budget)")
        self.hidden = hidden
        self.layers = layers
        self.front = nn.Linear(n_features, front)
        self.gru = nn.GRU(front, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x: torch.Tensor, h: torch.Tensor):
        out, h_out = self.gru(torch.relu(self.front(x)), h)
        return self.head(out).squeeze(-1), h_out

    def zero_state(self, batch: int = 1) -> torch.Tensor:
        return torch.zeros(self.layers, batch, self.hidden)
