using System.Globalization;
using IolaEdge.Bluetooth.MetaWear;

namespace IolaEdge.Bluetooth;

/// <summary>
/// A sensor's battery as last read over the link (<c>11 8c</c>, see docs/bluetooth.md "Battery"), with the read
/// counters. The figures are null while unknown: before the first answered read, with battery reads off, or from a
/// board that never answers.
/// </summary>
public sealed record BleBatterySnapshot
{
    /// <summary>Below this charge (%) the battery counts as low: the daemon warns once, the page shows it in the warning colour.</summary>
    public const int LowChargePercent = 20;

    /// <summary>No read yet.</summary>
    public static BleBatterySnapshot None { get; } = new() { RejectedByReason = new Dictionary<BatteryRejectReason, long>() };

    /// <summary>State of charge of the last good reading, 0–100 %, or null.</summary>
    public int? ChargePercent { get; init; }

    /// <summary>Battery voltage of the last good reading, V, or null.</summary>
    public double? Volts { get; init; }

    /// <summary>Seconds since the last good reading arrived, or null.</summary>
    public double? AgeSeconds { get; init; }

    /// <summary>Known and below <see cref="LowChargePercent"/>.</summary>
    public bool IsLow => ChargePercent < LowChargePercent;

    /// <summary>Reads sent (<c>11 8c</c>).</summary>
    public long Reads { get; init; }

    /// <summary>Reads answered with a good reading.</summary>
    public long Readings { get; init; }

    /// <summary>Reads with no reply within the response timeout (or cut short by a lost link).</summary>
    public long Unanswered { get; init; }

    /// <summary>A read waiting for its reply now (0 or 1).</summary>
    public int Outstanding { get; init; }

    /// <summary>Battery replies not taken (all reasons, <see cref="BatteryRejectReason.NotRequested"/> included).</summary>
    public long Rejected { get; init; }

    /// <summary>Rejected replies by reason.</summary>
    public required IReadOnlyDictionary<BatteryRejectReason, long> RejectedByReason { get; init; }

    /// <summary>One phrase for logs and the summary: <c>battery 87 % 3.95 V (12 s ago)</c> or <c>battery unknown (…)</c>.</summary>
    public override string ToString() => ChargePercent is { } pct
        ? string.Create(CultureInfo.InvariantCulture, $"battery {pct} % {Volts:F2} V ({AgeSeconds:F0} s ago; reads {Reads}, unanswered {Unanswered}, rejected {Rejected})")
        : string.Create(CultureInfo.InvariantCulture, $"battery unknown (reads {Reads}, unanswered {Unanswered}, rejected {Rejected})");
}
