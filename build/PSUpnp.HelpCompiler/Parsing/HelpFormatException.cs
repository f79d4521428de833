using System;

namespace PSUpnp.HelpCompiler.Parsing
{
    /// <summary>A page that does not follow the schema: which file, which line, what is wrong and what to write instead.</summary>
    public sealed class HelpFormatException : Exception
    {
        public HelpFormatException(string file, int line, string problem)
            : base($"{file}({line}): error: {problem}")
        {
            File = file;
            Line = line;
            Problem = problem;
        }

        public string File { get; }

        public int Line { get; }

        public string Problem { get; }
    }
}
