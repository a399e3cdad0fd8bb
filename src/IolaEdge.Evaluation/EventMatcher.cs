namespace IolaEdge.Evaluation;

/// <summary>A matched (truth, detection) pair: indices into the sorted inputs and the signed error.</summary>
/// <param name="TruthIndex">Index into the sorted truth times.</param>
/// <param name="DetectionIndex">Index into the sorted detection times.</param>
/// <param name="ErrorMs">Detection minus truth, in ms.</param>
public readonly record struct MatchedPair(int TruthIndex, int DetectionIndex, double ErrorMs);

/// <summary>
/// One-to-one optimal matching of detections to truth events within a tolerance, identical in result
/// to <c>score.py</c>: the number of pairs with |detection − truth| ≤ tolerance is maximised and, among
/// maximum matchings, the total |error| is minimised.
/// </summary>
/// <remarks>
/// On a line an optimal matching can be chosen non-crossing (swapping two crossing pairs never
/// increases either |error| nor breaks admissibility), so after sorting, a longest-common-subsequence
/// style dynamic programme over (truth i, detection j) is exact. As in score.py, the merged time line is
/// first cut into independent chunks at gaps larger than the tolerance (with the same 1e-9 ms slack),
/// and a chunk too large for its table (more than 25 million cells) falls back to the greedy
/// maximum-cardinality matching, reported through <see cref="Match"/>'s return value.
/// Offline tool code: allocates per call.
/// </remarks>
public static class EventMatcher
{
    /// <summary>Slack added to the tolerance, as in score.py.</summary>
    public const double Epsilon = 1e-9;

    /// <summary>Largest chunk (truths × detections) solved exactly, as in score.py.</summary>
    public const long MaxDenseCells = 25_000_000;

    /// <summary>Matches sorted <paramref name="truthMs"/> against sorted <paramref name="detectionsMs"/>.</summary>
    /// <param name="truthMs">Truth times in ms, ascending.</param>
    /// <param name="detectionsMs">Detection times in ms, ascending.</param>
    /// <param name="toleranceMs">Largest admissible |error| (inclusive).</param>
    /// <param name="pairs">Receives the matched pairs in time order.</param>
    /// <returns>True when every chunk was solved exactly; false when the greedy fallback was used.</returns>
    /// <exception cref="ArgumentException">An input is not sorted or not finite.</exception>
    public static bool Match(ReadOnlySpan<double> truthMs, ReadOnlySpan<double> detectionsMs, double toleranceMs, List<MatchedPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        CheckSorted(truthMs, nameof(truthMs));
        CheckSorted(detectionsMs, nameof(detectionsMs));
        pairs.Clear();
        bool exact = true;
        int i = 0, j = 0;
        while (i < truthMs.Length || j < detectionsMs.Length)
        {
            // Grow one chunk of the merged time line until the next event is more than tol away.
            int i0 = i, j0 = j;
            double last = double.NegativeInfinity;
            while (i < truthMs.Length || j < detectionsMs.Length)
            {
                bool takeTruth = j >= detectionsMs.Length || (i < truthMs.Length && truthMs[i] <= detectionsMs[j]);
                double t = takeTruth ? truthMs[i] : detectionsMs[j];
                if (i + j > i0 + j0 && t - last > toleranceMs + Epsilon)
                {
                    break;
                }

                last = t;
                if (takeTruth)
                {
                    i++;
                }
                else
                {
                    j++;
                }
            }

            int n = i - i0, m = j - j0;
            if (n == 0 || m == 0)
            {
                continue;
            }

            if ((long)n * m > MaxDenseCells)
            {
                exact = false;
                Greedy(truthMs.Slice(i0, n), detectionsMs.Slice(j0, m), toleranceMs, i0, j0, pairs);
            }
            else
            {
                Exact(truthMs.Slice(i0, n), detectionsMs.Slice(j0, m), toleranceMs, i0, j0, pairs);
            }
        }

        return exact;
    }

    /// <summary>DP over the chunk: best[i, j] = (pairs, −total |error|) using the first i truths and j detections.</summary>
    private static void Exact(ReadOnlySpan<double> t, ReadOnlySpan<double> d, double tol, int ti0, int dj0, List<MatchedPair> pairs)
    {
        int n = t.Length, m = d.Length;
        int w = m + 1;
        int[] count = new int[(n + 1) * w];
        double[] cost = new double[(n + 1) * w];
        byte[] move = new byte[(n + 1) * w]; // 1 = skip truth, 2 = skip detection, 3 = pair
        for (int i = 1; i <= n; i++)
        {
            for (int j = 1; j <= m; j++)
            {
                int k = (i * w) + j;
                int up = k - w, left = k - 1, diag = k - w - 1;
                int bc = count[up];
                double bcost = cost[up];
                byte bm = 1;
                if (Better(count[left], cost[left], bc, bcost))
                {
                    bc = count[left];
                    bcost = cost[left];
                    bm = 2;
                }

                double e = Math.Abs(d[j - 1] - t[i - 1]);
                if (e <= tol + Epsilon && Better(count[diag] + 1, cost[diag] + e, bc, bcost))
                {
                    bc = count[diag] + 1;
                    bcost = cost[diag] + e;
                    bm = 3;
                }

                count[k] = bc;
                cost[k] = bcost;
                move[k] = bm;
            }
        }

        int start = pairs.Count;
        int ii = n, jj = m;
        while (ii > 0 && jj > 0)
        {
            switch (move[(ii * w) + jj])
            {
                case 3:
                    pairs.Add(new MatchedPair(ti0 + ii - 1, dj0 + jj - 1, d[jj - 1] - t[ii - 1]));
                    ii--;
                    jj--;
                    break;
                case 2:
                    jj--;
                    break;
                default:
                    ii--;
                    break;
            }
        }

        pairs.Reverse(start, pairs.Count - start);
    }

    private static bool Better(int c, double cost, int bestCount, double bestCost) =>
        c > bestCount || (c == bestCount && cost < bestCost - 1e-12);

    /// <summary>score.py's fallback: each truth in time order takes the earliest unused detection in its window.</summary>
    private static void Greedy(ReadOnlySpan<double> t, ReadOnlySpan<double> d, double tol, int ti0, int dj0, List<MatchedPair> pairs)
    {
        int j = 0;
        for (int i = 0; i < t.Length; i++)
        {
            while (j < d.Length && d[j] < t[i] - tol - Epsilon)
            {
                j++;
            }

            if (j < d.Length && d[j] <= t[i] + tol + Epsilon)
            {
                pairs.Add(new MatchedPair(ti0 + i, dj0 + j, d[j] - t[i]));
                j++;
            }
        }
    }

    private static void CheckSorted(ReadOnlySpan<double> x, string name)
    {
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || (i > 0 && x[i] < x[i - 1]))
            {
                throw new ArgumentException($"times must be finite and ascending; element {i} is {x[i]}", name);
            }
        }
    }
}
