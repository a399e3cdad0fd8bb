namespace IolaEdge.Bluetooth.Tests;

public sealed class BleSensorStateWordsTests
{
    [Theory]
    [InlineData(BleSensorState.Idle, "idle")]
    [InlineData(BleSensorState.Discovering, "scanning")]
    [InlineData(BleSensorState.Connecting, "connecting")]
    [InlineData(BleSensorState.Configuring, "configuring")]
    [InlineData(BleSensorState.Streaming, "streaming")]
    [InlineData(BleSensorState.Backoff, "retrying")]
    [InlineData(BleSensorState.Stopped, "stopped")]
    public void Each_state_has_its_one_word(BleSensorState state, string word) => Assert.Equal(word, state.Word());

    [Fact]
    public void All_lists_one_distinct_word_per_state_in_state_order()
    {
        Assert.Equal(Enum.GetValues<BleSensorState>().Select(s => s.Word()), BleSensorStateWords.All);
        Assert.Equal(BleSensorStateWords.All.Count, BleSensorStateWords.All.Distinct().Count());
    }

    [Fact]
    public void An_undefined_state_has_no_word() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((BleSensorState)99).Word());
}
