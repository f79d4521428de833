using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using PSUpnp.Tests.Support;

namespace PSUpnp.Tests.Grammar
{
    /// <summary>The PowerShell source files of the repository: tracked or new, never build output or packages.</summary>
    public static class PowerShellFiles
    {
        private static readonly string[] Extensions = { ".ps1", ".psd1", ".psm1" };
        private static readonly string[] SkippedDirectories = { ".git", "bin", "obj", "out", "node_modules", "TestResults" };

        /// <summary>Paths relative to the repository root, with forward slashes, sorted.</summary>
        public static IReadOnlyList<string> All()
        {
            var files = FromGit() ?? FromWalk();
            return files
                .Where(f => Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .Where(f => File.Exists(RepoPaths.Combine(f)))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();
        }

        private static IEnumerable<string>? FromGit()
        {
            try
            {
                var start = new ProcessStartInfo("git", "ls-files --cached --others --exclude-standard -z")
                {
                    WorkingDirectory = RepoPaths.RepoRoot,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                using var git = Process.Start(start);
                if (git == null)
                {
                    return null;
                }

                var output = git.StandardOutput.ReadToEnd();
                git.WaitForExit();
                return git.ExitCode == 0 ? output.Split('\0', StringSplitOptions.RemoveEmptyEntries) : null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No git (a source tarball): walk the tree instead.
                return null;
            }
        }

        private static IEnumerable<string> FromWalk()
        {
            var pending = new Stack<string>();
            pending.Push(RepoPaths.RepoRoot);
            while (pending.Count > 0)
            {
                var dir = pending.Pop();
                foreach (var sub in Directory.GetDirectories(dir).Where(d => !SkippedDirectories.Contains(Path.GetFileName(d))))
                {
                    pending.Push(sub);
                }

                foreach (var file in Directory.GetFiles(dir))
                {
                    yield return Path.GetRelativePath(RepoPaths.RepoRoot, file).Replace('\\', '/');
                }
            }
        }
    }
}
