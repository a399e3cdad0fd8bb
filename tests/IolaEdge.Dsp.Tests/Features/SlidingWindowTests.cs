using IolaEdge.Dsp.Features;

namespace IolaEdge.Dsp.Tests.Features;

public sealed class SlidingWindowTests
{
    private static float[] Row(int i) => [i, -i];

    [Fact]
    public void The_first_window_completes_after_size_rows_then_one_every_stride()
    {
        SlidingWindow window = new(2, 4, 2);
        List<int> completedAt = [];
        for (int i = 0; i < 10; i++)
        {
            if (window.Push(Row(i)))
            {
                completedAt.Add(i);
            }
        }

        Assert.Equal([3, 5, 7, 9], completedAt);
    }

    [Fact]
    public void The_current_window_is_the_last_rows_oldest_first_across_ring_wrap_around()
    {
        SlidingWindow window = new(2, 3, 1);
        for (int i = 0; i < 11; i++)
        {
            bool complete = window.Push(Row(i));
            if (!complete)
            {
                continue;
            }

            float[] expected = new float[6];
            for (int k = 0; k < 3; k++)
            {
                int r = i - 2 + k;
                expected[2 * k] = r;
                expected[(2 * k) + 1] = -r;
            }

            Assert.Equal(expected, window.Current.ToArray());
            float[] copy = new float[6];
            window.CopyTo(copy);
            Assert.Equal(expected, copy);
        }
    }

    [Fact]
    public void Reset_empties_the_window()
    {
        SlidingWindow window = new(2, 2, 1);
        window.Push(Row(1));
        window.Push(Row(2));
        Assert.True(window.IsFull);
        window.Reset();
        Assert.False(window.IsFull);
        Assert.False(window.Push(Row(3)));
        Assert.True(window.Push(Row(4)));
        Assert.Equal([3f, -3f, 4f, -4f], window.Current.ToArray());
        Assert.Throws<InvalidOperationException>(() => new SlidingWindow(2, 2, 1).CopyTo(new float[4]));
    }

    [Fact]
    public void Bad_shapes_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindow(0, 4, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindow(5, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindow(5, 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlidingWindow(5, 4, 5));
        SlidingWindow window = new(5, 4, 1);
        Assert.Throws<ArgumentException>(() => window.Push(new float[4]));
        window.Push(new float[5]);
        window.Push(new float[5]);
        window.Push(new float[5]);
        window.Push(new float[5]);
        Assert.Throws<ArgumentException>(() => window.CopyTo(new float[19]));
    }
}
