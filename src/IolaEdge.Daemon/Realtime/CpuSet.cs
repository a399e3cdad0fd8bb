using System.Globalization;
using System.Numerics;
using System.Text;

namespace IolaEdge.Daemon.Realtime;

/// <summary>A set of CPUs 0..63, written as the kernel's lists are (<c>1</c>, <c>0-1</c>, <c>0,2-3</c>); empty means "any CPU".</summary>
internal readonly record struct CpuSet(ulong Mask)
{
    /// <summary>The highest CPU number a set can hold.</summary>
    public const int MaxCpu = 63;

    /// <summary>What <see cref="TryParse"/> accepts, for configuration errors.</summary>
    public const string Allowed = "empty (any CPU) or a CPU list such as 1, 0-1 or 0,2-3 (CPUs 0 to 63)";

    /// <summary>True when the set names no CPU.</summary>
    public bool IsEmpty => Mask == 0;

    /// <summary>Parses a CPU list; empty or blank text is the empty set.</summary>
    public static bool TryParse(string? text, out CpuSet set)
    {
        set = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        ulong mask = 0;
        foreach (string part in text.Split(','))
        {
            string[] range = part.Trim().Split('-');
            if (range.Length > 2 || !TryCpu(range[0], out int first))
            {
                return false;
            }

            int last = first;
            if (range.Length == 2 && (!TryCpu(range[1], out last) || last < first))
            {
                return false;
            }

            for (int cpu = first; cpu <= last; cpu++)
            {
                mask |= 1UL << cpu;
            }
        }

        set = new CpuSet(mask);
        return true;
    }

    /// <summary>The kernel's list form (<c>0-1,3</c>), or <c>any</c> for the empty set.</summary>
    public override string ToString()
    {
        if (Mask == 0)
        {
            return "any";
        }

        StringBuilder text = new();
        int cpu = 0;
        while (cpu <= MaxCpu)
        {
            if ((Mask & (1UL << cpu)) == 0)
            {
                cpu++;
                continue;
            }

            int end = cpu;
            while (end < MaxCpu && (Mask & (1UL << (end + 1))) != 0)
            {
                end++;
            }

            text.Append(text.Length > 0 ? "," : string.Empty).Append(cpu.ToString(CultureInfo.InvariantCulture));
            if (end > cpu)
            {
                text.Append('-').Append(end.ToString(CultureInfo.InvariantCulture));
            }

            cpu = end + 1;
        }

        return text.ToString();
    }

    /// <summary>Number of CPUs in the set.</summary>
    public int Count => BitOperations.PopCount(Mask);

    private static bool TryCpu(string text, out int cpu) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out cpu) && cpu <= MaxCpu;
}
