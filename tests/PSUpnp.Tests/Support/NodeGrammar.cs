using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using PSUpnp.Tests.Support;
using Xunit;

namespace PSUpnp.Tests.Grammar
{
    /// <summary>One syntax problem the PowerShell grammar found: an ERROR or MISSING node.</summary>
    public sealed record GrammarError(string Kind, int Line, int Column, string Text);

    /// <summary>
    /// Runs tests/Grammar/parse-powershell.mjs (tree-sitter-powershell under web-tree-sitter) with node.
    /// The npm packages come from `npm ci --ignore-scripts --prefix tests/Grammar`; without them every caller fails
    /// with that command in the message rather than passing silently.
    /// </summary>
    public static class NodeGrammar
    {
        public static string ScriptDirectory => RepoPaths.Combine("tests", "Grammar");

        private static string Script => Path.Combine(ScriptDirectory, "parse-powershell.mjs");

        /// <summary>Parses files; the key is the path as given.</summary>
        public static IReadOnlyDictionary<string, IReadOnlyList<GrammarError>> ParseFiles(IReadOnlyList<string> paths)
        {
            var result = new Dictionary<string, IReadOnlyList<GrammarError>>(StringComparer.Ordinal);
            using var doc = JsonDocument.Parse(RunNode(paths.Prepend(Script), stdin: null, allowErrors: true));
            foreach (var file in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                result[file.GetProperty("path").GetString()!] = ErrorsOf(file);
            }

            return result;
        }

        /// <summary>Parses text that is not in a file (a help example, a deliberately broken snippet).</summary>
        public static IReadOnlyList<GrammarError> ParseText(string name, string text)
        {
            using var doc = JsonDocument.Parse(RunNode(new[] { Script, "--stdin", name }, text, allowErrors: true));
            var files = doc.RootElement.GetProperty("files");
            Assert.Equal(1, files.GetArrayLength());
            return ErrorsOf(files[0]);
        }

        /// <summary>The value of a PowerShell data file (.psd1), read through the grammar, as JSON.</summary>
        public static JsonDocument ReadDataFile(string path) =>
            JsonDocument.Parse(RunNode(new[] { Script, "--data", path }, stdin: null, allowErrors: false));

        private static IReadOnlyList<GrammarError> ErrorsOf(JsonElement file) =>
            file.GetProperty("errors").EnumerateArray()
                .Select(e => new GrammarError(
                    e.GetProperty("kind").GetString()!,
                    e.GetProperty("line").GetInt32(),
                    e.GetProperty("column").GetInt32(),
                    e.GetProperty("text").GetString()!))
                .ToList();

        private static string RunNode(IEnumerable<string> args, string? stdin, bool allowErrors)
        {
            Assert.True(
                Directory.Exists(Path.Combine(ScriptDirectory, "node_modules", "web-tree-sitter")),
                "The PowerShell grammar is not installed: run `npm ci --ignore-scripts --prefix tests/Grammar` first.");
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = ScriptDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var node = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
            node.StandardInput.Write(stdin ?? string.Empty);
            node.StandardInput.Close();
            var stderr = node.StandardError.ReadToEndAsync();
            var stdout = node.StandardOutput.ReadToEnd();

            // A bound that makes a hung parser fail the test, not a claim about its speed.
            Assert.True(node.WaitForExit(120_000), "node parse-powershell.mjs did not finish");
            var expected = allowErrors ? new[] { 0, 1 } : new[] { 0 };
            Assert.True(expected.Contains(node.ExitCode), $"node parse-powershell.mjs exited {node.ExitCode}: {stderr.Result}");
            return stdout;
        }
    }
}
