using System;
using System.IO;

namespace PSUpnp.Tests.Support
{
    /// <summary>Locates the repository root and the shared real-world corpus beside it.</summary>
    public static class RepoPaths
    {
        private static readonly Lazy<string> Root = new Lazy<string>(FindRoot);

        public static string RepoRoot => Root.Value;

        /// <summary>../shared/corpus beside the checkout, or PSUPNP_CORPUS when set.</summary>
        public static string? CorpusDirectory
        {
            get
            {
                var fromEnv = Environment.GetEnvironmentVariable("PSUPNP_CORPUS");
                var dir = !string.IsNullOrEmpty(fromEnv)
                    ? fromEnv
                    : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "corpus"));
                return Directory.Exists(dir) ? dir : null;
            }
        }

        public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

        public static string Combine(params string[] parts) => Path.Combine(RepoRoot, Path.Combine(parts));

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "PSUpnp.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("PSUpnp.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
