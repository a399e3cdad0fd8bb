namespace IolaEdge.Inference.Tests.Support;

/// <summary>A temporary copy of a shipped model whose metadata a test may edit; deleted on dispose.</summary>
internal sealed class ModelFiles : IDisposable
{
    public ModelFiles(string shippedModel)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("iolaedge-model-").FullName;
        string name = Path.GetFileNameWithoutExtension(shippedModel);
        string src = Path.GetDirectoryName(shippedModel)!;
        foreach (string f in System.IO.Directory.GetFiles(src, name + ".*"))
        {
            File.Copy(f, Path.Combine(Directory, Path.GetFileName(f)));
        }

        OnnxPath = Path.Combine(Directory, name + ".onnx");
        JsonPath = Path.Combine(Directory, name + ".json");
    }

    public string Directory { get; }

    public string OnnxPath { get; }

    public string JsonPath { get; }

    /// <summary>Rewrites the metadata text (e.g. a string replace on a key).</summary>
    public void EditJson(Func<string, string> edit) => File.WriteAllText(JsonPath, edit(File.ReadAllText(JsonPath)));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
