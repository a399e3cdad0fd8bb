namespace IolaEdge.Daemon.Health;

/// <summary>
/// One outage, one log line: while a port stays lost (or unopened), each failed reopen brings its own error text
/// ("port gone", then "open failed: no port matching …"), and a state compared by its text would be logged again on
/// each. The first text of the outage stands until the component's kind of state changes.
/// </summary>
internal static class OutageText
{
    /// <summary><paramref name="last"/> while <paramref name="next"/> is the same kind of failure (level and the words before its first ':'), else <paramref name="next"/>.</summary>
    public static HealthState KeepFirst(HealthState last, HealthState next) =>
        next.Level != HealthLevel.Ok && next.Level == last.Level && !last.Transient && string.Equals(Kind(next.Text), Kind(last.Text), StringComparison.Ordinal) ? last : next;

    private static string Kind(string text)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? text : text[..colon];
    }
}
