namespace Contiv.Tests.JournalCompat;

/// <summary>
/// The test assembly's entry point (GenerateProgramFile is off; test runners never call it): writes the
/// golden files of JournalCompat with this build. Not a test, so that no verifying test ever writes them.
/// <c>dotnet Contiv.Tests/bin/Debug/net10.0/Contiv.Tests.dll golden-payloads|golden-journal|golden-agent --out DIR</c>
/// </summary>
public static class GoldenProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not [var command, "--out", var outDirectory])
        {
            Console.Error.WriteLine("usage: Contiv.Tests.dll golden-payloads|golden-journal|golden-agent --out DIR");
            return 2;
        }
        switch (command)
        {
            case "golden-payloads":
                Console.WriteLine($"{GoldenPayloadWriter.Write(outDirectory)} file(s) written");
                return 0;
            case "golden-journal":
                await GoldenJournalWriter.Write(outDirectory);
                return 0;
            case "golden-agent":
                GoldenAgentFiles.Write(outDirectory);
                return 0;
            default:
                Console.Error.WriteLine($"unknown command {command}");
                return 2;
        }
    }
}
