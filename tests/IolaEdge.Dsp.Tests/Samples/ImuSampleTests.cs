using System.Runtime.CompilerServices;
using IolaEdge.Dsp.Samples;
using IolaEdge.Dsp.Timing;

namespace IolaEdge.Dsp.Tests.Samples;

public sealed class ImuSampleTests
{
    [Fact]
    public void An_acceleration_only_sample_has_no_angular_velocity_and_reads_nan()
    {
        ImuSample s = new(0, 1, 2, 3, 0.1f, 0.2f, 0.3f);
        Assert.False(s.HasAngularVelocity);
        Assert.True(float.IsNaN(s.AngularVelocityX));
        Assert.True(float.IsNaN(s.AngularVelocityY));
        Assert.True(float.IsNaN(s.AngularVelocityZ));
        Assert.False(default(ImuSample).HasAngularVelocity);
        Assert.True(float.IsNaN(default(ImuSample).AngularVelocityY));
        Assert.True(float.IsNaN(s.AngularSpeed));
    }

    [Fact]
    public void A_sample_with_angular_velocity_carries_the_three_components()
    {
        ImuSample s = new(1, 2, 3, 4, 0.1f, 0.2f, 0.3f, -12.5f, 350f, 0.75f);
        Assert.True(s.HasAngularVelocity);
        Assert.Equal((-12.5f, 350f, 0.75f), (s.AngularVelocityX, s.AngularVelocityY, s.AngularVelocityZ));
        Assert.Equal((0.1f, 0.2f, 0.3f), (s.X, s.Y, s.Z));
        Assert.Equal(MathF.Sqrt((12.5f * 12.5f) + (350f * 350f) + (0.75f * 0.75f)), s.AngularSpeed);
    }

    [Fact]
    public void Nan_angular_velocity_makes_an_acceleration_only_sample_equal_to_the_seven_argument_one()
    {
        ImuSample a = new(0, 1, 2, 3, 0.1f, 0.2f, 0.3f, float.NaN, 5f, 6f);
        Assert.False(a.HasAngularVelocity);
        Assert.Equal(new ImuSample(0, 1, 2, 3, 0.1f, 0.2f, 0.3f), a);
        Assert.NotEqual(new ImuSample(0, 1, 2, 3, 0.1f, 0.2f, 0.3f, 0f, 0f, 0f), a);
    }

    [Fact]
    public void Changing_times_keeps_the_angular_velocity()
    {
        ImuSample s = new(1, 7, 0, 40, 0.1f, 0.2f, 0.3f, 10f, -20f, 30f);
        Assert.Equal(new ImuSample(1, 7, 99, 40, 0.1f, 0.2f, 0.3f, 10f, -20f, 30f), s.WithSensorTime(99));
        Assert.Equal(new ImuSample(1, 7, 5, 6, 0.1f, 0.2f, 0.3f, 10f, -20f, 30f), s.WithTimes(5, 6));
        Assert.Equal(new ImuSample(1, 8, 5, 6, 0.1f, 0.2f, 0.3f, 10f, -20f, 30f), s.WithSequenceAndTimes(8, 5, 6));
        Assert.False(new ImuSample(1, 7, 0, 40, 0.1f, 0.2f, 0.3f).WithSensorTime(99).HasAngularVelocity);
    }

    [Fact]
    public void The_sample_clock_keeps_the_angular_velocity()
    {
        SampleClock clock = new(new SampleClockOptions());
        ImuSample stamped = clock.Stamp(new ImuSample(0, 0, 0, 1_000_000_000, 0f, 0f, 1f, 1f, 2f, 3f));
        Assert.True(stamped.HasAngularVelocity);
        Assert.Equal((1f, 2f, 3f), (stamped.AngularVelocityX, stamped.AngularVelocityY, stamped.AngularVelocityZ));
        Assert.NotEqual(0, stamped.SensorTimeNs);
    }

    [Fact]
    public void The_sample_stays_56_bytes()
    {
        Assert.Equal(56, Unsafe.SizeOf<ImuSample>());
    }
}
