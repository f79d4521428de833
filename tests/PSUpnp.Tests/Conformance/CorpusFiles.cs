using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace PSUpnp.Tests.Support
{
    /// <summary>
    /// The files of one category of ../shared/corpus, for corpus theories. When the corpus is absent (a user's clone)
    /// the theory gets no rows and a single marker row says so; in CI its absence fails the test.
    /// </summary>
    public static class CorpusFiles
    {
        public const string Missing = "<corpus missing>";

        public static IEnumerable<object[]> In(string category, params string[] extensions)
        {
            var dir = RepoPaths.CorpusDirectory;
            if (dir == null)
            {
                return new[] { new object[] { Missing } };
            }

            var files = Directory.GetFiles(Path.Combine(dir, category))
                .Where(f => extensions.Length == 0 || extensions.Any(e => f.EndsWith(e, System.StringComparison.OrdinalIgnoreCase)))
                .Select(f => Path.GetFileName(f))
                .OrderBy(f => f, System.StringComparer.Ordinal)
                .ToList();
            return files.Select(f => new object[] { f });
        }

        /// <summary>
        /// Fails unless every named sample exists in the category, so that expectations written for a sample cannot
        /// silently stop running when the corpus changes. Passes without a corpus except in CI.
        /// </summary>
        public static void AssertPresent(string category, IEnumerable<string> fileNames)
        {
            var dir = RepoPaths.CorpusDirectory;
            if (dir == null)
            {
                Assert.False(RepoPaths.IsCI, "../shared/corpus is missing: CI must run the corpus tests.");
                return;
            }

            foreach (var name in fileNames)
            {
                Assert.True(File.Exists(Path.Combine(dir, category, name)), "corpus sample missing: " + category + "/" + name);
            }
        }

        /// <summary>Full path of a corpus file; fails in CI and returns null elsewhere when the corpus is missing.</summary>
        public static string? PathOf(string category, string name)
        {
            if (name == Missing)
            {
                Assert.False(RepoPaths.IsCI, "../shared/corpus is missing: CI must run the corpus tests.");
                return null;
            }

            return Path.Combine(RepoPaths.CorpusDirectory!, category, name);
        }
    }
}
