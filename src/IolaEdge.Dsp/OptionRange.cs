using System.Globalization;

namespace IolaEdge.Dsp;

/// <summary>The one range check every options class of the hot path validates its keys with.</summary>
/// <remarks>The message's form ("KEY = VALUE is outside the allowed range [MIN, MAX]") is read back by the
/// tuning page to size its sliders, so it is written in one place and culture-invariant.</remarks>
internal static class OptionRange
{
    /// <summary>Throws naming <paramref name="key"/>, its value and the range when the value is not finite or outside it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [<paramref name="min"/>, <paramref name="max"/>].</exception>
    public static void Check(string key, double value, double min, double max)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(key, value,
                string.Create(CultureInfo.InvariantCulture, $"{key} = {value} is outside the allowed range [{min}, {max}]"));
        }
    }
}
