using IolaEdge.Dsp.Detection;
using IolaEdge.Dsp.Samples;
using IolaEdge.Inference.Metadata;

namespace IolaEdge.Inference.Detection;

/// <summary>
/// <c>onnx-stream</c> with both shipped models: a sample that carries angular velocity goes to the
/// six-channel model, one without it to the acceleration-only model, so one detector name serves
/// acceleration-only and gyro sensors and recordings alike.
/// </summary>
/// <remarks>
/// <para>Each sample is routed by its own <see cref="ImuSample.HasAngularVelocity"/>. When the kind of
/// sample changes (a sensor that starts or stops streaming its gyroscope) the model taking over is reset
/// first: its state described an older stretch of walk.</para>
/// <para>A gyroscope must also show that it turns with the foot (|ω| once at least <see cref="TurningDps"/>) before the
/// six-channel model decides: one that streams zeros, or radians per second read as degrees, would silence it (F1 0.11
/// on the dev walks). Until then the six-channel model follows every sample with angular velocity but the acceleration
/// model decides, so the switch needs no reset.</para>
/// <para>The decision gate is built once, with the acceleration model's threshold. The six-channel model's
/// scores are mapped onto that threshold by a monotone piecewise-linear map that sends its own threshold
/// to the acceleration model's (0 and 1 stay put), so each model fires exactly where it was validated to.
/// Both models were tuned with the same refractory interval (checked at construction).</para>
/// <para>Construction loads both models (slow; not on the pipeline thread). <see cref="Process"/> allocates
/// nothing. Not thread-safe: the pipeline thread owns it.</para>
/// </remarks>
public sealed class SourceAwareStreamDetector : IFootfallDetector
{
    private readonly OnnxStreamDetector _acceleration;
    private readonly OnnxStreamDetector _gyro;
    // A walking foot swings at hundreds of °/s; a gyroscope that never reaches this is not turning with it.
    private const float TurningDps = 50;

    private readonly float _gateThreshold;
    private readonly float _gyroThreshold;
    private readonly DetectorScore[] _followed;
    private OnnxStreamDetector? _active;
    private bool _gyroFollowed;
    private bool _gyroTurning;

    /// <summary>Takes ownership of an acceleration-only and a six-channel stream detector.</summary>
    /// <exception cref="ModelLoadException">The models are not one acceleration-only and one six-channel model
    /// tuned with the same refractory interval (the detectors are disposed).</exception>
    public SourceAwareStreamDetector(OnnxStreamDetector acceleration, OnnxStreamDetector gyro)
    {
        ArgumentNullException.ThrowIfNull(acceleration);
        ArgumentNullException.ThrowIfNull(gyro);
        _acceleration = acceleration;
        _gyro = gyro;
        try
        {
            if (acceleration.Metadata.UsesGyro)
            {
                throw new ModelLoadException($"{acceleration.Metadata.Path}: key 'feature_order' takes angular velocity; the acceleration-only model must not");
            }

            if (!gyro.Metadata.UsesGyro)
            {
                throw new ModelLoadException($"{gyro.Metadata.Path}: key 'feature_order' has no gyro features; the six-channel model needs them");
            }

            if (acceleration.Metadata.RefractoryMs != gyro.Metadata.RefractoryMs)
            {
                throw new ModelLoadException(
                    $"{gyro.Metadata.Path}: key 'refractory_ms' is {gyro.Metadata.RefractoryMs}; the acceleration-only model's is {acceleration.Metadata.RefractoryMs} and one gate serves both");
            }
        }
        catch
        {
            acceleration.Dispose();
            gyro.Dispose();
            throw;
        }

        _gateThreshold = acceleration.Metadata.SampleThreshold;
        _gyroThreshold = gyro.Metadata.SampleThreshold;
        _followed = new DetectorScore[gyro.MaxScoresPerSample];
    }

    /// <inheritdoc />
    public string Name => "onnx-stream";

    /// <inheritdoc />
    public int MaxScoresPerSample => Math.Max(_acceleration.MaxScoresPerSample, _gyro.MaxScoresPerSample);

    /// <summary>The acceleration-only model's metadata: the decision gate is built from it.</summary>
    public ModelMetadata Metadata => _acceleration.Metadata;

    /// <summary>The six-channel model's metadata.</summary>
    public ModelMetadata GyroMetadata => _gyro.Metadata;

    /// <summary>Samples routed to the six-channel model.</summary>
    public long GyroSamples { get; private set; }

    /// <summary>Samples routed to the acceleration-only model.</summary>
    public long AccelerationSamples { get; private set; }

    /// <summary>Times the route changed after the first sample (a gyroscope that started, stopped or first turned).</summary>
    public long RouteChanges { get; private set; }

    /// <summary>Whether the gyroscope has turned as a walking foot does since the last reset (the six-channel model may decide).</summary>
    public bool GyroTurning => _gyroTurning;

    /// <inheritdoc />
    public int Process(in ImuSample sample, Span<DetectorScore> scores)
    {
        bool hasGyro = sample.HasAngularVelocity;
        _gyroTurning |= hasGyro && sample.AngularSpeed >= TurningDps;
        bool gyro = hasGyro && _gyroTurning;
        OnnxStreamDetector next = gyro ? _gyro : _acceleration;
        if (!ReferenceEquals(next, _active))
        {
            if (_active is not null)
            {
                RouteChanges++;
                if (!(gyro && _gyroFollowed))
                {
                    next.Reset();
                }
            }

            _active = next;
        }

        // Until the gyroscope turns, the six-channel model follows along so that it can take over where it stands.
        _gyroFollowed = hasGyro && !gyro;
        if (_gyroFollowed)
        {
            _gyro.Process(sample, _followed);
        }

        int n = next.Process(sample, scores);
        if (gyro)
        {
            GyroSamples++;
            for (int i = 0; i < n; i++)
            {
                scores[i] = scores[i] with { SampleScore = OntoGate(scores[i].SampleScore, _gyroThreshold, _gateThreshold) };
            }
        }
        else
        {
            AccelerationSamples++;
        }

        return n;
    }

    /// <inheritdoc />
    public void Reset()
    {
        _acceleration.Reset();
        _gyro.Reset();
        _active = null;
        _gyroFollowed = _gyroTurning = false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _acceleration.Dispose();
        _gyro.Dispose();
    }

    /// <summary>
    /// Maps a score of a model validated at <paramref name="own"/> onto a gate at <paramref name="gate"/>:
    /// monotone and piecewise linear, <paramref name="own"/> → <paramref name="gate"/>, 0 → 0, 1 → 1.
    /// </summary>
    internal static float OntoGate(float score, float own, float gate)
    {
        if (score >= own)
        {
            return own >= 1f ? gate : gate + ((score - own) * (1f - gate) / (1f - own));
        }

        return own <= 0f ? gate : score * gate / own;
    }
}
