using System.CommandLine;
using System.Text.RegularExpressions;
using IolaEdge.Daemon.Commands;
using IolaEdge.Daemon.Hosting;
using Microsoft.Extensions.Configuration;

namespace IolaEdge.Daemon.Tests.Configuration;

/// <summary>
/// Every <c>iolaedge …</c> command in a code block of README.md and docs/*.md parses with the real command tree, and the
/// configuration it makes (options, <c>--set</c>, <c>IOLAEDGE_</c> variables) validates — unless the docs show it failing
/// (the next line is the <c>iolaedge: … error</c> naming one of its keys), in which case it must fail that way.
/// </summary>
public sealed partial class DocumentedExamplesTests
{
    public static TheoryData<string, int, string> Examples()
    {
        TheoryData<string, int, string> data = [];
        foreach ((string file, int line, string command) in CollectExamples())
        {
            data.Add(file, line, command);
        }

        return data;
    }

    [Fact]
    public void The_docs_hold_examples_to_check()
    {
        List<(string File, int Line, string Command)> examples = CollectExamples();
        Assert.True(examples.Count > 40, $"only {examples.Count} examples found");
        Assert.Contains(examples, e => e.Command.Contains("--set Midi:Channel=2", StringComparison.Ordinal)); // an expected failure
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void A_documented_command_parses_and_its_configuration_validates(string file, int line, string command)
    {
        (Dictionary<string, string> environment, string[] args, string? expectedError) = Split(command);
        ParseResult result = Program.CreateRoot().Parse(args);
        Assert.True(result.Errors.Count == 0, $"{file}:{line}: {command}\n{string.Join("\n", result.Errors.Select(e => e.Message))}");

        if (result.CommandResult.Command is not (RunCommand or ReplayCommand or SoakCommand or ConfigShowCommand))
        {
            Assert.Null(expectedError); // other verbs validate their own options when they run; their parse is checked above
            return;
        }

        // config show takes the configuration layers of run: --config and --set.
        (Dictionary<string, string?> overrides, Option<string> configOption) = result.CommandResult.Command switch
        {
            RunCommand run => (run.RunOptions.ToOverrides(result), run.RunOptions.ConfigFile),
            ReplayCommand replay => (replay.RunOptions.ToOverrides(result), replay.RunOptions.ConfigFile),
            SoakCommand soak => (soak.RunOptions.ToOverrides(result), soak.RunOptions.ConfigFile),
            ConfigShowCommand show => (RunOptionSet.ParseSetPairs(result.GetValue(show.Set) ?? []), show.ConfigFile),
            _ => throw new InvalidOperationException(),
        };
        foreach ((string name, string value) in environment)
        {
            // The environment layer as AddEnvironmentVariables(IOLAEDGE_) reads it.
            overrides.TryAdd(name["IOLAEDGE_".Length..].Replace("__", ":", StringComparison.Ordinal), value);
        }

        string? configFile = result.GetValue(configOption);
        if (configFile is not null && !Path.IsPathRooted(configFile))
        {
            configFile = Path.Combine(RepositoryRoot(), configFile); // examples run from a clone's root
        }

        IConfiguration configuration = DaemonHost.BuildConfiguration(overrides, configFile is not null && File.Exists(configFile) ? configFile : null);
        List<string> failures = DaemonHost.Validate(configuration);
        if (expectedError is null)
        {
            Assert.True(failures.Count == 0, $"{file}:{line}: {command}\n{string.Join("\n", failures)}");
        }
        else
        {
            Assert.True(failures.Count > 0, $"{file}:{line}: the docs show '{command}' failing with: {expectedError}");
        }
    }

    [Theory]
    [MemberData(nameof(SetPairs))]
    public void A_documented_set_pair_or_environment_variable_names_a_real_setting(string file, string pair)
    {
        string key = pair.StartsWith("IOLAEDGE_", StringComparison.Ordinal)
            ? pair["IOLAEDGE_".Length..pair.IndexOf('=', StringComparison.Ordinal)].Replace("__", ":", StringComparison.Ordinal)
            : pair[..pair.IndexOf('=', StringComparison.Ordinal)];
        IConfiguration configuration = DaemonHost.BuildConfiguration(new Dictionary<string, string?> { [key] = "0" }, configFile: null);

        Assert.DoesNotContain(StrictConfigurationProblems(configuration), f => f.StartsWith(key, StringComparison.OrdinalIgnoreCase) && f.Contains("is not a", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(file));
    }

    public static TheoryData<string, string> SetPairs()
    {
        TheoryData<string, string> data = [];
        HashSet<string> seen = [];
        foreach (string path in DocFiles())
        {
            string text = File.ReadAllText(path);
            foreach (Match m in SetPair().Matches(text).Concat(EnvPair().Matches(text)))
            {
                string pair = m.Groups["pair"].Value;
                if (!pair.Contains("KEY", StringComparison.OrdinalIgnoreCase) && !IsShownFailing(text, m.Index) && seen.Add(pair))
                {
                    data.Add(Path.GetFileName(path), pair);
                }
            }
        }

        return data;
    }

    private static IEnumerable<string> StrictConfigurationProblems(IConfiguration configuration) =>
        IolaEdge.Daemon.Configuration.StrictConfiguration.UnknownKeys(configuration)
            .Concat(IolaEdge.Daemon.Configuration.DetectorOptions.UnknownKeys(configuration));

    // A pair inside a line the docs follow with an error line (an example of a failure) is not a setting to check.
    private static bool IsShownFailing(string text, int index)
    {
        int end = text.IndexOf('\n', index);
        if (end < 0)
        {
            return false;
        }

        int next = text.IndexOf('\n', end + 1);
        string following = next < 0 ? text[(end + 1)..] : text[(end + 1)..next];
        return following.StartsWith("iolaedge: ", StringComparison.Ordinal);
    }

    private static (Dictionary<string, string> Environment, string[] Args, string? ExpectedError) Split(string command)
    {
        int bar = command.IndexOf(" ⟶ ", StringComparison.Ordinal);
        string? expected = bar >= 0 ? command[(bar + 3)..] : null;
        string shell = bar >= 0 ? command[..bar] : command;
        List<string> tokens = [.. Tokenize(shell)];
        Dictionary<string, string> environment = [];
        while (tokens.Count > 0 && tokens[0].Contains('=', StringComparison.Ordinal) && !tokens[0].StartsWith('-'))
        {
            int eq = tokens[0].IndexOf('=', StringComparison.Ordinal);
            environment[tokens[0][..eq]] = tokens[0][(eq + 1)..];
            tokens.RemoveAt(0);
        }

        if (tokens.Count > 0 && tokens[^1] == "&")
        {
            tokens.RemoveAt(tokens.Count - 1); // run in the background: the shell's, not the command's
        }

        Assert.Equal("iolaedge", tokens[0]);
        return (environment, tokens.Skip(1).ToArray(), expected);
    }

    private static IEnumerable<string> Tokenize(string shell)
    {
        foreach (Match m in ShellWord().Matches(shell))
        {
            yield return m.Groups["q1"].Success ? m.Groups["q1"].Value : m.Groups["q2"].Success ? m.Groups["q2"].Value : m.Value;
        }
    }

    private static List<(string File, int Line, string Command)> CollectExamples()
    {
        List<(string, int, string)> examples = [];
        foreach (string path in DocFiles())
        {
            string[] lines = File.ReadAllLines(path);
            bool inCode = false;
            for (int i = 0; i < lines.Length; i++)
            {
                string raw = lines[i];
                if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    inCode = !inCode;
                    continue;
                }

                string text = StripComment(raw.Trim().TrimStart('$').Trim());
                int first = i;
                while (inCode && text.EndsWith('\\') && i + 1 < lines.Length)
                {
                    text = text[..^1].TrimEnd() + " " + StripComment(lines[++i].Trim());
                }

                if (!inCode || !CommandLine().IsMatch(text) || IsSynopsis(text))
                {
                    continue;
                }

                string? next = i + 1 < lines.Length ? lines[i + 1].Trim() : null;
                if (next is not null && next.StartsWith("iolaedge: ", StringComparison.Ordinal) && NamesAKeyOf(next, text))
                {
                    text += " ⟶ " + next;
                }

                examples.Add((Path.GetRelativePath(RepositoryRoot(), path), first + 1, text));
            }
        }

        return examples;
    }

    // "iolaedge: configuration error: Midi:Channel (command line) …" documents the failure of the command above it
    // only when it names one of that command's keys.
    private static bool NamesAKeyOf(string error, string command) =>
        ConfigKey().Matches(command).Any(k => error.Contains(k.Value.TrimEnd('='), StringComparison.OrdinalIgnoreCase)
            || error.Contains(k.Value.TrimEnd('=').Replace("IOLAEDGE_", "", StringComparison.Ordinal).Replace("__", ":", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    // Synopses and placeholders ("iolaedge eval --input WALK.csv [--detector dsp]", "iolaedge eval ...") are not runnable.
    private static bool IsSynopsis(string text) =>
        text.Contains('[', StringComparison.Ordinal) || text.Contains('{', StringComparison.Ordinal) || text.Contains("...", StringComparison.Ordinal)
        || text.Contains('…', StringComparison.Ordinal) || text.Contains('<', StringComparison.Ordinal);

    private static string StripComment(string line)
    {
        int hash = line.IndexOf(" #", StringComparison.Ordinal);
        return (hash >= 0 ? line[..hash] : line).Trim();
    }

    private static IEnumerable<string> DocFiles()
    {
        string root = RepositoryRoot();
        yield return Path.Combine(root, "README.md");
        foreach (string doc in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            yield return doc;
        }
    }

    private static string RepositoryRoot()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IolaEdge.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("IolaEdge.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^(?:IOLAEDGE_\w+=\S*\s+)*iolaedge(?:\s|$)")]
    private static partial Regex CommandLine();

    [GeneratedRegex("""'(?<q1>[^']*)'|"(?<q2>[^"]*)"|\S+""")]
    private static partial Regex ShellWord();

    [GeneratedRegex(@"--set\s+(?<pair>[A-Za-z][\w:]*=[^\s`|]*)")]
    private static partial Regex SetPair();

    [GeneratedRegex(@"(?<pair>IOLAEDGE_[A-Z0-9_]+__[A-Z0-9_]+=[^\s`|]*)")]
    private static partial Regex EnvPair();

    [GeneratedRegex(@"(?:[A-Z][\w]*(?::[\w]+)+=?)|(?:IOLAEDGE_\w+=)")]
    private static partial Regex ConfigKey();
}
